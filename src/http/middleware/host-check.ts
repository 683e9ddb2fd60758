// DNS-rebinding and CSRF defences: every request's Host must be a loopback name or a configured
// one; a state-changing request from a browser must come from the same origin. No CORS at all.
import type { MiddlewareHandler } from "hono";
import { PROBLEM_JSON, problem } from "../problem.ts";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]", "::1"];

const hostName = (host: string): string => {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const i = h.lastIndexOf(":");
  return i >= 0 ? h.slice(0, i) : h;
};

export const isLoopbackHostName = (name: string): boolean =>
  LOOPBACK_NAMES.includes(name) || /^127(\.\d{1,3}){3}$/.test(name) || name.endsWith(".localhost");

export const hostAllowlist = (allowed: readonly string[]): MiddlewareHandler => {
  const extra = new Set(allowed.map((a) => a.toLowerCase()));
  return async (c, next) => {
    const host = c.req.header("host");
    const name = host ? hostName(host) : "";
    if (!host || !(isLoopbackHostName(name) || extra.has(name))) {
      return c.json(
        problem(
          403,
          `Host '${host ?? ""}' is not allowed; add it to server.allowed_hosts in claire.toml if it is yours`,
          [],
          "host-not-allowed",
        ),
        403,
        PROBLEM_JSON,
      );
    }
    await next();
  };
};

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export const sameOriginWrites = (): MiddlewareHandler => async (c, next) => {
  if (!SAFE.has(c.req.method)) {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const host = c.req.header("host") ?? "";
    let crossOrigin = site !== undefined && site !== "same-origin" && site !== "none";
    if (origin !== undefined && origin !== "null") {
      try {
        if (new URL(origin).host.toLowerCase() !== host.toLowerCase()) crossOrigin = true;
      } catch {
        crossOrigin = true;
      }
    } else if (origin === "null") crossOrigin = true;
    if (crossOrigin) {
      return c.json(problem(403, "cross-origin writes are refused", [], "cross-origin"), 403, PROBLEM_JSON);
    }
  }
  await next();
};
