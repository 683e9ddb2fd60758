// Hostile input against the sync endpoints over real loopback HTTP: bad HLCs, injected and
// malformed type names, forged duplicates, oversized batches, missing or wrong tokens (with
// auth.require = "always"), and a peer that answers garbage. Every bad event is refused into
// `rejected` with a reason; nothing else changes; nothing answers 500.
import { createServer, request, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { WireEvent } from "../src/domain/events.ts";
import { dumpProjections } from "../src/store/dump.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import { createHttpTransport } from "../src/sync/transport.ts";
import { fakePeer, type Listening, serveClaire } from "./support/sync-http.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

const open: TempClaire[] = [];
const servers: Listening[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const c of open.splice(0)) c.close();
});
const node = (name: string) => {
  const c = createTempClaire({ machineName: name, now: Date.now() });
  open.push(c);
  return c;
};
const listen = async <T extends Listening>(p: Promise<T>): Promise<T> => {
  const s = await p;
  servers.push(s);
  return s;
};

const call = async (
  url: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
) => {
  const res = await fetch(`${url}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.token !== undefined && { authorization: `Bearer ${init.token}` }),
      ...(init.body !== undefined && { "content-type": "application/json" }),
    },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body: body as Record<string, unknown> };
};

/** A bare node:http server on a loopback port, closed after the test; its URL. */
const listenRaw = async (server: Server): Promise<string> => {
  server.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  servers.push({
    url: "",
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
};

/**
 * A POST over node:http that reports the status even when the server answers before reading the
 * whole body (as it does with 413) and then closes the connection.
 */
const rawPost = (url: string, path: string, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const u = new URL(`${url}/api/v1${path}`);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        // A fresh connection: after an early 413 the server closes the one it answered on.
        agent: false,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", reject);
    req.end(body);
  });

/** Real events made by another machine, as they travel. */
const foreignEvents = (): WireEvent[] => {
  const other = node("other");
  const p = must(other.service.createProject(other.human, { name: "genuine" }));
  must(other.service.createTask(other.human, { projectId: p.id, title: "genuine task" }));
  return other.service.eventsPage(0, 100).events;
};

const rowCount = (c: TempClaire, table: string) =>
  (c.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe("sync endpoints under hostile input", () => {
  it("refuses requests without a token, or with a wrong or revoked one, when auth.require = always", async () => {
    const a = node("a");
    const token = must(a.service.createToken("peer-b")).token;
    const revoked = must(a.service.createToken("old")).token;
    must(a.service.revokeToken("old"));
    const s = await listen(serveClaire(a.service, { require: "always" }));
    const routes: [string, string, unknown?][] = [
      ["GET", "/sync/events?after=0&limit=10"],
      ["POST", "/sync/events", { events: foreignEvents() }],
      ["GET", "/sync/summary"],
      ["GET", "/sync/contacts"],
      ["POST", "/sync/run", {}],
      ["GET", "/sync/peers"],
      ["GET", "/status"],
    ];
    const before = rowCount(a, "events");
    for (const [method, path, body] of routes) {
      for (const bad of [undefined, "", "claire_wrong", `${token}x`, revoked, token.toUpperCase()]) {
        const r = await call(s.url, path, { method, body, ...(bad !== undefined && { token: bad }) });
        expect(r.status, `${method} ${path} with ${bad}`).toBe(401);
        expect(r.body.type).toMatch(/unauthorized/);
      }
    }
    expect(rowCount(a, "events")).toBe(before);
    for (const [method, path, body] of routes) {
      const r = await call(s.url, path, { method, body, token });
      expect(r.status, `${method} ${path}`).toBe(200);
    }
    expect(rowCount(a, "events")).toBe(before + 2);
    // The default (off-loopback) lets loopback in without a token.
    const open = await listen(serveClaire(a.service));
    expect((await call(open.url, "/sync/summary")).status).toBe(200);
  });

  it("over loopback a token is not needed but still checked: GET /auth says refused for a revoked one, and a good one is 'last used'", async () => {
    const a = node("a");
    const token = must(a.service.createToken("peer-b")).token;
    const old = must(a.service.createToken("old")).token;
    must(a.service.revokeToken("old"));
    const s = await listen(serveClaire(a.service));
    expect((await call(s.url, "/auth", { token })).body).toEqual({ token: "accepted", needed: false });
    expect((await call(s.url, "/auth", { token: old })).body).toEqual({ token: "refused", needed: false });
    expect((await call(s.url, "/auth")).body).toEqual({ token: "none", needed: false });
    // Still let in: nothing changes for a peer that works today.
    expect((await call(s.url, "/sync/summary", { token: old })).status).toBe(200);
    expect(a.service.listTokens().find((t) => t.name === "peer-b")?.lastUsedAt).not.toBeNull();
    const always = await listen(serveClaire(a.service, { require: "always" }));
    expect((await call(always.url, "/auth", { token })).body).toEqual({ token: "accepted", needed: true });
    expect((await call(always.url, "/auth", { token: old })).status).toBe(401);
  });

  it("refuses each bad event into `rejected` with its reason, and keeps the good ones", async () => {
    const a = node("a");
    const s = await listen(serveClaire(a.service));
    const [good, second] = foreignEvents() as [WireEvent, WireEvent];
    must(a.service.createProject(a.human, { name: "A's own" }));
    const own = a.service.eventsPage(0, 10).events[0]!;
    const dumpBefore = dumpProjections(a.store.db);
    const id = () => crypto.randomUUID();
    const bad: [string, unknown][] = [
      [
        "hlc not in the clock's format",
        { ...second, id: id(), hlc: "2026-11-23T12:00:00.000Z-0000-0000000" },
      ],
      ["hlc in upper case", { ...second, id: id(), hlc: second.hlc.toUpperCase() }],
      ["hlc of another node", { ...second, id: id(), hlc: `${second.hlc.slice(0, 18)}0123456789abcdef` }],
      ["hlc too short", { ...second, id: id(), hlc: "0" }],
      ["SQL in the type name", { ...second, id: id(), type: "x'); drop table events;--" }],
      ["upper-case type name", { ...second, id: id(), type: "TASK.CREATED" }],
      ["type name too long", { ...second, id: id(), type: `a.${"b".repeat(80)}` }],
      ["type name without a dot", { ...second, id: id(), type: "task" }],
      ["data that is not JSON", { ...second, id: id(), data: "{not json" }],
      ["data that is an array", { ...second, id: id(), data: "[1,2]" }],
      ["data over the size limit", { ...second, id: id(), data: JSON.stringify({ t: "x".repeat(600_000) }) }],
      ["data that breaks its schema", { ...second, id: id(), data: JSON.stringify({ title: 42 }) }],
      ["negative epoch", { ...second, id: id(), epoch: -1 }],
      ["origin_seq 0", { ...second, id: id(), originSeq: 0 }],
      ["an extra field", { ...second, id: id(), sneaky: true }],
      ["a missing field", { id: id(), hlc: second.hlc }],
      ["not an object", "just a string"],
      ["an id that is not a UUID", { ...second, id: "'; DELETE FROM events; --" }],
      [
        "a forged duplicate of A's own event",
        { ...own, data: JSON.stringify({ ...JSON.parse(own.data), name: "forged" }) },
      ],
      [
        "another event in a taken origin slot",
        { ...good, id: id(), data: JSON.stringify({ ...JSON.parse(good.data), name: "slot thief" }) },
      ],
    ];
    // Over 1 MiB in one body is refused as a whole (413), so send the big one on its own.
    const [bigLabel, big] = bad.splice(10, 1)[0]!;
    const bigReply = await call(s.url, "/sync/events", { method: "POST", body: { events: [big] } });
    expect(bigReply.status, bigLabel).toBe(200);
    expect((bigReply.body.results as { status: string }[])[0]!.status).toBe("rejected");

    const r = await call(s.url, "/sync/events", {
      method: "POST",
      body: { events: [good, ...bad.map((b) => b[1])] },
    });
    expect(r.status).toBe(200);
    const results = r.body.results as { id: string | null; status: string; reason?: string }[];
    // The slot thief comes after `good` in the same batch, so the slot is taken by then.
    expect(results[0]!.status).toBe("accepted");
    results.slice(1).forEach((res, i) => {
      expect(res.status, bad[i]![0]).toBe("rejected");
      expect(res.reason, bad[i]![0]).toBeTruthy();
    });
    expect(r.body).toMatchObject({ accepted: 1, rejected: bad.length, duplicate: 0, quarantined: 0 });
    expect(results.find((x) => x.id === own.id)?.reason).toMatch(/different content/);

    // Recorded with reason and source; the table and A's own event are intact.
    const rejected = a.store.q.events.rejected(100);
    expect(rejected).toHaveLength(bad.length + 1);
    expect(rejected.every((x) => x.source.startsWith("push from ") && x.reason.length > 0)).toBe(true);
    expect(a.store.db.prepare("SELECT data FROM events WHERE id = ?").get(own.id)).toEqual({
      data: own.data,
    });
    expect(rowCount(a, "events")).toBe(2); // A's own and `good`
    expect(a.service.fleetStatus().events.rejected).toBe(bad.length + 1);
    // Projections moved only by `good` (a project): nothing of the rest reached them.
    const dumpAfter = dumpProjections(a.store.db);
    expect(dumpAfter.tasks).toEqual(dumpBefore.tasks);
    expect(dumpAfter.projects).toHaveLength(2);

    // The same batch again: the good one is a duplicate now, the bad ones rejected again.
    const again = await call(s.url, "/sync/events", { method: "POST", body: { events: [good] } });
    expect(again.body).toMatchObject({ accepted: 0, duplicate: 1 });
  });

  it("answers oversized batches and bad cursors with 413/422, never 500", async () => {
    const a = node("a");
    const s = await listen(serveClaire(a.service));
    const [ev] = foreignEvents() as [WireEvent];
    // More events than a batch may hold: 422 when small enough to read, 413 when over 1 MiB.
    const tiny = await call(s.url, "/sync/events", {
      method: "POST",
      body: { events: Array(5_001).fill({}) },
    });
    expect(tiny.status).toBe(422);
    const many = Array.from({ length: 5_001 }, () => ({ ...ev, id: crypto.randomUUID() }));
    expect(await rawPost(s.url, "/sync/events", JSON.stringify({ events: many }))).toBe(413);
    const tooBig = await rawPost(
      s.url,
      "/sync/events",
      JSON.stringify({ events: [{ ...ev, data: JSON.stringify({ t: "y".repeat(1_100_000) }) }] }),
    );
    expect(tooBig).toBe(413);
    expect((await call(s.url, "/sync/events", { method: "POST", body: { events: [] } })).status).toBe(422);
    expect((await call(s.url, "/sync/events", { method: "POST", body: "{" })).status).toBe(400);
    expect((await call(s.url, "/sync/events", { method: "POST", body: [ev] })).status).toBe(422);
    for (const q of ["after=-1", "after=abc", "limit=0", "limit=5001", "after=1e400", "after=0&extra=1"]) {
      const r = await call(s.url, `/sync/events?${q}`);
      expect(r.status, q).toBe(422);
    }
    expect(rowCount(a, "events")).toBe(0);
    expect(rowCount(a, "rejected")).toBe(0);
  });

  it("a peer answering garbage pages: the puller records an error and changes nothing", async () => {
    const b = node("b");
    must(b.service.createProject(b.human, { name: "B's own" }));
    const real = node("real");
    must(real.service.createProject(real.human, { name: "real" }));
    const page = real.service.eventsPage(0, 10);
    const garbage: [string, string, number?][] = [
      ["HTML", "<html>oops</html>"],
      ["empty body", ""],
      ["JSON of another shape", JSON.stringify({ hello: "world" })],
      ["a page with an extra field", JSON.stringify({ ...page, extra: 1 })],
      ["another protocol", JSON.stringify({ ...page, protocol: 99 })],
      ["a cursor beyond its log", JSON.stringify({ ...page, nextAfter: page.maxSeq + 5 })],
      ["a cursor that does not advance", JSON.stringify({ ...page, nextAfter: 0 })],
      [
        "an empty page that says there is more and does not advance",
        JSON.stringify({ ...page, events: [], hasMore: true, nextAfter: 0 }),
      ],
      ["a negative cursor", JSON.stringify({ ...page, nextAfter: -1 })],
      ["a log id that is not a UUID", JSON.stringify({ ...page, logId: "x" })],
      ["events that is not a list", JSON.stringify({ ...page, events: { 0: page.events[0] } })],
      ["too many events", JSON.stringify({ ...page, events: Array(5_001).fill(page.events[0]) })],
      ["a 500 with a stack trace", "Error: at foo.js:1", 500],
      ["a 200 that is a JSON string", JSON.stringify("events")],
    ];
    const transport = createHttpTransport({ timeoutMs: 3_000 });
    const before = {
      events: rowCount(b, "events"),
      rejected: rowCount(b, "rejected"),
      dump: dumpProjections(b.store.db),
    };
    for (const [label, body, status] of garbage) {
      const peer = await listen(
        fakePeer((req) => (req.url?.startsWith("/api/v1/sync/events") ? { body, status } : { body: "{}" })),
      );
      const r = await syncPeer(
        { service: b.service, transport, now: Date.now, batchSize: 100, sleep: async () => {}, attempts: 2 },
        { url: peer.url },
      );
      expect(r.ok, label).toBe(false);
      expect(r.error, label).toBeTruthy();
      expect(r.pulled.accepted + r.pulled.rejected, label).toBe(0);
      expect(b.service.peerStatus(peer.url).last_error, label).toBe(r.error);
      expect(b.store.db.prepare("SELECT COUNT(*) AS n FROM peer_cursors").get(), label).toEqual({ n: 0 });
      // Nothing was pushed either: a round pushes only after a clean pull.
      expect(
        peer.requests.filter((q) => q.startsWith("POST")),
        label,
      ).toEqual([]);
    }
    expect(rowCount(b, "events")).toBe(before.events);
    expect(rowCount(b, "rejected")).toBe(before.rejected);
    expect(dumpProjections(b.store.db)).toEqual(before.dump);
    const health = b.service.fleetStatus().peers;
    expect(health).toHaveLength(garbage.length);
    expect(health.every((h) => h.lastError !== null && h.lastSuccessAt === null)).toBe(true);
  });

  it("a well-formed page with junk events: each is rejected with the peer named, and the cursor moves past", async () => {
    const b = node("b");
    const real = node("real");
    must(real.service.createProject(real.human, { name: "real" }));
    const page = real.service.eventsPage(0, 10);
    // The last one is nested deeper than any stack: refusing it must not fail the page.
    const junk = [
      { nope: 1 },
      { ...page.events[0]!, id: crypto.randomUUID(), type: "DROP TABLE" },
      42,
      "DEEP",
    ];
    const body = JSON.stringify({
      ...page,
      events: [...junk, ...page.events],
      nextAfter: page.maxSeq,
    }).replace('"DEEP"', `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    const peer = await listen(
      fakePeer((req) => (req.method === "GET" ? { body } : { body: "{}", status: 404 })),
    );
    const r = await syncPeer(
      {
        service: b.service,
        transport: createHttpTransport(),
        now: Date.now,
        batchSize: 100,
        sleep: async () => {},
      },
      { url: peer.url },
    );
    expect(r.pulled).toEqual({ accepted: page.events.length, duplicate: 0, quarantined: 0, rejected: 4 });
    expect(b.store.q.sync.cursor(peer.url, page.logId)).toBe(page.maxSeq);
    const rejected = b.store.q.events.rejected(10);
    expect(rejected).toHaveLength(4);
    expect(rejected.every((x) => x.source === peer.url)).toBe(true);
    expect(b.service.listProjects().map((p) => p.name)).toEqual(["real"]);
  });

  it("a peer that never answers costs one timeout per round, not one per retry", async () => {
    const b = node("b");
    const silent = createServer(() => {}); // accepts, never answers
    const url = await listenRaw(silent);
    const t = Date.now();
    const r = await syncPeer(
      {
        service: b.service,
        transport: createHttpTransport({ timeoutMs: 300 }),
        now: Date.now,
        batchSize: 10,
        attempts: 3,
        baseDelayMs: 10,
      },
      { url },
    );
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - t).toBeLessThan(800);
  });

  it("stops reading a peer's answer past the size limit, declared or not, and keeps none of it", async () => {
    let written = 0;
    const endless = createServer((req, res) => {
      req.resume();
      if (req.url?.includes("declared")) {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(1 << 30) });
        res.write("{");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(64 * 1024, 97);
      const more = () => {
        while (!res.destroyed && written < 256 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
      };
      res.on("close", () => {});
      more();
    });
    const url = await listenRaw(endless);
    const transport = createHttpTransport({ timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 });
    await expect(transport.getSummary({ url })).rejects.toThrow(/larger than 1 MiB; refused unread/);
    // It stopped asking for more soon after the limit (socket buffers aside), not at 256 MiB.
    expect(written).toBeLessThan(32 * 1024 * 1024);
    await expect(transport.getSummary({ url: `${url}/declared` })).rejects.toThrow(/refused unread/);
  });

  it("shows a peer's own error text as one safe line: no newlines, colour codes or bidi overrides", async () => {
    const detail = "\u001b[31mPWNED\u001b[0m\u0007 run this\nfake row\u202e";
    const peer = await listen(fakePeer(() => ({ status: 418, body: JSON.stringify({ detail }) })));
    const err = await createHttpTransport()
      .getSummary({ url: peer.url })
      .catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `${peer.url} answered HTTP 418: \\u001b[31mPWNED\\u001b[0m\\u0007 run this\\u000afake row\\u202e`,
    );
  });

  it("refuses a push reply whose counts do not account for the events sent", async () => {
    const b = node("b");
    must(b.service.createProject(b.human, { name: "to push" }));
    const empty = {
      protocol: 1,
      logId: crypto.randomUUID(),
      machineId: crypto.randomUUID(),
      events: [],
      nextAfter: 0,
      hasMore: false,
      maxSeq: 0,
    };
    const peer = await listen(
      fakePeer((req) =>
        req.method === "GET"
          ? { body: JSON.stringify(empty) }
          : {
              body: JSON.stringify({
                accepted: 1_000_000,
                duplicate: 0,
                quarantined: 0,
                rejected: 0,
                results: [],
              }),
            },
      ),
    );
    const r = await syncPeer(
      {
        service: b.service,
        transport: createHttpTransport(),
        now: Date.now,
        batchSize: 100,
        sleep: async () => {},
        attempts: 1,
      },
      { url: peer.url },
    );
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/push reply that does not account for the \d+ events sent/);
    expect(r.pushed.accepted).toBe(0);
  });
});
