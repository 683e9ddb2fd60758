// Sync operations on this machine's log: a page of events for a puller, the version vector
// summary, ingest of a pulled page with its cursor in the same transaction, peer health records.
import type { WireEvent } from "../domain/events.ts";
import type { PeerStatusRow, VectorEntry } from "../store/queries/sync.ts";
import { SYNC_PROTOCOL_VERSION } from "../version.ts";
import type { ServiceDeps } from "./context.ts";
import type { IngestReport } from "./ingest.ts";

export type EventsPage = {
  protocol: number;
  logId: string;
  machineId: string;
  events: WireEvent[];
  nextAfter: number;
  hasMore: boolean;
  maxSeq: number;
};

export type SyncSummary = {
  protocol: number;
  logId: string;
  machineId: string;
  now: string;
  vector: VectorEntry[];
};

export type PeerHealth = {
  peer: string;
  machineId: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  behind: number | null;
  pulled: number;
  pushed: number;
  clockOffsetMs: number | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const peerHealth = (r: PeerStatusRow): PeerHealth => ({
  peer: r.peer,
  machineId: r.machine_id,
  lastAttemptAt: iso(r.last_attempt_ms),
  lastSuccessAt: iso(r.last_success_ms),
  lastError: r.last_error,
  behind: r.behind,
  pulled: r.pulled,
  pushed: r.pushed,
  clockOffsetMs: r.clock_offset_ms,
});

export const emptyPeerStatus = (peer: string): PeerStatusRow => ({
  peer,
  machine_id: null,
  log_id: null,
  last_attempt_ms: null,
  last_success_ms: null,
  last_error: null,
  behind: null,
  pulled: 0,
  pushed: 0,
  push_seq: 0,
  clock_offset_ms: null,
});

type Ingest = (raws: readonly unknown[], source: string, extra?: () => void) => IngestReport;

export const createSyncOps = ({ store, now, machine }: ServiceDeps, ingestEvents: Ingest) => ({
  eventsPage: (after: number, limit: number): EventsPage => {
    const page = store.q.events.page(after, limit + 1);
    const events = page.slice(0, limit);
    const maxSeq = store.q.events.counts().maxSeq;
    return {
      protocol: SYNC_PROTOCOL_VERSION,
      logId: store.logId,
      machineId: machine.machineId,
      events: events.map(({ seq: _s, applied: _a, ...wire }) => wire),
      nextAfter: events.length > 0 ? events[events.length - 1]!.seq : Math.min(after, maxSeq),
      hasMore: page.length > limit,
      maxSeq,
    };
  },

  syncSummary: (): SyncSummary => ({
    protocol: SYNC_PROTOCOL_VERSION,
    logId: store.logId,
    machineId: machine.machineId,
    now: new Date(now()).toISOString(),
    vector: store.q.sync.vector(),
  }),

  pullCursor: (peer: string, logId: string): number => store.q.sync.cursor(peer, logId),

  /** Stores a pulled page and advances the cursor for (peer, logId) in the same transaction. */
  ingestPulled: (peer: string, logId: string, events: readonly unknown[], nextAfter: number): IngestReport =>
    ingestEvents(events, peer, () => store.q.sync.setCursor(peer, logId, nextAfter, now())),

  /** Local events not yet pushed to a peer (ours and relayed), after its push position. */
  unpushed: (peer: string, limit: number): { events: WireEvent[]; upTo: number } => {
    const from = store.q.sync.peerStatus(peer)?.push_seq ?? 0;
    const page = store.q.events.page(from, limit);
    return {
      events: page.map(({ seq: _s, applied: _a, ...w }) => w),
      upTo: page.length > 0 ? page[page.length - 1]!.seq : from,
    };
  },

  peerStatus: (peer: string): PeerStatusRow => store.q.sync.peerStatus(peer) ?? emptyPeerStatus(peer),
  recordPeerStatus: (row: PeerStatusRow): void => {
    store.write(() => store.q.sync.savePeerStatus(row));
  },
  peerHealth: (): PeerHealth[] => store.q.sync.allPeerStatus().map(peerHealth),

  /** Milliseconds since each machine's newest event (by its own clock), for "unknown since". */
  machineSilence: (): Map<string, number> =>
    new Map(
      store.q.machines
        .list()
        .flatMap((m) => (m.lastEventAt ? [[m.id, now() - Date.parse(m.lastEventAt)] as const] : [])),
    ),
});
