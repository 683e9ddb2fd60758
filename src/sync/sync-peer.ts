// One sync round with one peer: pull everything after our cursor for its log (ingest and cursor
// advance in one transaction per page), then push our own new events. Pull alone converges;
// push only makes our writes arrive sooner.

import type { WireEvent } from "../domain/events.ts";
import type { IngestReport } from "../service/ingest.ts";
import type { EventsPage, SyncSummary } from "../service/sync.ts";
import type { PeerStatusRow } from "../store/queries/sync.ts";
import { SYNC_PROTOCOL_VERSION } from "../version.ts";
import {
  ContactsSchema,
  EventsPageSchema,
  MAX_PULL_LIMIT,
  MAX_PUSH_BYTES,
  MAX_PUSH_EVENTS,
  PushResultSchema,
  SummarySchema,
} from "./protocol.ts";
import { type RetryDeps, withRetry } from "./retry.ts";
import { PeerError, type PeerTarget, type SyncTransport } from "./transport.ts";

/** What syncing needs from the service, declared where it is used. */
export type SyncService = {
  readonly machine: { readonly machineId: string };
  readonly pullCursor: (peer: string, logId: string) => number;
  readonly ingestPulled: (
    peer: string,
    logId: string,
    events: readonly unknown[],
    nextAfter: number,
  ) => IngestReport;
  /** Our own events after a position in our log (the peer's push position), and where they end. */
  readonly unpushed: (after: number, limit: number) => { events: WireEvent[]; upTo: number };
  readonly peerStatus: (peer: string) => PeerStatusRow;
  readonly recordPeerStatus: (row: PeerStatusRow) => void;
  /** Drops a peer's health row (it left claire.toml). */
  readonly forgetPeer: (peer: string) => void;
  /** A peer's report of the machines it is in contact with (GET /sync/contacts). */
  readonly recordContacts: (
    peer: string,
    peerMachineId: string,
    contacts: readonly { machineId: string; agoMs: number }[],
    receivedMs: number,
  ) => void;
  readonly eventsPage: (after: number, limit: number) => EventsPage;
  readonly syncSummary: () => SyncSummary;
};

export type SyncDeps = RetryDeps & {
  readonly service: SyncService;
  readonly transport: SyncTransport;
  readonly now: () => number;
  readonly batchSize: number;
  /** Pages per round before yielding to other peers; the next round continues. */
  readonly maxPages?: number;
};

export type Counts = { accepted: number; duplicate: number; quarantined: number; rejected: number };
export type PeerRound = {
  peer: string;
  ok: boolean;
  pulled: Counts;
  pushed: Counts;
  behind: number | null;
  error: string | null;
  ms: number;
};

const zero = (): Counts => ({ accepted: 0, duplicate: 0, quarantined: 0, rejected: 0 });
const add = (c: Counts, r: Counts) => {
  c.accepted += r.accepted;
  c.duplicate += r.duplicate;
  c.quarantined += r.quarantined;
  c.rejected += r.rejected;
};

const pull = async (deps: SyncDeps, peer: PeerTarget, status: PeerStatusRow, counts: Counts) => {
  const { service, transport } = deps;
  let logId = status.log_id;
  let after = logId ? service.pullCursor(peer.url, logId) : 0;
  let behind: number | null = null;
  const maxPages = deps.maxPages ?? 1_000;
  const limit = Math.min(deps.batchSize, MAX_PULL_LIMIT);
  // The next page is asked for before the current one is ingested, so the peer reads and encodes
  // it while this process writes (ingest is synchronous: it would otherwise wait for the peer).
  let ahead: { after: number; raw: Promise<unknown> } | null = null;
  for (let pages = 0; pages < maxPages; pages++) {
    const fetched =
      ahead?.after === after ? ahead.raw : withRetry(() => transport.getEvents(peer, after, limit), deps);
    ahead = null;
    const raw = await fetched;
    const parsed = EventsPageSchema.safeParse(raw);
    if (!parsed.success) throw new PeerError(`${peer.url} sent a malformed events page`);
    const page = parsed.data;
    // The peer's clock as it answered, against ours as the answer arrived (off by at most the
    // round trip): what status, peer list and the dashboard show as its clock offset.
    if (pages === 0 && page.now !== undefined) status.clock_offset_ms = Date.parse(page.now) - deps.now();
    if (page.protocol !== SYNC_PROTOCOL_VERSION) {
      throw new PeerError(
        `${peer.url} speaks sync protocol ${page.protocol}, this Claire speaks ${SYNC_PROTOCOL_VERSION}; upgrade the older one`,
      );
    }
    if (page.logId !== logId) {
      // A peer we have not pulled from, or one whose database was replaced (restore): its log has
      // a new id and our cursor for it starts at 0. Dedup by event id makes re-reading safe.
      logId = page.logId;
      status.log_id = logId;
      status.machine_id = page.machineId;
      const cursor = service.pullCursor(peer.url, logId);
      if (cursor !== after) {
        after = cursor;
        continue;
      }
    }
    if (page.maxSeq < after) {
      after = 0; // The peer's log is shorter than our cursor: it was reset under the same id.
      continue;
    }
    // An empty page may end a log (nothing new), but one that says there is more must move on:
    // otherwise each round would ask for the same page a thousand times.
    if ((page.events.length > 0 || page.hasMore) && page.nextAfter <= after)
      throw new PeerError(`${peer.url} did not advance its cursor`);
    if (page.nextAfter > page.maxSeq) throw new PeerError(`${peer.url} sent a cursor beyond its log`);
    if (page.hasMore && pages + 1 < maxPages) {
      const next = page.nextAfter;
      ahead = { after: next, raw: withRetry(() => transport.getEvents(peer, next, limit), deps) };
      // Awaited on the next turn; if this turn throws first, its failure must not go unhandled.
      ahead.raw.catch(() => {});
      // Let the request leave before the synchronous ingest holds the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const report = service.ingestPulled(peer.url, logId, page.events, page.nextAfter);
    add(counts, report);
    after = page.nextAfter;
    behind = page.maxSeq - after;
    if (!page.hasMore) break;
  }
  return behind;
};

/**
 * Splits events into push bodies the peer accepts (under MAX_PUSH_BYTES and MAX_PUSH_EVENTS). An
 * event too large for any body is left out: the peer gets it by pulling.
 */
export const pushChunks = (events: readonly WireEvent[], maxBytes = MAX_PUSH_BYTES): WireEvent[][] => {
  const envelope = '{"events":[]}'.length;
  const chunks: WireEvent[][] = [];
  let current: WireEvent[] = [];
  let bytes = envelope;
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e)) + 1;
    if (envelope + size > maxBytes) continue;
    if (current.length > 0 && (bytes + size > maxBytes || current.length >= MAX_PUSH_EVENTS)) {
      chunks.push(current);
      current = [];
      bytes = envelope;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

const push = async (deps: SyncDeps, peer: PeerTarget, status: PeerStatusRow, counts: Counts) => {
  const { service, transport } = deps;
  const limit = Math.min(deps.batchSize, MAX_PUSH_EVENTS);
  for (let rounds = 0; rounds < 1_000; rounds++) {
    // From the position reached so far in this round (it is saved when the round ends).
    const { events, upTo } = service.unpushed(status.push_seq, limit);
    if (upTo === status.push_seq) return;
    for (const chunk of pushChunks(events)) {
      const raw = await withRetry(() => transport.postEvents(peer, chunk), deps);
      const parsed = PushResultSchema.safeParse(raw);
      if (!parsed.success) throw new PeerError(`${peer.url} sent a malformed push reply`);
      // The reply accounts for every event sent, once: counts that do not are not believed.
      const r = parsed.data;
      if (
        r.results.length !== chunk.length ||
        r.accepted + r.duplicate + r.quarantined + r.rejected !== chunk.length
      )
        throw new PeerError(
          `${peer.url} sent a push reply that does not account for the ${chunk.length} events sent`,
        );
      add(counts, r);
    }
    status.push_seq = upTo;
  }
};

/**
 * Asks the peer which machines it is in contact with, so that one heard of only through it turns
 * "unknown" here when it goes quiet. Only a hint: a peer from before it (404), a failure or a
 * malformed answer leaves the round as it was.
 */
const contacts = async (deps: SyncDeps, peer: PeerTarget, peerMachineId: string | null) => {
  if (!peerMachineId) return;
  let raw: unknown;
  try {
    raw = await deps.transport.getContacts(peer);
  } catch {
    return;
  }
  const parsed = ContactsSchema.safeParse(raw);
  if (!parsed.success || parsed.data.machineId !== peerMachineId) return;
  deps.service.recordContacts(peer.url, peerMachineId, parsed.data.contacts, deps.now());
};

export const syncPeer = async (deps: SyncDeps, peer: PeerTarget): Promise<PeerRound> => {
  const start = deps.now();
  const status = { ...deps.service.peerStatus(peer.url) };
  status.last_attempt_ms = start;
  const pulled = zero();
  const pushed = zero();
  let behind: number | null = null;
  let error: string | null = null;
  try {
    behind = await pull(deps, peer, status, pulled);
    await push(deps, peer, status, pushed);
    await contacts(deps, peer, status.machine_id);
    status.last_success_ms = deps.now();
    status.last_error = null;
    status.behind = behind;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    status.last_error = error;
  }
  status.pulled += pulled.accepted;
  status.pushed += pushed.accepted;
  deps.service.recordPeerStatus(status);
  return { peer: peer.url, ok: error === null, pulled, pushed, behind, error, ms: deps.now() - start };
};

/** A peer's summary, validated, with the clock offset seen from here. */
export const fetchSummary = async (deps: SyncDeps, peer: PeerTarget) => {
  const raw = await withRetry(() => deps.transport.getSummary(peer), deps);
  const parsed = SummarySchema.safeParse(raw);
  if (!parsed.success) throw new PeerError(`${peer.url} sent a malformed summary`);
  return { summary: parsed.data, clockOffsetMs: Date.parse(parsed.data.now) - deps.now() };
};
