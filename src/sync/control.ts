// Sync for one running Claire: the scheduler over the configured peers, plus the on-demand round
// and verification the API exposes (`claire sync`, `claire sync --verify`).
import type { VectorEntry } from "../store/queries/sync.ts";
import { createSyncScheduler, type SchedulerDeps } from "./scheduler.ts";
import type { PeerTarget } from "./transport.ts";
import { verifyPeers } from "./verify.ts";

export type SyncControlDeps = Omit<SchedulerDeps, "peers"> & {
  readonly peers: () => readonly PeerTarget[];
  readonly localVector: () => readonly VectorEntry[];
};

export const createSyncControl = (deps: SyncControlDeps) => {
  const scheduler = createSyncScheduler(deps);
  const pick = (peer?: string) => {
    const all = deps.peers();
    if (!peer) return all;
    const want = peer.replace(/\/+$/, "");
    return all.filter((p) => p.url === want);
  };
  return {
    start: scheduler.start,
    stop: scheduler.stop,
    nudge: scheduler.nudge,
    runNow: (peer?: string) => scheduler.runNow(peer),
    verify: (peer?: string) => verifyPeers(deps, pick(peer), deps.localVector),
    peers: deps.peers,
  };
};

export type SyncControlImpl = ReturnType<typeof createSyncControl>;
