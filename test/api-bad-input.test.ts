// Bad input on every /api/v1 route gets the right 4xx with a problem body and changes nothing:
// in-process for the whole table, over real HTTP for the edges a real socket changes (Host,
// Content-Length, raw bytes).
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../src/http/app.ts";
import { ProblemSchema } from "../src/http/problem.ts";
import { createTestApp } from "./support/api-app.ts";
import {
  type BadCase,
  type BadRequest,
  genericBadCases,
  MAX_BODY_BYTES,
  SEMANTIC_BAD_CASES,
} from "./support/api-bad-cases.ts";
import { UNDOCUMENTED_ROUTES, urlOf } from "./support/api-cases.ts";
import { type ApiFixtures, seedApiFixtures } from "./support/api-fixtures.ts";
import {
  API_HEADERS,
  type OpenApiDocument,
  responseProblems,
  servedApiRoutes,
  splitRouteKey,
} from "./support/api-openapi.ts";
import { createTempClaire, type TempClaire } from "./support/temp-claire.ts";

let c: TempClaire;
let f: ApiFixtures;
let app: App;
let doc: OpenApiDocument;

const eventCount = () => c.store.q.events.counts().events;

beforeAll(async () => {
  c = createTempClaire();
  f = seedApiFixtures(c);
  app = createTestApp(c.service);
  doc = (await (
    await app.request("/api/v1/openapi.json", { headers: API_HEADERS })
  ).json()) as OpenApiDocument;
});
afterAll(() => c.close());

const send = (route: string, r: BadRequest) => {
  const method = r.method ?? splitRouteKey(route).method;
  const body =
    r.body === undefined ? undefined : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
  return app.request(urlOf(r), { method, headers: { ...API_HEADERS, ...r.headers }, body });
};

/** The response is the expected problem, documented for the route, and nothing was written. */
const expectProblem = async (bad: BadCase, res: Response, before: number) => {
  const text = await res.text();
  expect({ status: res.status, text: text.slice(0, 500) }).toMatchObject({ status: bad.status });
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as unknown;
  const problem = ProblemSchema.parse(body);
  expect(problem.status).toBe(bad.status);
  expect(problem.detail.length).toBeGreaterThan(0);
  if (bad.kind) expect(problem.type).toBe(`https://claire.dev/problems/${bad.kind}`);
  if (bad.status === 422 && bad.kind === "validation") expect(problem.errors.length).toBeGreaterThan(0);
  if (!UNDOCUMENTED_ROUTES.has(bad.route)) {
    expect(responseProblems(doc, bad.route, res.status, res.headers.get("content-type"), body)).toEqual([]);
  }
  expect(eventCount()).toBe(before);
};

describe("bad input, in process", async () => {
  // The table is built from the document, so load it at collection time too.
  const tc = createTempClaire();
  const collectDoc = (await (
    await createApp({ service: tc.service }).request("/api/v1/openapi.json", { headers: API_HEADERS })
  ).json()) as OpenApiDocument;
  tc.close();
  const cases = [...genericBadCases(collectDoc), ...SEMANTIC_BAD_CASES];

  it("covers every route with bad-input cases, including route-specific ones for every write", () => {
    const routes = servedApiRoutes(createApp({ service: c.service }));
    const covered = new Set(cases.map((b) => b.route));
    expect(routes.filter((r) => !covered.has(r))).toEqual([]);
    const semantic = new Set(SEMANTIC_BAD_CASES.map((b) => b.route));
    const writes = routes.filter((r) => !r.startsWith("GET ") && !r.endsWith("/archive"));
    expect(writes.filter((r) => !semantic.has(r))).toEqual([]);
    expect(cases.length).toBeGreaterThan(300);
  });

  for (const bad of cases) {
    it(`${bad.name} -> ${bad.status}`, async () => {
      const before = eventCount();
      await expectProblem(bad, await send(bad.route, bad.request(f)), before);
    });
  }
});

describe("a method a path does not answer", () => {
  const cases: [string, string, string][] = [
    ["DELETE", "/api/v1/health", "GET, HEAD"],
    ["PUT", "/api/v1/tasks/0190", "GET, HEAD, PATCH"],
    ["GET", "/api/v1/claims", "POST"],
    ["PATCH", "/api/v1/sync/events", "GET, HEAD, POST"],
  ];
  for (const [method, path, allow] of cases) {
    it(`${method} ${path} is a 405 naming ${allow}, and writes nothing`, async () => {
      const before = eventCount();
      const res = await app.request(path, {
        method,
        headers: API_HEADERS,
        ...(method === "GET" ? {} : { body: "{}" }),
      });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const p = ProblemSchema.parse(await res.json());
      expect(p.detail).toBe(`${path} answers ${allow}, not ${method}`);
      expect(eventCount()).toBe(before);
    });
  }
  it("a path nothing answers stays a 404", async () => {
    const res = await app.request("/api/v1/nothing-here", { method: "DELETE", headers: API_HEADERS });
    expect(res.status).toBe(404);
    expect(res.headers.get("allow")).toBeNull();
  });
});

describe("the OpenAPI document", () => {
  it("describes bearer tokens, optional (loopback needs none), and a 401 on every route", () => {
    const d = doc as unknown as {
      security?: unknown;
      components?: { securitySchemes?: Record<string, unknown> };
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(d.components?.securitySchemes?.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(d.security).toEqual([{ bearer: [] }, {}]);
    const without = Object.entries(d.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !("401" in op.responses))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(without).toEqual([]);
  });
});

describe("numbers in a query string", () => {
  it("are whole decimal numbers given once: not hex, exponents, empty or repeated", async () => {
    for (const q of ["limit=0x10", "limit=1e3", "limit=", "limit=2&limit=3", "offset=-1", "limit= 5"]) {
      const res = await app.request(`/api/v1/tasks?${q}`, { headers: API_HEADERS });
      expect({ q, status: res.status }).toEqual({ q, status: 422 });
      expect(((await res.json()) as { detail: string }).detail).toMatch(/limit|offset/);
    }
    const ok = await app.request("/api/v1/tasks?limit=2&offset=0", { headers: API_HEADERS });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { tasks: unknown[] }).tasks.length).toBeLessThanOrEqual(2);
  });
});

describe("the X-Claire-Actor header", () => {
  it("is refused (422, nothing written) when it names no actor, rather than read as human:api", async () => {
    const route = "POST /api/v1/projects";
    for (const actor of ["bogus", "human:", ":x", "robot:r2", `human:${"x".repeat(5000)}`]) {
      const before = eventCount();
      const res = await app.request("/api/v1/projects", {
        method: "POST",
        headers: { ...API_HEADERS, "content-type": "application/json", "x-claire-actor": actor },
        body: JSON.stringify({ name: `By ${actor.slice(0, 20)}` }),
      });
      await expectProblem({ name: actor, route, status: 422, request: () => ({ path: "" }) }, res, before);
    }
    const ok = await app.request("/api/v1/projects", {
      method: "POST",
      headers: { ...API_HEADERS, "content-type": "application/json", "x-claire-actor": "human:ana@lab" },
      body: JSON.stringify({ name: "By Ana" }),
    });
    expect(ok.status).toBe(201);
    const [event] = c.store.q.events.page(0, 100_000).slice(-1);
    expect(event?.actor).toEqual({ kind: "human", id: "ana@lab" });
  });
});

describe("bad input over real HTTP", () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A raw HTTP/1.1 request, so Host and Content-Length are exactly what the test says. */
  const raw = (
    method: string,
    path: string,
    headers: Record<string, string | number>,
    body?: string | Buffer,
  ): Promise<Response> =>
    new Promise((resolve, reject) => {
      // A fresh connection each time: after an early 413 the server drains or drops the rest.
      const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: h }));
        });
      });
      req.on("error", (e: NodeJS.ErrnoException) => {
        // The server may answer 413 and close before the whole body is sent.
        if (e.code === "EPIPE" || e.code === "ECONNRESET") return;
        reject(e);
      });
      if (body !== undefined) req.write(body);
      req.end();
    });

  const local = () => ({ host: `127.0.0.1:${port}` });
  const route = "POST /api/v1/projects";
  const json = { "content-type": "application/json" };

  it("refuses a foreign Host before anything else", async () => {
    const before = eventCount();
    const res = await raw("POST", "/api/v1/projects", { host: "evil.example", ...json }, '{"name":"x"}');
    await expectProblem(
      { name: "host", route, status: 403, kind: "host-not-allowed", request: () => ({ path: "" }) },
      res,
      before,
    );
  });

  it("refuses a cross-origin write", async () => {
    const before = eventCount();
    const res = await raw(
      "POST",
      "/api/v1/projects",
      { ...local(), origin: "http://evil.example", ...json },
      '{"name":"x"}',
    );
    await expectProblem(
      { name: "origin", route, status: 403, kind: "cross-origin", request: () => ({ path: "" }) },
      res,
      before,
    );
  });

  it("answers 413 from Content-Length alone, and for a chunked body that grows too large", async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 10, "a");
    for (const headers of [
      { ...local(), ...json, "content-length": big.length },
      { ...local(), ...json, "transfer-encoding": "chunked" },
    ]) {
      const before = eventCount();
      const res = await raw("POST", "/api/v1/projects", headers, big);
      await expectProblem({ name: "big", route, status: 413, request: () => ({ path: "" }) }, res, before);
    }
  });

  it("answers 415 for a body sent without a JSON content type", async () => {
    for (const headers of [
      { ...local(), "content-type": "text/plain" },
      { ...local(), "content-length": 12 },
    ]) {
      const before = eventCount();
      const res = await raw("POST", "/api/v1/projects", headers, '{"name":"x"}');
      await expectProblem({ name: "type", route, status: 415, request: () => ({ path: "" }) }, res, before);
    }
  });

  it("reads the body of a request it refuses unread, so a client reusing the connection gets the answer", async () => {
    // undici (the CLI's and sync's client) keeps connections alive and sends the next request on
    // the same one: a refusal that left the body unread lost that connection mid-send.
    const body = "x".repeat(700_000);
    const before = eventCount();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/projects`, {
        method: "POST",
        headers: { "content-type": i % 2 === 0 ? "text/plain" : "application/x-www-form-urlencoded" },
        body,
      });
      statuses.push(res.status);
      expect(res.headers.get("connection")).not.toBe("close");
      await res.text();
    }
    expect(statuses).toEqual(Array(8).fill(415));
    // A body beyond what is worth reading ends the connection, and says so.
    const huge = await fetch(`http://127.0.0.1:${port}/api/v1/projects`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(10 * MAX_BODY_BYTES),
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get("connection")).toBe("close");
    expect(eventCount()).toBe(before);
  });

  it("answers 400 for malformed JSON and invalid UTF-8", async () => {
    for (const body of [Buffer.from('{"name": "x"'), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])]) {
      const before = eventCount();
      const res = await raw(
        "POST",
        "/api/v1/projects",
        { ...local(), ...json, "content-length": body.length },
        body,
      );
      expect([400, 422]).toContain(res.status);
      await expectProblem(
        { name: "json", route, status: res.status as 400, request: () => ({ path: "" }) },
        res,
        before,
      );
    }
  });

  it("refuses text that would be stored other than sent: bytes not UTF-8, half a surrogate pair", async () => {
    for (const [body, reason] of [
      [
        Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
        /not valid UTF-8/,
      ],
      [
        Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]),
        /not valid UTF-8/,
      ],
      [Buffer.from('{"name":"lone \\ud800 half"}'), /half a UTF-16 surrogate pair/],
      [Buffer.from('{"name":"x","description":"\\udfff"}'), /half a UTF-16 surrogate pair/],
    ] as const) {
      const before = eventCount();
      const res = await raw(
        "POST",
        "/api/v1/projects",
        { ...local(), ...json, "content-length": body.length },
        body,
      );
      expect(res.status).toBe(400);
      expect(((await res.clone().json()) as { detail: string }).detail).toMatch(reason);
      await expectProblem({ name: "text", route, status: 400, request: () => ({ path: "" }) }, res, before);
    }
    const pair = Buffer.from('{"name":"emoji \\ud83d\\ude00 pair"}');
    const res = await raw(
      "POST",
      "/api/v1/projects",
      { ...local(), ...json, "content-length": pair.length },
      pair,
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe("emoji 😀 pair");
  });

  it("accepts a bodiless POST with no content type (curl -X POST)", async () => {
    const res = await raw("POST", `/api/v1/projects/${f.projects.main.id}/archive`, local());
    expect(res.status).toBe(200);
    const back = await raw("POST", `/api/v1/projects/${f.projects.main.id}/unarchive`, {
      ...local(),
      "content-length": 0,
    });
    expect(back.status).toBe(200);
  });
});
