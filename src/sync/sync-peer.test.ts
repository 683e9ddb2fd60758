import { afterEach, describe, expect, it } from "vitest";
import { createMemoryTransport } from "../../test/support/memory-transport.ts";
import { createTempClaire, must, type TempClaire, tempDir } from "../../test/support/temp-claire.ts";
import type { WireEvent } from "../domain/events.ts";
import type { Service } from "../service/index.ts";
import { MAX_PAGE_BYTES } from "../service/sync.ts";
import { dumpProjections } from "../store/dump.ts";
import { MAX_PULL_LIMIT, MAX_PUSH_BYTES } from "./protocol.ts";
import { pushChunks, syncPeer } from "./sync-peer.ts";
import { PeerError, type SyncTransport } from "./transport.ts";

const open: TempClaire[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
const node = (name: string) => {
  const c = createTempClaire({ machineName: name });
  open.push(c);
  return c;
};

const setup = (names: string[]) => {
  const nodes = names.map(node);
  const services = new Map<string, Service>(names.map((n, i) => [`mem://${n}`, nodes[i]!.service]));
  const transport = createMemoryTransport(services);
  const round = (from: TempClaire, to: string) =>
    syncPeer(
      { service: from.service, transport, now: () => from.clock.now, batchSize: 3, sleep: async () => {} },
      { url: `mem://${to}` },
    );
  return { nodes, round };
};

const eventIds = (c: TempClaire) =>
  c.store.q.events
    .page(0, 1e6)
    .map((e) => e.id)
    .sort();

describe("syncPeer", () => {
  it("pulls in pages, pushes own events, and converges two nodes", async () => {
    const { nodes, round } = setup(["a", "b"]);
    const [a, b] = nodes as [TempClaire, TempClaire];
    const p = must(a.service.createProject(a.human, { name: "From A" }));
    for (let i = 0; i < 7; i++) must(a.service.createTask(a.human, { projectId: p.id, title: `t${i}` }));
    must(b.service.createProject(b.human, { name: "From B" }));
    const r = await round(b, "a");
    expect(r).toMatchObject({ ok: true, behind: 0 });
    expect(r.pulled.accepted).toBe(8);
    expect(r.pushed.accepted).toBe(1);
    expect(eventIds(a)).toEqual(eventIds(b));
    expect(dumpProjections(a.store.db)).toEqual(dumpProjections(b.store.db));
    // A second round moves nothing.
    const again = await round(b, "a");
    expect(again.pulled.accepted + again.pushed.accepted).toBe(0);
  });

  it("relays: C still gets an older-HLC event that reached B after C pulled from B", async () => {
    const { nodes, round } = setup(["a", "b", "c"]);
    const [a, b, c] = nodes as [TempClaire, TempClaire, TempClaire];
    // A writes early (old HLC) but B has not heard of it yet.
    a.clock.now -= 60_000;
    must(a.service.createProject(a.human, { name: "old from A" }));
    // B writes later (newer HLC); C pulls from B.
    must(b.service.createProject(b.human, { name: "new from B" }));
    await round(c, "b");
    expect(c.service.listProjects().map((p) => p.name)).toEqual(["new from B"]);
    // Now B pulls the older event from A; C pulls from B again and must get it.
    await round(b, "a");
    await round(c, "b");
    expect(
      c.service
        .listProjects()
        .map((p) => p.name)
        .sort(),
    ).toEqual(["new from B", "old from A"]);
  });

  it("starts over from 0 when the peer's log id changes", async () => {
    const { nodes, round } = setup(["a", "b"]);
    const [a, b] = nodes as [TempClaire, TempClaire];
    must(a.service.createProject(a.human, { name: "one" }));
    await round(b, "a");
    a.store.db
      .prepare("UPDATE meta SET value = '00000000-0000-4000-8000-000000000001' WHERE key = 'log_id'")
      .run();
    const reopened = createTempClaire({ dir: a.dir, machineId: a.machineId });
    open.push(reopened);
    const services = new Map<string, Service>([["mem://a", reopened.service]]);
    const r = await syncPeer(
      {
        service: b.service,
        transport: createMemoryTransport(services),
        now: () => b.clock.now,
        batchSize: 10,
        sleep: async () => {},
      },
      { url: "mem://a" },
    );
    expect(r.ok).toBe(true);
    expect(r.pulled.duplicate).toBe(eventIds(a).length);
  });

  it("resumes after a restart of either node between rounds: cursor and push position survive", async () => {
    const dirA = tempDir();
    const dirB = tempDir();
    const ids = { a: crypto.randomUUID(), b: crypto.randomUUID() };
    let a = createTempClaire({ dir: dirA, machineId: ids.a, machineName: "a" });
    let b = createTempClaire({ dir: dirB, machineId: ids.b, machineName: "b" });
    const services = new Map<string, Service>([
      ["mem://a", a.service],
      ["mem://b", b.service],
    ]);
    const transport = createMemoryTransport(services);
    const round = (maxPages?: number) =>
      syncPeer(
        {
          service: b.service,
          transport,
          now: () => b.clock.now,
          batchSize: 4,
          sleep: async () => {},
          ...(maxPages !== undefined && { maxPages }),
        },
        { url: "mem://a" },
      );
    try {
      const p = must(a.service.createProject(a.human, { name: "A" }));
      for (let i = 0; i < 10; i++) must(a.service.createTask(a.human, { projectId: p.id, title: `a${i}` }));
      for (let i = 0; i < 6; i++) must(b.service.createProject(b.human, { name: `b${i}` }));
      // One page only: B has 4 of A's 11 events and has pushed its own 6.
      const first = await round(1);
      expect(first).toMatchObject({ ok: true, behind: 7 });
      expect(first.pulled.accepted).toBe(4);
      expect(first.pushed.accepted).toBe(6);
      // Both restart (the store closes and opens again from its file).
      b.close();
      a.close();
      b = createTempClaire({ dir: dirB, machineId: ids.b, machineName: "b" });
      a = createTempClaire({ dir: dirA, machineId: ids.a, machineName: "a" });
      services.set("mem://a", a.service);
      services.set("mem://b", b.service);
      must(b.service.createProject(b.human, { name: "after restart" }));
      const second = await round();
      // Nothing of A's is read twice and nothing pushed twice: both positions were kept. (The 6
      // duplicates are B's own events, which A's log now holds after its 11.)
      expect(second).toMatchObject({ ok: true, behind: 0 });
      expect(second.pulled).toEqual({ accepted: 7, duplicate: 6, quarantined: 0, rejected: 0 });
      expect(second.pushed).toEqual({ accepted: 1, duplicate: 0, quarantined: 0, rejected: 0 });
      expect(eventIds(a)).toEqual(eventIds(b));
      expect(dumpProjections(a.store.db)).toEqual(dumpProjections(b.store.db));
    } finally {
      a.close();
      b.close();
    }
  });

  it("pushes every own event in one round, however many batches they span", async () => {
    const { nodes, round } = setup(["a", "b"]);
    const [a, b] = nodes as [TempClaire, TempClaire];
    const p = must(b.service.createProject(b.human, { name: "B" }));
    for (let i = 0; i < 10; i++) must(b.service.createTask(b.human, { projectId: p.id, title: `t${i}` }));
    // batchSize 3: 11 own events span four batches.
    const r = await round(b, "a");
    expect(r.ok).toBe(true);
    expect(r.pushed.accepted).toBe(11);
    expect(eventIds(a)).toEqual(eventIds(b));
    expect(b.service.peerStatus("mem://a").push_seq).toBe(11);
  });

  it("keeps each push body under the server's body limit", async () => {
    const a = node("a");
    const b = node("b");
    const p = must(b.service.createProject(b.human, { name: "big" }));
    const description = "x".repeat(20_000);
    for (let i = 0; i < 120; i++)
      must(b.service.createTask(b.human, { projectId: p.id, title: `t${i}`, description }));
    const inner = createMemoryTransport(new Map([["mem://a", a.service]]));
    let bodies = 0;
    // The HTTP server answers 413 to a body over 1 MiB: refuse the same way here.
    const transport: SyncTransport = {
      ...inner,
      postEvents: async (peer, events) => {
        bodies++;
        const size = Buffer.byteLength(JSON.stringify({ events }));
        if (size > 1024 * 1024) throw new PeerError(`${peer.url} answered HTTP 413`, 413);
        return inner.postEvents(peer, events);
      },
    };
    const r = await syncPeer(
      { service: b.service, transport, now: () => b.clock.now, batchSize: 1000, sleep: async () => {} },
      { url: "mem://a" },
    );
    expect(r.error).toBeNull();
    expect(r.pushed.accepted).toBe(121);
    expect(bodies).toBeGreaterThan(2);
    expect(eventIds(a)).toEqual(eventIds(b));
  });

  it("splits push bodies by bytes and leaves an event too large for any body to pull", () => {
    const ev = (n: number): WireEvent => ({
      id: crypto.randomUUID(),
      hlc: "000000000001-0000-0000000000000001",
      machineId: crypto.randomUUID(),
      epoch: 0,
      originSeq: 1,
      actor: { kind: "human", id: "x" },
      type: "update.posted",
      entityId: crypto.randomUUID(),
      data: JSON.stringify({ text: "y".repeat(n) }),
    });
    const events = [ev(100), ev(400_000), ev(400_000), ev(MAX_PUSH_BYTES), ev(10)];
    const chunks = pushChunks(events);
    expect(chunks.map((c) => c.length)).toEqual([2, 2]);
    for (const c of chunks)
      expect(Buffer.byteLength(JSON.stringify({ events: c }))).toBeLessThanOrEqual(MAX_PUSH_BYTES);
    expect(chunks.flat()).not.toContain(events[3]);
  });

  it("asks for at most the protocol's page size even when batch_size is larger", async () => {
    const a = node("a");
    const b = node("b");
    must(a.service.createProject(a.human, { name: "one" }));
    const inner = createMemoryTransport(new Map([["mem://a", a.service]]));
    const transport: SyncTransport = {
      ...inner,
      getEvents: async (peer, after, limit) => {
        // The HTTP route answers 422 above MAX_PULL_LIMIT.
        if (limit > MAX_PULL_LIMIT) throw new PeerError(`${peer.url} answered HTTP 422`, 422);
        return inner.getEvents(peer, after, limit);
      },
    };
    const r = await syncPeer(
      { service: b.service, transport, now: () => b.clock.now, batchSize: 10_000, sleep: async () => {} },
      { url: "mem://a" },
    );
    expect(r.error).toBeNull();
    expect(r.pulled.accepted).toBe(1);
  });

  it("serves pages of large events in several pages, each under the page byte budget", () => {
    const a = node("a");
    const p = must(a.service.createProject(a.human, { name: "large" }));
    const description = "z".repeat(49_000);
    for (let i = 0; i < 200; i++)
      must(a.service.createTask(a.human, { projectId: p.id, title: `t${i}`, description }));
    const first = a.service.eventsPage(0, 1000);
    expect(first.hasMore).toBe(true);
    expect(first.events.length).toBeGreaterThan(1);
    expect(first.events.length).toBeLessThan(201);
    expect(first.events.reduce((n, e) => n + e.data.length, 0)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    const second = a.service.eventsPage(first.nextAfter, 1000);
    expect(second.hasMore).toBe(false);
    expect(first.events.length + second.events.length).toBe(201);
  });
});
