// Sync for one running Claire: the scheduler over the configured peers, plus the on-demand round
// and verification the API exposes (`claire sync`, `claire sync --verify`).
import type { VectorEntry } from "../store/queries/sync.ts";
import { findPeer as findConfiguredPeer } from "./find-peer.ts";
import { createSyncScheduler, type SchedulerDeps } from "./scheduler.ts";
import type { PeerTarget } from "./transport.ts";
import { verifyPeers } from "./verify.ts";

export type SyncControlDeps = Omit<SchedulerDeps, "peers"> & {
  readonly peers: () => readonly PeerTarget[];
  readonly localVector: () => readonly VectorEntry[];
};

export const createSyncControl = (deps: SyncControlDeps) => {
  const scheduler = createSyncScheduler(deps);
  const findPeer = (peer: string): PeerTarget | null => findConfiguredPeer(deps.peers(), peer);
  /** Every peer, or the one named; null when none of them is that. */
  const pick = (peer?: string): readonly PeerTarget[] | null => {
    if (!peer) return deps.peers();
    const found = findPeer(peer);
    return found ? [found] : null;
  };
  return {
    start: scheduler.start,
    stop: scheduler.stop,
    nudge: scheduler.nudge,
    findPeer,
    runNow: (peer?: string) =>
      scheduler.runNow(peer === undefined ? undefined : (findPeer(peer)?.url ?? peer)),
    verify: (peer?: string) => verifyPeers(deps, pick(peer) ?? [], deps.localVector),
    peers: deps.peers,
  };
};

export type SyncControlImpl = ReturnType<typeof createSyncControl>;
