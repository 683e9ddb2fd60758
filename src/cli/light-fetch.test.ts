import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LightHeaders, LightRequest, LightResponse } from "./light-fetch.ts";

const ROOT = resolve(import.meta.dirname, "../..");

describe("LightHeaders", () => {
  it("treats names case-insensitively and iterates in sorted order, like Headers", () => {
    const h = new LightHeaders({ "X-Claire-Actor": "human:a@b", Accept: "application/json" });
    h.append("accept", "text/plain");
    h.set("Host", "127.0.0.1");
    expect(h.get("x-claire-actor")).toBe("human:a@b");
    expect(h.get("ACCEPT")).toBe("application/json, text/plain");
    expect(h.has("host")).toBe(true);
    h.delete("HOST");
    expect(h.get("host")).toBeNull();
    expect([...h]).toEqual([
      ["accept", "application/json, text/plain"],
      ["x-claire-actor", "human:a@b"],
    ]);
    expect([...new LightHeaders(h).keys()]).toEqual(["accept", "x-claire-actor"]);
    expect([
      ...new LightHeaders([
        ["B", "2"],
        ["a", "1"],
      ]).values(),
    ]).toEqual(["1", "2"]);
  });
});

describe("LightRequest", () => {
  it("carries method, url, headers and a body read once, with its content-length", async () => {
    const r = new LightRequest("http://127.0.0.1/api/v1/tasks", {
      method: "post",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "héllo" }),
    });
    expect([r.method, r.url, r.headers.get("content-length")]).toEqual([
      "POST",
      "http://127.0.0.1/api/v1/tasks",
      String(Buffer.byteLength('{"title":"héllo"}')),
    ]);
    expect(r.body).toBeTruthy();
    const copy = r.clone();
    expect(await r.json()).toEqual({ title: "héllo" });
    await expect(r.text()).rejects.toThrow(/already read/);
    expect(await copy.text()).toBe('{"title":"héllo"}');
    expect(new LightRequest("http://127.0.0.1/").body).toBeNull();
  });
});

describe("LightResponse", () => {
  it("answers status, headers and its body as text, JSON or bytes", async () => {
    const r = new LightResponse('{"ok":true}', {
      status: 201,
      headers: { "Content-Type": "application/json" },
    });
    expect([r.status, r.ok, r.headers.get("content-type")]).toEqual([201, true, "application/json"]);
    expect(await r.json()).toEqual({ ok: true });
    expect(Buffer.from(await new LightResponse(new Uint8Array([104, 105])).arrayBuffer()).toString()).toBe(
      "hi",
    );
    expect(await LightResponse.json({ a: 1 }, { status: 422 }).text()).toBe('{"a":1}');
    expect(new LightResponse(null, { status: 404 }).ok).toBe(false);
  });

  it("refuses what it does not implement instead of guessing", () => {
    expect(() => new LightResponse({ not: "a body" })).toThrow(TypeError);
    expect(() => new LightResponse("text").body).toThrow(/no stream/);
  });
});

describe("installLightFetch", () => {
  it("lets a Hono app answer without Node ever loading undici", () => {
    // A process of its own: the globals it replaces are the test runner's too.
    const script = `
      import { installLightFetch, LightRequest } from ${JSON.stringify(join(ROOT, "src/cli/light-fetch.ts"))};
      import { Hono } from "hono";
      installLightFetch();
      const app = new Hono()
        .post("/echo", async (c) => c.json({ got: await c.req.json(), actor: c.req.header("x-actor") }, 201))
        .get("/missing", (c) => c.notFound());
      const res = await app.fetch(new LightRequest("http://127.0.0.1/echo", {
        method: "POST", headers: { "content-type": "application/json", "x-actor": "me" }, body: '{"n":1}' }));
      const missing = await app.fetch(new LightRequest("http://127.0.0.1/missing"));
      const undici = process.moduleLoadList.filter((m) => m.includes("undici"));
      console.log(JSON.stringify({ status: res.status, type: res.headers.get("content-type"), body: await res.json(),
        missing: missing.status, undici }));
    `;
    const out = execFileSync(join(ROOT, "node_modules/.bin/node"), ["--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual({
      status: 201,
      type: "application/json",
      body: { got: { n: 1 }, actor: "me" },
      missing: 404,
      undici: [],
    });
  });
});
