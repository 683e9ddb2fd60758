// Random methods, paths, query strings, headers and bodies over every /api/v1 route, in process:
// never a 5xx, every error a problem body, and every response of a matched route as the OpenAPI
// document promises. An injected internal fault must still give a 500 problem, and the same
// property must catch it, so the fuzz cannot pass by turning everything into a 4xx.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../src/http/app.ts";
import { ProblemSchema } from "../src/http/problem.ts";
import type { Service } from "../src/service/index.ts";
import { createTestApp } from "./support/api-app.ts";
import { SUCCESS_CASES, UNDOCUMENTED_ROUTES, urlOf } from "./support/api-cases.ts";
import { type ApiFixtures, seedApiFixtures } from "./support/api-fixtures.ts";
import {
  API_HEADERS,
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
let doc: OpenApiDocument;

beforeAll(async () => {
  c = createTempClaire();
  f = seedApiFixtures(c);
  app = createTestApp(c.service);
  doc = (await (
    await app.request("/api/v1/openapi.json", { headers: API_HEADERS })
  ).json()) as OpenApiDocument;
});
afterAll(() => c.close());

/** A service on which touching anything throws: a bug deep inside, as far as the API can tell. */
const faultyService = (): Service =>
  new Proxy({} as Service, {
    get: () => {
      throw new Error("injected fault: secret internals");
    },
  });

const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"] as const;
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/merge-patch+json",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "",
] as const;

type Req = { method: string; url: string; headers: Record<string, string>; body: string | undefined };

/** The route Hono picks for a method and raw path: the first registered whose template matches. */
const matchRoute = (routes: readonly string[], method: string, path: string): string | null => {
  const want = method === "HEAD" ? "GET" : method;
  for (const r of routes) {
    const { method: m, path: template } = splitRouteKey(r);
    if (m !== want) continue;
    const re = new RegExp(`^${template.replace(/:[A-Za-z0-9_]+/g, "[^/]+").replaceAll(".", "\\.")}$`);
    if (re.test(path)) return r;
  }
  return null;
};

const requests = (routes: readonly string[]): fc.Arbitrary<Req> => {
  const refs = [
    ...Object.values(f.tasks).flatMap((t) => [t.id, t.handle]),
    ...Object.values(f.projects).flatMap((p) => [p.id, p.name]),
    ...Object.values(f.sessions).map((s) => s.sessionId),
    `${f.machineId}/${f.sessions.s1.sessionId}`,
    f.machineId,
    f.group.name,
    f.message.id,
    f.assignment.id,
    f.update.id,
    "all",
    "group:backend",
    `session:${f.sessions.s1.sessionId}`,
    "machine:test-machine",
    "todo,done",
    "idle",
    "true",
    "ffffffff",
  ];
  const text = fc.oneof(
    fc.constantFrom(...refs),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.stringMatching(/^[0-9a-f-]{1,12}$/),
    fc.integer({ min: -5, max: 5000 }).map(String),
  );
  const segment = fc.oneof(
    { weight: 6, arbitrary: text.filter((s) => s.length > 0).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom("%", "%zz", "..", ".", "%2F", "%00", "a%2Fb", "x".repeat(500)) },
  );
  const path = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(...routes).chain((r) =>
        fc.array(segment, { minLength: 3, maxLength: 3 }).map((vals) => ({
          route: r,
          path: splitRouteKey(r).path.replace(/:[A-Za-z0-9_]+/g, () => vals.shift()!),
        })),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(segment, { minLength: 0, maxLength: 4 })
        .map((segs) => ({ route: null as string | null, path: `/api/v1/${segs.join("/")}` })),
    },
  );
  const query = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          "limit",
          "offset",
          "status",
          "project",
          "session",
          "task",
          "since",
          "all",
          "current",
          "state",
          "cwd",
          "machine",
          "label",
          "archived",
        ),
        fc.string({ maxLength: 8 }),
      ),
      text,
    ),
    { maxLength: 4 },
  );
  const bodyFor = (route: string | null): fc.Arbitrary<string | undefined> => {
    const success = route ? SUCCESS_CASES[route]?.call(f).body : undefined;
    const base = success && typeof success === "object" ? (success as Record<string, unknown>) : {};
    const keys = [...Object.keys(base), "extra", "session", "taskId", "to", "status"];
    const value = fc.oneof(fc.jsonValue(), text, fc.array(text, { maxLength: 3 }));
    return fc.oneof(
      fc.constant(undefined),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 30 }),
      fc
        .dictionary(fc.constantFrom(...keys), value, { maxKeys: 3 })
        .map((d) => JSON.stringify({ ...base, ...d })),
      fc.constantFrom(...keys).map((k) => {
        const { [k]: _, ...rest } = base;
        return JSON.stringify(rest);
      }),
      fc.constant(JSON.stringify(base)),
    );
  };
  return fc
    .record({
      target: path,
      method: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      query,
      contentType: fc.constantFrom(...CONTENT_TYPES, "application/json", "application/json"),
      actor: fc.oneof(fc.constant(undefined), fc.stringMatching(/^[ -~]{0,40}$/), fc.constant("session:abc")),
      origin: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom("http://evil.example", "null", "http://127.0.0.1:8765") },
      ),
    })
    .chain((r) =>
      bodyFor(r.target.route).map((body): Req => {
        const method = r.method ?? (r.target.route ? splitRouteKey(r.target.route).method : "GET");
        const qs = new URLSearchParams(r.query).toString();
        const headers: Record<string, string> = { host: API_HEADERS.host };
        if (r.contentType) headers["content-type"] = r.contentType;
        if (r.actor !== undefined) headers["x-claire-actor"] = r.actor;
        if (r.origin !== undefined) headers.origin = r.origin;
        const hasBody = method !== "GET" && method !== "HEAD";
        return {
          method,
          url: qs ? `${r.target.path}?${qs}` : r.target.path,
          headers,
          body: hasBody ? body : undefined,
        };
      }),
    );
};

/** What must hold for any request: no 5xx, problems for errors, matched routes as documented. */
const apiHolds = (target: App, routes: readonly string[]) =>
  fc.asyncProperty(requests(routes), async (req) => {
    const res = await target.request(req.url, { method: req.method, headers: req.headers, body: req.body });
    const where = `${req.method} ${req.url} -> ${res.status}`;
    if (res.status >= 500) throw new Error(`${where}: ${await res.text()}`);
    if (req.method === "HEAD") return;
    // Dot segments can climb out of /api/v1 ("/api/v1/../.." is "/", the dashboard): URL
    // resolution, as every HTTP client does it, so not an API request.
    if (!new URL(req.url, "http://127.0.0.1").pathname.startsWith("/api/")) return;
    const text = await res.text();
    const body = JSON.parse(text) as unknown;
    const type = res.headers.get("content-type");
    if (res.status >= 400) {
      expect(type, where).toMatch(/^application\/problem\+json/);
      expect(ProblemSchema.safeParse(body).success, `${where}: ${text}`).toBe(true);
    }
    const route = matchRoute(routes, req.method, req.url.split("?")[0]!);
    if (route && !UNDOCUMENTED_ROUTES.has(route)) {
      expect(responseProblems(doc, route, res.status, type, body), `${where}: ${text.slice(0, 300)}`).toEqual(
        [],
      );
    } else if (!route) {
      expect(res.status, where).toBeGreaterThanOrEqual(400);
    }
  });

describe("fuzzing the API in process", () => {
  it("never answers 5xx, and answers every request as documented", async () => {
    const routes = servedApiRoutes(app);
    expect(routes.every((r) => UNDOCUMENTED_ROUTES.has(r) || operationOf(doc, r))).toBe(true);
    await fc.assert(apiHolds(app, routes), { numRuns: 400 });
  });

  it("matches paths to routes the way Hono does", () => {
    const routes = servedApiRoutes(app);
    expect(matchRoute(routes, "GET", "/api/v1/tasks/ready")).toBe("GET /api/v1/tasks/ready");
    expect(matchRoute(routes, "GET", "/api/v1/tasks/abc")).toBe("GET /api/v1/tasks/:id");
    expect(matchRoute(routes, "HEAD", "/api/v1/tasks/abc/timeline")).toBe("GET /api/v1/tasks/:id/timeline");
    expect(matchRoute(routes, "PUT", "/api/v1/tasks/abc")).toBeNull();
  });
});

/** Routes answered by the sync control or session discovery of the process, not the service (a broken app has none). */
const OUTSIDE_THE_SERVICE = new Set([
  "POST /api/v1/sync/run",
  "GET /api/v1/sync/verify",
  "POST /api/v1/sessions/refresh",
  // Answers from what the auth middleware found; the service is asked nothing.
  "GET /api/v1/auth",
]);

describe("an internal fault", () => {
  const broken = () => createApp({ service: faultyService() });

  it("gives a 500 problem on every route that reaches the service, without leaking the error", async () => {
    const app500 = broken();
    for (const [route, testCase] of Object.entries(SUCCESS_CASES)) {
      if (UNDOCUMENTED_ROUTES.has(route) || OUTSIDE_THE_SERVICE.has(route)) continue;
      const call = testCase.call(f);
      const res = await app500.request(urlOf(call), {
        method: splitRouteKey(route).method,
        headers: API_HEADERS,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
      const text = await res.text();
      expect({ route, status: res.status }).toEqual({ route, status: 500 });
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(text).not.toMatch(/secret internals/);
      const body = JSON.parse(text) as unknown;
      expect(ProblemSchema.parse(body).status).toBe(500);
      expect(responseProblems(doc, route, 500, res.headers.get("content-type"), body)).toEqual([]);
    }
  });

  it("is caught by the same fuzz property", async () => {
    const app500 = broken();
    const result = await fc.check(apiHolds(app500, servedApiRoutes(app500)), { numRuns: 200, seed: 42 });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/-> 500/);
  });
});
