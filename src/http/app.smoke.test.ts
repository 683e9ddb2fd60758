import { afterEach, beforeEach, expect, it } from "vitest";
import { createTempClaire, type TempClaire } from "../../test/support/temp-claire.ts";
import { createApp } from "./app.ts";

let c: TempClaire;
beforeEach(() => {
  c = createTempClaire();
});
afterEach(() => c.close());

const H = { host: "127.0.0.1:8765", "content-type": "application/json" };

it("serves projects with problem bodies for errors", async () => {
  const app = createApp({ service: c.service });
  const created = await app.request("/api/v1/projects", {
    method: "POST",
    headers: H,
    body: JSON.stringify({ name: "A" }),
  });
  expect(created.status).toBe(201);
  const bad = await app.request("/api/v1/projects", {
    method: "POST",
    headers: H,
    body: JSON.stringify({ name: 3 }),
  });
  expect(bad.status).toBe(422);
  expect(await bad.json()).toMatchObject({ status: 422, errors: [{ path: "name" }] });
  const malformed = await app.request("/api/v1/projects", { method: "POST", headers: H, body: "{" });
  expect(malformed.status).toBe(400);
  const foreign = await app.request("/api/v1/projects", { headers: { host: "evil.example" } });
  expect(foreign.status).toBe(403);
  const doc = (await (await app.request("/api/v1/openapi.json", { headers: H })).json()) as {
    paths: Record<string, unknown>;
  };
  expect(Object.keys(doc.paths)).toContain("/api/v1/projects/{id}");
});
