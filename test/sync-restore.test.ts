// Restore from a backup: the restored node gets a new log id and writer epoch; its peers notice
// the new log and read it again from 0 (dedup makes that harmless), nothing collides with the
// events it wrote after the backup under the old epoch, and it learns those back from its peers.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Service } from "../src/service/index.ts";
import { backupDatabase, restoreDatabase } from "../src/store/backup.ts";
import { dumpProjections } from "../src/store/dump.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import { compareVectors } from "../src/sync/verify.ts";
import { createMemoryTransport } from "./support/memory-transport.ts";
import { createTempClaire, must, type TempClaire, tempDir } from "./support/temp-claire.ts";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

describe("restore from a backup", () => {
  it("resets peers' cursors, never reuses an origin slot, and re-learns the fleet's events", async () => {
    const dirA = tempDir("claire-restore-");
    cleanup.push(() => rmSync(dirA, { recursive: true, force: true }));
    const idA = randomUUID();
    const nodes = new Map<string, Service>();
    const state: { a: TempClaire } = { a: createTempClaire({ dir: dirA, machineId: idA, machineName: "a" }) };
    const b = createTempClaire({ machineName: "b" });
    const c = createTempClaire({ machineName: "c" });
    cleanup.push(() => state.a.close(), b.close, c.close);
    const setA = (x: TempClaire) => {
      state.a = x;
      nodes.set("mem://a", x.service);
    };
    setA(state.a);
    nodes.set("mem://b", b.service);
    nodes.set("mem://c", c.service);
    const transport = createMemoryTransport(nodes);
    const round = (from: TempClaire, to: string) =>
      syncPeer(
        { service: from.service, transport, now: () => from.clock.now, batchSize: 3, sleep: async () => {} },
        { url: `mem://${to}` },
      );
    const links: [() => TempClaire, string][] = [
      [() => state.a, "b"],
      [() => b, "a"],
      [() => b, "c"],
      [() => c, "b"],
    ];
    const settle = async () => {
      for (let i = 0; i < 3; i++)
        for (const [from, to] of links) expect((await round(from(), to)).ok).toBe(true);
    };
    const eventIds = (n: TempClaire) =>
      n.store.q.events
        .page(0, 1e6)
        .map((e) => e.id)
        .sort();

    const p = must(state.a.service.createProject(state.a.human, { name: "A before backup" }));
    must(c.service.createProject(c.human, { name: "C early" }));
    await settle();

    const backup = join(dirA, "backup.db");
    must(await backupDatabase(state.a.store.path, backup));
    const backupSlots = state.a.store.log.writer().origin_seq;

    // After the backup A keeps writing; peers get it. Then A's disk dies.
    for (let i = 0; i < 4; i++)
      must(state.a.service.createTask(state.a.human, { projectId: p.id, title: `after backup ${i}` }));
    await settle();
    must(c.service.createProject(c.human, { name: "C while A is down" }));
    const oldLogId = state.a.store.logId;
    const lostSlots = state.a.store.log.writer().origin_seq;
    expect(lostSlots).toBeGreaterThan(backupSlots);
    state.a.close();

    const restored = must(
      restoreDatabase({
        backup,
        dbPath: join(dirA, "claire.db"),
        machineId: idA,
        now: () => b.clock.now,
        newLogId: randomUUID,
      }),
    );
    setA(createTempClaire({ dir: dirA, machineId: idA, machineName: "a" }));
    const a = state.a;
    expect(a.store.logId).toBe(restored.logId);
    expect(a.store.logId).not.toBe(oldLogId);
    expect(a.store.log.writer()).toMatchObject({ epoch: 1, origin_seq: 0 });
    // The restored A lost the tasks it wrote after the backup.
    expect(must(a.service.listTasks({})).total).toBe(0);

    // A writes again before hearing from anyone: a new epoch, so no slot is reused.
    const after = must(a.service.createProject(a.human, { name: "A after restore" }));
    const newEvent = a.store.q.events.page(0, 1e6).find((e) => e.entityId === after.id)!;
    expect(newEvent).toMatchObject({ machineId: idA, epoch: 1, originSeq: 1 });

    // B pulls from A: a new log id, so its cursor starts from 0 and every old event is a duplicate.
    const cursorsBefore = b.store.db
      .prepare("SELECT log_id, after_seq FROM peer_cursors WHERE peer = 'mem://a'")
      .all();
    expect(cursorsBefore).toEqual([{ log_id: oldLogId, after_seq: expect.any(Number) }]);
    const ba = await round(b, "a");
    expect(ba.ok).toBe(true);
    expect(ba.pulled.accepted).toBe(1);
    expect(ba.pulled.duplicate).toBe(a.store.q.events.counts().events - 1);
    expect(b.store.q.sync.cursor("mem://a", a.store.logId)).toBe(a.store.q.events.counts().maxSeq);

    // A re-learns what it wrote after the backup (and what C wrote meanwhile) from its peers.
    await settle();
    const titles = must(a.service.listTasks({}))
      .tasks.map((t) => t.title)
      .sort();
    expect(titles).toEqual(["after backup 0", "after backup 1", "after backup 2", "after backup 3"]);
    expect(eventIds(a)).toEqual(eventIds(b));
    expect(eventIds(b)).toEqual(eventIds(c));
    expect(dumpProjections(a.store.db)).toEqual(dumpProjections(b.store.db));
    expect(dumpProjections(c.store.db)).toEqual(dumpProjections(b.store.db));
    for (const n of [a, b, c]) expect(n.store.q.events.counts().rejected).toBe(0);
    // Both epochs of A are in every summary, each contiguous from 1.
    const vector = a.service.syncSummary().vector.filter((v) => v.machineId === idA);
    expect(vector).toEqual([
      { machineId: idA, epoch: 0, contiguous: lostSlots, count: lostSlots, maxOriginSeq: lostSlots },
      { machineId: idA, epoch: 1, contiguous: 1, count: 1, maxOriginSeq: 1 },
    ]);
    expect(compareVectors(a.service.syncSummary().vector, c.service.syncSummary().vector, "c")).toEqual([]);
  });
});
