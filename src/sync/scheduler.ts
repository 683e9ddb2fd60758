// Keeps this machine in sync with its peers: a round per peer every interval (jittered, and no
// less often while a peer fails, so a peer that comes back is caught up within one interval), an
// extra round soon after a local write, and on-demand rounds for `claire sync`. A peer never has
// two rounds at once. Retries inside a round back off (retry.ts).

import { type PeerRound, type SyncDeps, syncPeer } from "./sync-peer.ts";
import type { PeerTarget } from "./transport.ts";

export type SchedulerDeps = SyncDeps & {
  /** Read on every round, so `claire peer add` takes effect without a restart. */
  readonly peers: () => readonly PeerTarget[];
  readonly intervalMs: number;
  readonly onRound?: (round: PeerRound) => void;
};

const NUDGE_DELAY_MS = 150;

const skipped = (peer: PeerTarget): PeerRound => {
  const zero = { accepted: 0, duplicate: 0, quarantined: 0, rejected: 0 };
  return {
    peer: peer.url,
    ok: false,
    pulled: zero,
    pushed: { ...zero },
    behind: null,
    error: "sync stopped",
    ms: 0,
  };
};

export const createSyncScheduler = (deps: SchedulerDeps) => {
  const inFlight = new Map<string, Promise<PeerRound>>();
  const nextDue = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let nudgeTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const random = deps.random ?? Math.random;

  /** Rounds waiting for the one in flight: at most one per peer, shared by everyone who asks. */
  const queued = new Map<string, Promise<PeerRound>>();

  const start = (peer: PeerTarget): Promise<PeerRound> => {
    if (stopped) return Promise.resolve(skipped(peer));
    const tracked = syncPeer(deps, peer).then((round) => {
      // A failing peer is tried again within one interval, never later: the cost is one refused
      // connection per interval, and the fleet converges one interval after an outage ends.
      // Jitter spreads the attempts of machines that lost the same peer at the same moment.
      const delay = round.ok ? deps.intervalMs : deps.intervalMs * (0.5 + random() / 2);
      nextDue.set(peer.url, deps.now() + delay);
      // Removed from claire.toml while the round ran (`claire peer remove`): its health row, which
      // the round just wrote, would list it as a peer again.
      if (!deps.peers().some((p) => p.url === peer.url)) deps.service.forgetPeer(peer.url);
      deps.onRound?.(round);
      return round;
    });
    const done = tracked.finally(() => {
      if (inFlight.get(peer.url) === done) inFlight.delete(peer.url);
    });
    inFlight.set(peer.url, done);
    return done;
  };

  const runPeer = (peer: PeerTarget): Promise<PeerRound> => {
    const running = inFlight.get(peer.url);
    if (!running) return start(peer);
    // A round under way may have missed the newest writes: one more after it. Only one: a peer
    // that hangs (black-holed) while writes keep nudging must not pile up a round per write.
    const waiting = queued.get(peer.url);
    if (waiting) return waiting;
    const next = running
      .catch(() => undefined)
      .then(() => {
        queued.delete(peer.url);
        return start(peer);
      });
    queued.set(peer.url, next);
    return next;
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
      while (inFlight.size + queued.size > 0)
        await Promise.allSettled([...inFlight.values(), ...queued.values()]);
    },
  };
};

export type SyncScheduler = ReturnType<typeof createSyncScheduler>;
