// Static files of the dashboard: htmx and its SSE extension, read once from node_modules (pinned
// exact versions, never a CDN; resolved from this module so it works from a checkout, the bundle
// in dist/ and an installed package alike), the stylesheet and the page script. URLs carry a
// content hash, so browsers may keep them forever.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Hono } from "hono";
import { DASHBOARD_JS } from "./assets/client.ts";
import { DASHBOARD_CSS } from "./assets/styles.ts";
import { hashHtml } from "./render.ts";
import type { AssetUrls } from "./views/layout.tsx";

type Asset = { readonly body: string; readonly type: string; readonly hash: string };

const asset = (body: string, type: string): Asset => ({ body, type, hash: hashHtml(body).slice(0, 12) });

export const loadAssets = (): { readonly files: ReadonlyMap<string, Asset>; readonly urls: AssetUrls } => {
  const require = createRequire(import.meta.url);
  const read = (spec: string) => readFileSync(require.resolve(spec), "utf8");
  const js = "text/javascript; charset=utf-8";
  const files = new Map<string, Asset>([
    ["htmx.min.js", asset(read("htmx.org/dist/htmx.min.js"), js)],
    ["sse.js", asset(read("htmx-ext-sse/dist/sse.min.js"), js)],
    ["dashboard.css", asset(DASHBOARD_CSS, "text/css; charset=utf-8")],
    ["dashboard.js", asset(DASHBOARD_JS, js)],
  ]);
  const url = (name: string) => `/assets/${name}?v=${files.get(name)!.hash}`;
  return {
    files,
    urls: {
      htmx: url("htmx.min.js"),
      sse: url("sse.js"),
      css: url("dashboard.css"),
      js: url("dashboard.js"),
    },
  };
};

export const assetRoutes = (files: ReadonlyMap<string, Asset>) =>
  new Hono().get("/assets/:name", (c) => {
    const f = files.get(c.req.param("name"));
    if (!f) return c.text("no such file", 404);
    const immutable = c.req.query("v") === f.hash;
    return c.body(f.body, 200, {
      "content-type": f.type,
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      etag: `"${f.hash}"`,
      "x-content-type-options": "nosniff",
    });
  });
