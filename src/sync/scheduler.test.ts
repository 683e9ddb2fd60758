import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryTransport } from "../../test/support/memory-transport.ts";
import { createTempClaire, type TempClaire } from "../../test/support/temp-claire.ts";
import { createSyncScheduler } from "./scheduler.ts";
import { PeerError, type SyncTransport } from "./transport.ts";

const open: TempClaire[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const c of open.splice(0)) c.close();
});
const node = () => {
  const c = createTempClaire();
  open.push(c);
  return c;
};

describe("sync scheduler", () => {
  it("tries a failing peer again within one interval, however long it has been failing", async () => {
    vi.useFakeTimers();
    const b = node();
    const attempts: number[] = [];
    const down: SyncTransport = {
      getEvents: async () => {
        attempts.push(Date.now());
        throw new PeerError("cannot reach mem://a: refused");
      },
      postEvents: async () => ({}),
      getSummary: async () => ({}),
      getContacts: async () => ({}),
      getAuth: async () => ({}),
    };
    const s = createSyncScheduler({
      service: b.service,
      transport: down,
      now: Date.now,
      batchSize: 10,
      attempts: 1,
      intervalMs: 2_000,
      peers: () => [{ url: "mem://a" }],
    });
    s.start();
    await vi.advanceTimersByTimeAsync(60_000);
    await s.stop();
    // An exponential backoff would have stopped trying after a handful of attempts.
    expect(attempts.length).toBeGreaterThanOrEqual(30);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2_000);
  });

  it("leaves no health row for a peer removed while its round ran", async () => {
    const b = node();
    let configured = [{ url: "mem://a" }];
    const down: SyncTransport = {
      getEvents: async () => {
        configured = []; // `claire peer remove` while the round is under way
        throw new PeerError("cannot reach mem://a: refused");
      },
      postEvents: async () => ({}),
      getSummary: async () => ({}),
      getContacts: async () => ({}),
      getAuth: async () => ({}),
    };
    const s = createSyncScheduler({
      service: b.service,
      transport: down,
      now: Date.now,
      batchSize: 10,
      attempts: 1,
      intervalMs: 60_000,
      peers: () => configured,
    });
    const [round] = await s.runNow();
    expect(round).toMatchObject({ peer: "mem://a", ok: false });
    expect(b.service.peerHealth()).toEqual([]);
    await s.stop();
  });

  it("queues at most one more round behind a hung one, however many writes nudge it", async () => {
    const a = node();
    const b = node();
    const inner = createMemoryTransport(new Map([["mem://a", a.service]]));
    let release: () => void = () => {};
    const hung = new Promise<void>((r) => {
      release = r;
    });
    let pulls = 0;
    const transport: SyncTransport = {
      ...inner,
      getEvents: async (peer, after, limit) => {
        pulls++;
        if (pulls === 1) await hung; // the first round hangs (a black-holed peer)
        return inner.getEvents(peer, after, limit);
      },
    };
    const s = createSyncScheduler({
      service: b.service,
      transport,
      now: Date.now,
      batchSize: 10,
      intervalMs: 60_000,
      peers: () => [{ url: "mem://a" }],
    });
    const first = s.runNow();
    const later = Array.from({ length: 50 }, () => s.runNow());
    await new Promise((r) => setTimeout(r, 20));
    expect(pulls).toBe(1);
    release();
    const rounds = await Promise.all([first, ...later]);
    expect(rounds.every((r) => r[0]!.ok)).toBe(true);
    expect(pulls).toBe(2); // the hung round, then one more for all 50 callers
    await s.stop();
  });

  it("stop waits for the round under way and the one queued, and starts no new one", async () => {
    const a = node();
    const b = node();
    const inner = createMemoryTransport(new Map([["mem://a", a.service]]));
    let pulls = 0;
    const transport: SyncTransport = {
      ...inner,
      getEvents: async (peer, after, limit) => {
        pulls++;
        await new Promise((r) => setTimeout(r, 30));
        return inner.getEvents(peer, after, limit);
      },
    };
    const s = createSyncScheduler({
      service: b.service,
      transport,
      now: Date.now,
      batchSize: 10,
      intervalMs: 60_000,
      peers: () => [{ url: "mem://a" }],
    });
    const one = s.runNow();
    const two = s.runNow();
    await s.stop();
    const [r1, r2] = await Promise.all([one, two]);
    expect(r1[0]!.ok).toBe(true);
    expect(r2[0]).toMatchObject({ ok: false, error: "sync stopped" });
    expect(pulls).toBe(1);
    s.nudge();
    await new Promise((r) => setTimeout(r, 250));
    expect(pulls).toBe(1);
  });
});
