// Queries for running a machine: what `claire doctor` inspects (the database file itself, log
// growth, quarantine, rejections, events written under this machine's id) and what
// `claire export` reads (a bounded, seq-ordered page of the log).
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import type { StoredEvent } from "../../domain/events.ts";
import { type EventRow, rowToEvent } from "../event-log.ts";

/** What the database file says about itself, read without Claire's store (it may be damaged). */
export type DatabaseFileReport = {
  readonly path: string;
  readonly exists: boolean;
  readonly bytes: number;
  readonly walBytes: number;
  /** Set when the file could not be opened or read as SQLite at all. */
  readonly openError: string | null;
  /** PRAGMA quick_check rows: ["ok"] when sound. */
  readonly quickCheck: readonly string[];
  readonly journalMode: string | null;
  readonly userVersion: number | null;
};

const size = (path: string): number => statSync(path, { throwIfNoEntry: false })?.size ?? 0;

/** Opens the file read-only and runs PRAGMA quick_check, journal_mode and user_version. */
export const inspectDatabaseFile = (path: string, maxProblems = 20): DatabaseFileReport => {
  const base = { path, bytes: size(path), walBytes: size(`${path}-wal`) };
  if (statSync(path, { throwIfNoEntry: false }) === undefined)
    return {
      ...base,
      exists: false,
      openError: null,
      quickCheck: [],
      journalMode: null,
      userVersion: null,
    };
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    const journalMode = String(db.pragma("journal_mode", { simple: true }));
    const userVersion = Number(db.pragma("user_version", { simple: true }));
    const quickCheck = (db.pragma(`quick_check(${maxProblems})`) as { quick_check: string }[]).map(
      (r) => r.quick_check,
    );
    return { ...base, exists: true, openError: null, quickCheck, journalMode, userVersion };
  } catch (e) {
    return {
      ...base,
      exists: true,
      openError: (e as Error).message,
      quickCheck: [],
      journalMode: null,
      userVersion: null,
    };
  } finally {
    db?.close();
  }
};

export type OwnEpochRow = { epoch: number; count: number; maxOriginSeq: number };
export type RejectedSummaryRow = { source: string; reason: string; n: number; lastMs: number };
export type QuarantinedRow = { type: string; hlc: string; machineId: string };

export const createOpsQueries = (db: Database.Database) => {
  const ownEpochs = db.prepare(
    "SELECT epoch, COUNT(*) AS count, MAX(origin_seq) AS maxOriginSeq FROM events WHERE machine_id = ? GROUP BY epoch ORDER BY epoch",
  );
  const slotCollisions = db.prepare("SELECT COUNT(*) AS n FROM rejected WHERE reason LIKE ?");
  const quarantined = db.prepare(
    "SELECT type, hlc, machine_id AS machineId FROM events WHERE applied = 0 ORDER BY seq LIMIT ?",
  );
  const rejectedSince = db.prepare("SELECT COUNT(*) AS n FROM rejected WHERE at_ms >= ?");
  // The reason text of refused events often names an id; grouping by its first 60 characters
  // keeps "the same problem" together without one row per event. Each group shows its latest
  // reason whole (SQLite takes a bare column from the row of the MAX()).
  const rejectedSummary = db.prepare(
    `SELECT source, reason, COUNT(*) AS n, MAX(at_ms) AS lastMs
       FROM rejected GROUP BY source, substr(reason, 1, 60) ORDER BY lastMs DESC LIMIT ?`,
  );
  const exportPage = db.prepare(
    "SELECT * FROM events WHERE seq > ? AND seq <= ? AND hlc >= ? ORDER BY seq LIMIT ?",
  );
  const maxSeq = db.prepare("SELECT COALESCE(MAX(seq), 0) AS s FROM events");
  return {
    /** Per writer epoch of this machine id: how many events and the highest origin_seq stored. */
    ownEpochs: (machineId: string): OwnEpochRow[] => ownEpochs.all(machineId) as OwnEpochRow[],
    /** Events refused because their origin slot of this machine id was already taken (a clone writing). */
    slotCollisions: (machineId: string): number =>
      (slotCollisions.get(`origin slot ${machineId}/%`) as { n: number }).n,
    quarantined: (limit: number): QuarantinedRow[] => quarantined.all(limit) as QuarantinedRow[],
    rejectedSince: (ms: number): number => (rejectedSince.get(ms) as { n: number }).n,
    rejectedSummary: (limit: number): RejectedSummaryRow[] =>
      rejectedSummary.all(limit) as RejectedSummaryRow[],
    /**
     * How many events have an HLC at or after each bound (HLC prefixes, ascending). One pass over
     * the log: there is no index on hlc, and doctor is the only caller.
     */
    countFromBounds: (bounds: readonly string[]): number[] => {
      if (bounds.length === 0) return [];
      const sums = bounds.map((_, i) => `COALESCE(SUM(hlc >= ?), 0) AS c${i}`).join(", ");
      const row = db.prepare(`SELECT ${sums} FROM events WHERE hlc >= ?`).get(...bounds, bounds[0]) as Record<
        string,
        number
      >;
      return bounds.map((_, i) => row[`c${i}`] ?? 0);
    },
    /** Events after `afterSeq` up to `untilSeq` (a fixed end: an export is a prefix of the log). */
    exportPage: (afterSeq: number, untilSeq: number, sinceHlc: string, limit: number): StoredEvent[] =>
      (exportPage.all(afterSeq, untilSeq, sinceHlc, limit) as EventRow[]).map(rowToEvent),
    maxSeq: (): number => (maxSeq.get() as { s: number }).s,
  };
};
