import { afterEach, describe, expect, it } from "vitest";
import { createMemoryTransport } from "../../test/support/memory-transport.ts";
import { createTempClaire, must, type TempClaire } from "../../test/support/temp-claire.ts";
import type { Service } from "../service/index.ts";
import { dumpProjections } from "../store/dump.ts";
import { syncPeer } from "./sync-peer.ts";

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
});
