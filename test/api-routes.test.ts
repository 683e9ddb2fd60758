// Every /api/v1 route, called successfully over real HTTP on a loopback port against a real SQLite
// file, its response checked against the OpenAPI document the server publishes. The list of routes
// comes from the Hono app itself, so a new route without a test case (or without a document
// entry) fails here.
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../src/http/app.ts";
import { createTestApp } from "./support/api-app.ts";
import { SUCCESS_CASES, UNDOCUMENTED_ROUTES, urlOf } from "./support/api-cases.ts";
import { type ApiFixtures, seedApiFixtures } from "./support/api-fixtures.ts";
import { UnsupportedSchemaError, validateJson } from "./support/api-json-schema.ts";
import {
  documentedRoutes,
  type OpenApiDocument,
  operationOf,
  responseProblems,
  servedApiRoutes,
  splitRouteKey,
} from "./support/api-openapi.ts";
import { createTempClaire, type TempClaire } from "./support/temp-claire.ts";

let c: TempClaire;
let f: ApiFixtures;
let app: App;
let server: ServerType;
let base: string;
let doc: OpenApiDocument;

beforeAll(async () => {
  c = createTempClaire();
  f = seedApiFixtures(c);
  app = createTestApp(c.service, { version: "9.9.9-test" });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const res = await fetch(`${base}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as OpenApiDocument;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  c.close();
});

describe("the route table", () => {
  it("has a success case for every route the app serves, and no stale cases", () => {
    const served = servedApiRoutes(app).sort();
    expect(served.length).toBeGreaterThan(35);
    expect(Object.keys(SUCCESS_CASES).sort()).toEqual(served);
  });

  it("documents every served route in the OpenAPI document, and nothing else", () => {
    const served = servedApiRoutes(app).filter((r) => !UNDOCUMENTED_ROUTES.has(r));
    const missing = served.filter((r) => !operationOf(doc, r));
    expect(missing).toEqual([]);
    expect(documentedRoutes(doc).sort()).toEqual(served.sort());
  });
});

describe("each route over real HTTP", () => {
  for (const [route, testCase] of Object.entries(SUCCESS_CASES)) {
    it(route, async () => {
      const { method } = splitRouteKey(route);
      const call = testCase.call(f);
      const res = await fetch(base + urlOf(call), {
        method,
        headers: {
          "x-claire-actor": "human:route-test",
          ...(call.body !== undefined && { "content-type": "application/json" }),
        },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      const body: unknown = await res.json();
      expect({ status: res.status, body }).toMatchObject({ status: testCase.status });
      if (!UNDOCUMENTED_ROUTES.has(route)) {
        expect(responseProblems(doc, route, res.status, res.headers.get("content-type"), body)).toEqual([]);
      }
      testCase.expect?.(body, f);
    });
  }
});

describe("the schema check itself", () => {
  const taskRoute = "GET /api/v1/tasks/:id";
  const goodTask = () => structuredClone(c.service.getTask(f.tasks.plain.id)) as { ok: true; value: object };

  it("accepts the real body and rejects wrong ones", () => {
    const task = goodTask().value as Record<string, unknown>;
    const json = "application/json";
    expect(responseProblems(doc, taskRoute, 200, json, task)).toEqual([]);
    const wrong: [string, unknown][] = [
      ["an unknown field", { ...task, extra: 1 }],
      ["a missing field", Object.fromEntries(Object.entries(task).filter(([k]) => k !== "title"))],
      ["a wrong type", { ...task, pending: "no" }],
      ["null where not nullable", { ...task, labels: null }],
      ["a value outside the enum", { ...task, status: "paused" }],
      ["a wrong item type", { ...task, labels: [1] }],
      ["a bad nested object", { ...task, owner: { session: { machineId: "not-a-uuid", sessionId: "x" } } }],
      ["an array instead of an object", [task]],
    ];
    for (const [what, body] of wrong) {
      expect(responseProblems(doc, taskRoute, 200, json, body), what).not.toEqual([]);
    }
    expect(responseProblems(doc, taskRoute, 201, json, task)).toEqual([
      `${taskRoute} does not document status 201`,
    ]);
    expect(responseProblems(doc, taskRoute, 200, "text/html", task)[0]).toMatch(/content type/);
    expect(responseProblems(doc, "GET /api/v1/nothing", 200, json, task)[0]).toMatch(/not in the OpenAPI/);
  });

  it("handles the keywords of the subset, and refuses ones it does not know", () => {
    expect(validateJson({ type: "integer", minimum: 1 }, 1.5)).not.toEqual([]);
    expect(validateJson({ type: ["string", "null"] }, null)).toEqual([]);
    expect(validateJson({ oneOf: [{ type: "string" }, { type: "string", enum: ["a"] }] }, "a")).not.toEqual(
      [],
    );
    expect(validateJson({ anyOf: [{ const: 1 }, { const: 2 }] }, 3)).not.toEqual([]);
    expect(validateJson({ type: "string", format: "uuid" }, "nope")).not.toEqual([]);
    expect(validateJson({ type: "string", pattern: "^a+$" }, "ab")).not.toEqual([]);
    expect(validateJson({ $ref: "#/defs/x" }, 1, { defs: { x: { type: "string" } } })).not.toEqual([]);
    expect(() => validateJson({ type: "string", patternProperties: {} }, "x")).toThrow(
      UnsupportedSchemaError,
    );
    expect(() => validateJson({ type: "string", format: "hostname" }, "x")).toThrow(UnsupportedSchemaError);
  });
});
