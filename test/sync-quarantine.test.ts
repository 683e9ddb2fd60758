// A peer whose clock is a day ahead: its events are stored and relayed but applied nowhere, no
// other clock moves, local writes go on; once time catches up, releaseQuarantine applies them
// everywhere and the fleet converges.
import { afterEach, describe, expect, it } from "vitest";
import { parseHlc } from "../src/clock/index.ts";
import type { Service } from "../src/service/index.ts";
import { dumpProjections } from "../src/store/dump.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import { createMemoryTransport } from "./support/memory-transport.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

const DAY = 24 * 60 * 60 * 1000;
const open: TempClaire[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

const clockMs = (c: TempClaire) => {
  const h = parseHlc(c.store.log.writer().hlc);
  if (!h.ok) throw new Error(h.error.message);
  return h.value.ms;
};
const names = (c: TempClaire) =>
  c.service
    .listProjects()
    .map((p) => p.name)
    .sort();
const ids = (c: TempClaire) =>
  c.store.q.events
    .page(0, 1e6)
    .map((e) => e.id)
    .sort();

describe("a peer whose clock is a day ahead", () => {
  it("is stored and relayed but applied nowhere until time catches up", async () => {
    const [a, b, c] = ["a", "b", "c"].map((name) => {
      const n = createTempClaire({ machineName: name });
      open.push(n);
      return n;
    }) as [TempClaire, TempClaire, TempClaire];
    a.clock.now += DAY;
    const nodes = new Map<string, Service>([
      ["mem://a", a.service],
      ["mem://b", b.service],
      ["mem://c", c.service],
    ]);
    const transport = createMemoryTransport(nodes);
    // A line: A-B and B-C, no A-C link.
    const round = (from: TempClaire, to: string) =>
      syncPeer(
        { service: from.service, transport, now: () => from.clock.now, batchSize: 2, sleep: async () => {} },
        { url: `mem://${to}` },
      );
    for (const n of [a, b, c]) {
      n.service.announceMachine({ kind: "machine", id: n.machineId });
      must(
        n.service.observeSession(
          { kind: "session", id: "s" },
          { machineId: n.machineId, sessionId: `s-${n.machineId.slice(0, 4)}` },
          { cwd: "/repo", state: "working" },
        ),
      );
    }

    const p = must(a.service.createProject(a.human, { name: "from the future" }));
    must(a.service.createTask(a.human, { projectId: p.id, title: "tomorrow's task" }));
    must(a.service.sendMessage(a.human, { to: "all", body: "hello from tomorrow" }));
    const futureEvents = a.store.q.events.counts().events;

    const before = { b: clockMs(b), c: clockMs(c) };
    // A pushes to B and B pulls from A: quarantined either way.
    const ab = await round(a, "b");
    expect(ab.ok).toBe(true);
    expect(ab.pushed.quarantined).toBeGreaterThan(0);
    expect(ab.pushed.accepted).toBe(0);
    const ba = await round(b, "a");
    expect(ba.ok).toBe(true);
    expect(ba.pulled.accepted).toBe(0);
    // B's pull measured A's clock: a day ahead, which status, peer list and the dashboard show.
    expect(b.service.peerHealth().find((h) => h.peer === "mem://a")?.clockOffsetMs).toBe(DAY);
    // C hears of them only through B: relayed, and still not applied.
    const cb = await round(c, "b");
    expect(cb.ok).toBe(true);
    expect(cb.pulled.quarantined).toBe(futureEvents);

    for (const n of [b, c]) {
      expect(n.service.fleetStatus().events.quarantined).toBe(futureEvents);
      expect(names(n)).toEqual([]);
      expect(n.service.listMessages()).toEqual([]);
    }
    // Nobody's clock moved towards A's.
    expect(clockMs(b)).toBe(before.b);
    expect(clockMs(c)).toBe(before.c);

    // Local writes go on, stamped with local time, and reach A (whose clock is ahead: applied).
    must(b.service.createProject(b.human, { name: "from B" }));
    must(c.service.createProject(c.human, { name: "from C" }));
    expect(clockMs(b)).toBeLessThan(b.clock.now + 1000);
    expect(clockMs(c)).toBeLessThan(c.clock.now + 1000);
    await round(b, "c");
    await round(a, "b");
    expect(names(a)).toEqual(["from B", "from C", "from the future"]);

    // Nothing is released while A's events are still ahead of local time.
    expect(b.service.releaseQuarantine()).toBe(0);
    expect(c.service.releaseQuarantine()).toBe(0);

    // A day passes.
    b.clock.now += DAY;
    c.clock.now += DAY;
    a.clock.now += 60_000;
    expect(b.service.releaseQuarantine()).toBe(futureEvents);
    expect(c.service.releaseQuarantine()).toBe(futureEvents);
    for (const n of [b, c]) {
      expect(n.service.fleetStatus().events.quarantined).toBe(0);
      expect(names(n)).toEqual(["from B", "from C", "from the future"]);
      expect(n.service.listMessages().map((m) => m.body)).toEqual(["hello from tomorrow"]);
    }
    // Releasing made local deliveries of A's message: they travel like any event.
    for (let i = 0; i < 2; i++) {
      await round(b, "a");
      await round(c, "b");
      await round(b, "c");
      await round(a, "b");
    }
    expect(ids(a)).toEqual(ids(b));
    expect(ids(b)).toEqual(ids(c));
    const dump = dumpProjections(a.store.db);
    expect(dumpProjections(b.store.db)).toEqual(dump);
    expect(dumpProjections(c.store.db)).toEqual(dump);
    expect(must(a.service.getMessage(a.service.listMessages()[0]!.id)).deliveries).toHaveLength(3);
    for (const n of [a, b, c]) expect(n.service.fleetStatus().events.rejected).toBe(0);
  });
});

describe("a machine whose clock was fast", () => {
  it("says so itself once its clock is right again: its clock state is ahead, and until when", async () => {
    const k = createTempClaire({ machineName: "k" });
    open.push(k);
    const rightNow = k.clock.now;
    k.clock.now = rightNow + 2 * 60 * 60 * 1000; // two hours fast
    must(k.service.createProject(k.human, { name: "written while fast" }));
    k.clock.now = rightNow + 60_000; // fixed
    const status = k.service.fleetStatus();
    expect(status.machine.clockAheadMs).toBeGreaterThan(110 * 60 * 1000);
    const { statusText } = await import("../src/cli/commands/status.ts");
    expect(statusText(status)).toMatch(
      /clock {5}this machine's clock state is \d\.\d h ahead of its clock \(it was fast\)/,
    );
    expect(k.service.identity().clockAheadMs).toBe(status.machine.clockAheadMs);
  });
});
