// Keeps this machine in sync with its peers: a round per peer every interval (backing off with
// jitter while a peer fails), an extra round soon after a local write, and on-demand rounds for
// `claire sync`. A peer never has two rounds at once.

import { type PeerRound, type SyncDeps, syncPeer } from "./sync-peer.ts";
import type { PeerTarget } from "./transport.ts";

export type SchedulerDeps = SyncDeps & {
  /** Read on every round, so `claire peer add` takes effect without a restart. */
  readonly peers: () => readonly PeerTarget[];
  readonly intervalMs: number;
  readonly onRound?: (round: PeerRound) => void;
};

const NUDGE_DELAY_MS = 150;
const MAX_BACKOFF_MS = 5 * 60_000;

export const createSyncScheduler = (deps: SchedulerDeps) => {
  const inFlight = new Map<string, Promise<PeerRound>>();
  const failures = new Map<string, number>();
  const nextDue = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let nudgeTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const random = deps.random ?? Math.random;

  const runPeer = (peer: PeerTarget): Promise<PeerRound> => {
    const running = inFlight.get(peer.url);
    // A round already under way may have missed the newest writes: chain one more after it.
    const p = (running ?? Promise.resolve()).then(() => syncPeer(deps, peer));
    const tracked = p.finally(() => {
      if (inFlight.get(peer.url) === tracked) inFlight.delete(peer.url);
    });
    inFlight.set(peer.url, tracked);
    return tracked.then((round) => {
      const n = round.ok ? 0 : (failures.get(peer.url) ?? 0) + 1;
      failures.set(peer.url, n);
      const delay =
        n === 0 ? deps.intervalMs : Math.min(deps.intervalMs * 2 ** n, MAX_BACKOFF_MS) * (0.5 + random());
      nextDue.set(peer.url, deps.now() + delay);
      deps.onRound?.(round);
      return round;
    });
  };

  /** One round now with every peer (or only the one named), waiting for the results. */
  const runNow = async (only?: string): Promise<PeerRound[]> => {
    const peers = deps.peers().filter((p) => !only || p.url === only.replace(/\/+$/, ""));
    return Promise.all(peers.map(runPeer));
  };

  const tick = () => {
    if (stopped) return;
    const now = deps.now();
    for (const peer of deps.peers()) {
      if (inFlight.has(peer.url)) continue;
      if ((nextDue.get(peer.url) ?? 0) <= now) void runPeer(peer);
    }
  };

  return {
    runNow,
    /** A local write happened: sync soon (debounced), so peers see it within moments. */
    nudge: () => {
      if (stopped || nudgeTimer) return;
      nudgeTimer = setTimeout(() => {
        nudgeTimer = null;
        for (const peer of deps.peers()) void runPeer(peer);
      }, NUDGE_DELAY_MS);
      nudgeTimer.unref();
    },
    start: () => {
      tick();
      timer = setInterval(tick, Math.min(1_000, deps.intervalMs));
      timer.unref();
    },
    /** Stops scheduling and waits for rounds under way. */
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      if (nudgeTimer) clearTimeout(nudgeTimer);
      await Promise.allSettled([...inFlight.values()]);
    },
  };
};

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;
