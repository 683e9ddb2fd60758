// Event log read queries: counts, a page of the log (for sync and export), an entity's timeline.
import type Database from "better-sqlite3";
import type { StoredEvent } from "../../domain/events.ts";
import { type EventRow, rowToEvent } from "../event-log.ts";
import { lazyStatement } from "../lazy-statement.ts";
import { TIMELINE_TYPES } from "../timeline-types.ts";

export type RejectedRow = {
  seq: number;
  at_ms: number;
  source: string;
  event_id: string | null;
  reason: string;
};

export const createEventQueries = (db: Database.Database) => {
  // Events are never deleted and seq is AUTOINCREMENT (a rolled-back insert gives its number back),
  // so the highest seq is the count: O(log n) instead of a scan of the whole log.
  const count = lazyStatement(
    db,
    "SELECT COALESCE(MAX(seq), 0) AS n, COALESCE(MAX(seq), 0) AS max FROM events",
  );
  const maxSeq = lazyStatement(db, "SELECT COALESCE(MAX(seq), 0) AS max FROM events");
  const quarantined = lazyStatement(db, "SELECT COUNT(*) AS n FROM events WHERE applied = 0");
  const rejected = lazyStatement(db, "SELECT COUNT(*) AS n FROM rejected");
  const page = lazyStatement(db, "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
  const originPage = lazyStatement(
    db,
    "SELECT * FROM events WHERE seq > ? AND seq <= ? AND machine_id = ? ORDER BY seq LIMIT ?",
  );
  const timeline = lazyStatement(
    db,
    `SELECT * FROM events WHERE entity_id = ? AND ${TIMELINE_TYPES} ORDER BY hlc, id LIMIT ?`,
  );
  return {
    counts: () => {
      const c = count.get() as { n: number; max: number };
      return {
        events: c.n,
        maxSeq: c.max,
        quarantined: (quarantined.get() as { n: number }).n,
        rejected: (rejected.get() as { n: number }).n,
      };
    },
    /** The newest seq, without counting rows (a pull asks for it on every page). */
    maxSeq: (): number => (maxSeq.get() as { max: number }).max,
    page: (afterSeq: number, limit: number): StoredEvent[] =>
      (page.all(afterSeq, limit) as EventRow[]).map(rowToEvent),
    /** One origin's events in (afterSeq, uptoSeq], filtered in SQL: relayed events make no objects. */
    originPage: (machineId: string, afterSeq: number, uptoSeq: number, limit: number): StoredEvent[] =>
      (originPage.all(afterSeq, uptoSeq, machineId, limit) as EventRow[]).map(rowToEvent),
    timeline: (entityId: string, limit: number): StoredEvent[] =>
      (timeline.all(entityId, limit) as EventRow[]).map(rowToEvent),
    rejected: (limit: number): RejectedRow[] =>
      db
        .prepare("SELECT seq, at_ms, source, event_id, reason FROM rejected ORDER BY seq DESC LIMIT ?")
        .all(limit) as RejectedRow[],
  };
};
