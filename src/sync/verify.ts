// `claire sync --verify`: compare this machine's version vector with each peer's and name every
// gap: which machine's events (by writer epoch and origin_seq) one side has and the other lacks.
import type { VectorEntry } from "../store/queries/sync.ts";
import { fetchSummary, type SyncDeps } from "./sync-peer.ts";
import type { PeerTarget } from "./transport.ts";

export type PeerVerification = {
  peer: string;
  reachable: boolean;
  equal: boolean;
  gaps: string[];
  clockOffsetMs: number | null;
  error: string | null;
};
export type Verification = { equal: boolean; machineId: string; peers: PeerVerification[] };

const key = (e: VectorEntry) => `${e.machineId}#${e.epoch}`;

const describeSide = (e: VectorEntry | undefined): string =>
  !e
    ? "none"
    : e.contiguous === e.count
      ? `1..${e.contiguous}`
      : `${e.count} events, contiguous to ${e.contiguous} (holes before ${e.maxOriginSeq})`;

/** Differences between two vectors, as sentences naming machine, epoch and ranges. */
export const compareVectors = (
  local: readonly VectorEntry[],
  remote: readonly VectorEntry[],
  peerName: string,
): string[] => {
  const a = new Map(local.map((e) => [key(e), e]));
  const b = new Map(remote.map((e) => [key(e), e]));
  const gaps: string[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const l = a.get(k);
    const r = b.get(k);
    if (l && r && l.count === r.count && l.contiguous === r.contiguous && l.maxOriginSeq === r.maxOriginSeq)
      continue;
    const [machine, epoch] = k.split("#");
    gaps.push(
      `machine ${machine!.slice(0, 8)} epoch ${epoch}: here ${describeSide(l)}, on ${peerName} ${describeSide(r)}`,
    );
  }
  return gaps;
};

export const verifyPeers = async (
  deps: SyncDeps,
  peers: readonly PeerTarget[],
  localVector: () => readonly VectorEntry[],
): Promise<Verification> => {
  const results = await Promise.all(
    peers.map(async (peer): Promise<PeerVerification> => {
      try {
        const { summary, clockOffsetMs } = await fetchSummary(deps, peer);
        const gaps = compareVectors(localVector(), summary.vector, peer.url);
        return {
          peer: peer.url,
          reachable: true,
          equal: gaps.length === 0,
          gaps,
          clockOffsetMs,
          error: null,
        };
      } catch (e) {
        return {
          peer: peer.url,
          reachable: false,
          equal: false,
          gaps: [],
          clockOffsetMs: null,
          error: (e as Error).message,
        };
      }
    }),
  );
  return { equal: results.every((r) => r.equal), machineId: deps.service.machine.machineId, peers: results };
};
