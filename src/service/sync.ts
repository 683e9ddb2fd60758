// Sync operations on this machine's log: a page of events for a puller, the version vector
// summary, ingest of a pulled page with its cursor in the same transaction, peer health records.
import type { WireEvent } from "../domain/events.ts";
import type { PeerStatusRow, VectorEntry } from "../store/queries/sync.ts";
import { SYNC_PROTOCOL_VERSION } from "../version.ts";
import type { ServiceDeps } from "./context.ts";
import type { IngestReport } from "./ingest.ts";
import { lastContacts } from "./silence.ts";

/**
 * A page of events stops growing past this many bytes of event data (at least one event per
 * page), so a log of large events never answers a page bigger than a puller accepts (64 MiB).
 */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;

export type EventsPage = {
  protocol: number;
  logId: string;
  machineId: string;
  events: WireEvent[];
  nextAfter: number;
  hasMore: boolean;
  maxSeq: number;
  /** The serving machine's wall clock as it answered: the puller's measure of their clock offset. */
  now: string;
};

export type SyncSummary = {
  protocol: number;
  logId: string;
  machineId: string;
  now: string;
  vector: VectorEntry[];
};

/** GET /sync/contacts: how long ago the serving machine last knew each machine in contact. */
export type SyncContacts = {
  protocol: number;
  machineId: string;
  /** Ages rather than times, so the two machines' clocks need not agree. */
  contacts: { machineId: string; agoMs: number }[];
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
  /** Its name in claire.toml: set by the API where sync runs (the log knows peers by URL). */
  name?: string | null;
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
    // Stop early once the page holds MAX_PAGE_BYTES of event data (always at least one event).
    let bytes = 0;
    let take = 0;
    while (take < Math.min(limit, page.length)) {
      bytes += page[take]!.data.length + 256;
      if (take > 0 && bytes > MAX_PAGE_BYTES) break;
      take++;
    }
    const events = page.slice(0, take);
    const maxSeq = store.q.events.maxSeq();
    return {
      protocol: SYNC_PROTOCOL_VERSION,
      logId: store.logId,
      machineId: machine.machineId,
      events: events.map(({ seq: _s, applied: _a, ...wire }) => wire),
      nextAfter: events.length > 0 ? events[events.length - 1]!.seq : Math.min(after, maxSeq),
      hasMore: page.length > take,
      maxSeq,
      now: new Date(now()).toISOString(),
    };
  },

  syncSummary: (): SyncSummary => ({
    protocol: SYNC_PROTOCOL_VERSION,
    logId: store.logId,
    machineId: machine.machineId,
    now: new Date(now()).toISOString(),
    vector: store.q.sync.vector(),
  }),

  syncContacts: (): SyncContacts => {
    const t = now();
    return {
      protocol: SYNC_PROTOCOL_VERSION,
      machineId: machine.machineId,
      contacts: [...lastContacts(store, machine.machineId)].flatMap(([machineId, ms]) =>
        ms === null ? [] : [{ machineId, agoMs: Math.max(0, t - ms) }],
      ),
    };
  },

  /**
   * A peer's report of its contacts, received at `receivedMs`: each becomes a last contact here
   * (only ever moving forward). This machine itself and the peer (whose own rounds count) are left out.
   */
  recordContacts: (
    peer: string,
    peerMachineId: string,
    contacts: readonly { machineId: string; agoMs: number }[],
    receivedMs: number,
  ): void => {
    const others = contacts.filter((c) => c.machineId !== machine.machineId && c.machineId !== peerMachineId);
    // Two machines that sync only with each other report nobody else: no write transaction for that.
    if (others.length === 0) return;
    store.write(() => {
      for (const c of others) store.q.sync.recordContact(c.machineId, receivedMs - c.agoMs, peer);
    });
  },

  pullCursor: (peer: string, logId: string): number => store.q.sync.cursor(peer, logId),

  /** Stores a pulled page and advances the cursor for (peer, logId) in the same transaction. */
  ingestPulled: (peer: string, logId: string, events: readonly unknown[], nextAfter: number): IngestReport =>
    ingestEvents(events, peer, () => store.q.sync.setCursor(peer, logId, nextAfter, now())),

  /**
   * This machine's own events after a position in this log (what a push sends next), and the
   * position they reach. Relayed events are skipped in SQL: after a large pull they are most of
   * the log, and reading them into objects only to drop them made the first push after it slow.
   */
  unpushed: (after: number, limit: number): { events: WireEvent[]; upTo: number } => {
    const end = store.q.events.maxSeq();
    const own = store.q.events.originPage(machine.machineId, after, end, limit);
    return {
      events: own.map(({ seq: _s, applied: _a, ...w }) => w),
      upTo: own.length === limit ? own[own.length - 1]!.seq : Math.max(after, end),
    };
  },

  peerStatus: (peer: string): PeerStatusRow => store.q.sync.peerStatus(peer) ?? emptyPeerStatus(peer),
  recordPeerStatus: (row: PeerStatusRow): void => {
    store.write(() => store.q.sync.savePeerStatus(row));
  },
  peerHealth: (): PeerHealth[] => store.q.sync.allPeerStatus().map(peerHealth),
  /**
   * A peer removed from claire.toml: its health row goes (status and the dashboard listed it as
   * failing forever). Its pull cursor stays: added again, it resumes where it was.
   */
  forgetPeer: (peer: string): void => {
    store.write(() => store.q.sync.deletePeerStatus(peer));
  },

  /** Milliseconds since each machine's newest event (by its own clock), for "unknown since". */
  machineSilence: (): Map<string, number> =>
    new Map(
      store.q.machines
        .list()
        .flatMap((m) => (m.lastEventAt ? [[m.id, now() - Date.parse(m.lastEventAt)] as const] : [])),
    ),
});
