// Operations for running a machine: the health of its event log (growth, quarantine, rejected
// events, anything written under this machine's id by someone else) for `claire doctor`, and
// the event log as a file (`claire export`, `claire import`).
import type { WireEvent } from "../domain/events.ts";
import { isKnownEventType } from "../domain/events.ts";
import { hlcMs } from "../domain/merge.ts";
import type { OwnEpochRow, RejectedSummaryRow } from "../store/queries/ops.ts";
import type { ServiceDeps } from "./context.ts";
import type { IngestReport } from "./ingest.ts";

const DAY_MS = 86_400_000;

/** The 12-hex-digit millisecond prefix of an HLC: events at or after `ms` have hlc >= it. */
export const hlcPrefix = (ms: number): string => Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");

export type LogHealth = {
  events: number;
  /** Events per UTC-independent 24-hour window, oldest first: [7 days ago .. the last 24 hours]. */
  perDay: number[];
  quarantined: {
    count: number;
    unknownTypes: string[];
    /** How far ahead of local time the furthest quarantined event is (ms), if any is ahead. */
    maxAheadMs: number | null;
  };
  rejected: { count: number; lastWeek: number; recent: RejectedSummaryRow[] };
};

/** Evidence that another machine writes under this machine's id. */
export type IdentityReport = {
  machineId: string;
  writer: { epoch: number; originSeq: number };
  epochs: OwnEpochRow[];
  /** Events of the current epoch beyond the counter this database's writer has reached. */
  beyondCounter: number;
  /** Epochs newer than this writer's (someone restored or wrote as this machine elsewhere). */
  newerEpochs: number[];
  /** Events refused because a slot of this machine's id was already taken by another event. */
  slotCollisions: number;
  /** How far the writer's clock state (HLC) is ahead of the wall clock now; 0 when it is not. */
  clockAheadMs: number;
};

export type ImportConflict = { index: number; reason: string };

type Ingest = (raws: readonly unknown[], source: string, extra?: () => void) => IngestReport;

export const createOpsOps = ({ store, now, machine }: ServiceDeps, ingestEvents: Ingest) => {
  const writer = () => {
    const w = store.log.writer();
    return { epoch: w.epoch, originSeq: w.origin_seq };
  };
  return {
    logHealth: (days = 7): LogHealth => {
      const t = now();
      const bounds = Array.from({ length: days + 1 }, (_, i) => hlcPrefix(t - (days - i) * DAY_MS));
      const from = store.q.ops.countFromBounds(bounds);
      // from[i] counts events at or after bounds[i]; a day is the difference of two neighbours.
      const perDay = from.slice(0, days).map((n, i) => n - from[i + 1]! + (i === days - 1 ? from[days]! : 0));
      const q = store.q.ops.quarantined(10_000);
      const counts = store.q.events.counts();
      const ahead = q.filter((e) => isKnownEventType(e.type)).map((e) => hlcMs(e.hlc) - t);
      return {
        events: counts.events,
        perDay,
        quarantined: {
          count: counts.quarantined,
          unknownTypes: [...new Set(q.filter((e) => !isKnownEventType(e.type)).map((e) => e.type))].sort(),
          maxAheadMs: ahead.length > 0 && Math.max(...ahead) > 0 ? Math.max(...ahead) : null,
        },
        rejected: {
          count: counts.rejected,
          lastWeek: store.q.ops.rejectedSince(t - days * DAY_MS),
          recent: store.q.ops.rejectedSummary(5),
        },
      };
    },

    identity: (): IdentityReport => {
      const w = writer();
      const epochs = store.q.ops.ownEpochs(machine.machineId);
      const current = epochs.find((e) => e.epoch === w.epoch);
      return {
        machineId: machine.machineId,
        writer: w,
        epochs,
        beyondCounter: current ? Math.max(0, current.maxOriginSeq - w.originSeq) : 0,
        newerEpochs: epochs.filter((e) => e.epoch > w.epoch).map((e) => e.epoch),
        slotCollisions: store.q.ops.slotCollisions(machine.machineId),
        clockAheadMs: Math.max(0, store.log.writer().clock.ms - now()),
      };
    },

    /**
     * Events of an import this machine must not take: ones claiming to be its own, from its
     * current writer epoch (or a newer one), that its writer never made. Taking them would make
     * its next write collide (they come from a clone of this machine, or from before a restore
     * that was not done with `claire restore`).
     */
    importConflicts: (events: readonly WireEvent[]): ImportConflict[] => {
      const w = writer();
      const out: ImportConflict[] = [];
      events.forEach((e, index) => {
        if (e.machineId !== machine.machineId) return;
        if (e.epoch > w.epoch || (e.epoch === w.epoch && e.originSeq > w.originSeq))
          out.push({
            index,
            reason: `event ${e.id} is epoch ${e.epoch} #${e.originSeq}; this machine's writer is at epoch ${w.epoch} #${w.originSeq}`,
          });
      });
      return out;
    },

    /** Ingests a batch from an export file, like a pulled page from a peer (validated, deduplicated). */
    importEvents: (events: readonly unknown[], source: string): IngestReport => ingestEvents(events, source),

    exportInfo: () => ({ machineId: machine.machineId, logId: store.logId, maxSeq: store.q.ops.maxSeq() }),

    /** The next page of the log for an export: after `after`, up to `until` (fixed at the start). */
    exportPage: (
      after: number,
      until: number,
      sinceMs: number | null,
      limit: number,
    ): { events: WireEvent[]; upTo: number } => {
      const page = store.q.ops.exportPage(after, until, sinceMs === null ? "" : hlcPrefix(sinceMs), limit);
      return {
        events: page.map(({ seq: _s, applied: _a, ...wire }) => wire),
        upTo: page.length > 0 ? page[page.length - 1]!.seq : until,
      };
    },
  };
};
