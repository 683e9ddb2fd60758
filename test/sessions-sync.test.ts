// A transcript copied from one machine's Claude config dir to another's: each machine records the
// session as its own (keyed by its machine id), and syncing the two leaves every session row
// written by its host only; neither machine echoes the other's session back.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assistant, jsonl, SESSION_ID, userPrompt } from "../src/sessions/fixtures/transcript-lines.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import { createMemoryTransport } from "./support/memory-transport.ts";
import { createDiscoveryWorld, type DiscoveryWorld } from "./support/sessions-world.ts";
import { createTempClaire, must } from "./support/temp-claire.ts";

const PROJECT = "-home-ada-work-claire";
const worlds: DiscoveryWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

describe("a transcript copied to a second machine", () => {
  it("is recorded by each machine as its own session, and sync makes no machine write the other's", async () => {
    const a = createDiscoveryWorld({ claire: createTempClaire({ machineName: "alpha" }) });
    const b = createDiscoveryWorld({ claire: createTempClaire({ machineName: "beta" }) });
    worlds.push(a, b);
    for (const w of [a, b]) w.claire.service.announceMachine({ kind: "machine", id: w.claire.machineId });
    const original = a.configs[0]!.write(
      PROJECT,
      `${SESSION_ID}.jsonl`,
      jsonl(userPrompt("shared work"), assistant({ id: "m1", requestId: "r1" })),
    );
    const copy = b.configs[0]!.path(PROJECT, `${SESSION_ID}.jsonl`);
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(original, copy);
    await a.discovery.refresh();
    await b.discovery.refresh();

    const nodes = new Map([
      ["http://alpha", a.claire.service],
      ["http://beta", b.claire.service],
    ]);
    const transport = createMemoryTransport(nodes);
    const deps = (w: DiscoveryWorld) => ({
      service: w.claire.service,
      transport,
      now: () => w.claire.clock.now,
      batchSize: 100,
      sleep: async () => {},
    });
    for (let round = 0; round < 2; round++) {
      expect((await syncPeer(deps(a), { url: "http://beta" })).ok).toBe(true);
      expect((await syncPeer(deps(b), { url: "http://alpha" })).ok).toBe(true);
    }

    // Each machine now knows both sessions: one per machine, same Claude session id.
    for (const w of [a, b]) {
      const sessions = must(w.claire.service.listSessions({})).sessions;
      expect(sessions.map((s) => [s.machineName, s.sessionId, s.title]).sort()).toEqual([
        ["alpha", SESSION_ID, "shared work"],
        ["beta", SESSION_ID, "shared work"],
      ]);
      // Every event about a machine's session was written by that machine.
      for (const e of w.sessionEvents()) expect(e.entity.startsWith(`${e.machine}/`)).toBe(true);
    }
    expect(a.sessionEvents()).toHaveLength(2);
    expect(b.sessionEvents()).toHaveLength(2);
    const rowsOf = (w: DiscoveryWorld) =>
      w.claire.store.db.prepare("SELECT id, machine_id FROM sessions ORDER BY id").all() as {
        id: string;
        machine_id: string;
      }[];
    for (const r of [...rowsOf(a), ...rowsOf(b)]) expect(r.id).toBe(`${r.machine_id}/${SESSION_ID}`);

    // Rescans after the sync: nothing to record on either side, so no event goes back and forth.
    expect(await a.discovery.refresh()).toMatchObject({ sessions: 1, changed: 0 });
    expect(await b.discovery.refresh()).toMatchObject({ sessions: 1, changed: 0 });
    expect((await syncPeer(deps(a), { url: "http://beta" })).pulled.accepted).toBe(0);
    expect((await syncPeer(deps(b), { url: "http://alpha" })).pulled.accepted).toBe(0);
    expect(a.sessionEvents()).toHaveLength(2);

    // A new line on alpha's copy changes alpha's session only.
    a.configs[0]!.append(
      PROJECT,
      `${SESSION_ID}.jsonl`,
      jsonl(userPrompt("more", { timestamp: "2026-11-21T00:00:00.000Z" })),
    );
    a.claire.clock.now += 60_000;
    expect(await a.discovery.refresh()).toMatchObject({ changed: 1 });
    await syncPeer(deps(b), { url: "http://alpha" });
    const onB = must(b.claire.service.listSessions({})).sessions;
    expect(onB.find((s) => s.machineId === a.claire.machineId)?.userMessages).toBe(2);
    expect(onB.find((s) => s.machineId === b.claire.machineId)?.userMessages).toBe(1);
    expect(await b.discovery.refresh()).toMatchObject({ changed: 0 });
  });
});
