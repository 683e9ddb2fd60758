// The store: one SQLite database holding the event log and its projections. The service layer
// is its only writer; every write runs in a BEGIN IMMEDIATE transaction.
import type Database from "better-sqlite3";
import { encodeHlc, hlcZero, nodeFromMachineId } from "../clock/index.ts";
import type { IdDep } from "../domain/ids.ts";
import { createApplier } from "./apply.ts";
import { openDatabase } from "./database.ts";
import { createEventLog, type EventLog } from "./event-log.ts";
import { createQueries, type Queries } from "./queries/index.ts";

export type StoreDeps = {
  readonly path: string;
  readonly machineId: string;
  readonly now: () => number;
  readonly ids: IdDep;
  readonly maxDriftMs: number;
  /**
   * The writer epoch of a database made now (default 0). A machine that already has history (its
   * claire.toml existed before this database) must not start over at 0: peers hold its old slots.
   */
  readonly firstEpoch?: number;
};

export type Store = {
  readonly db: Database.Database;
  readonly path: string;
  readonly machineId: string;
  readonly logId: string;
  readonly log: EventLog;
  readonly q: Queries;
  /** Runs fn in a BEGIN IMMEDIATE transaction: reads inside see the state the writes build on. */
  readonly write: <T>(fn: () => T) => T;
  /** Changes whenever another connection commits (PRAGMA data_version). */
  readonly dataVersion: () => number;
  /** Changes whenever anything may have changed the database, from this process or another: a cache key. */
  readonly version: () => string;
  readonly close: () => void;
};

export class MachineMismatchError extends Error {
  readonly code = "CLAIRE_MACHINE_MISMATCH";
  readonly dbMachineId: string;
  readonly configMachineId: string;
  constructor(dbMachineId: string, configMachineId: string) {
    super(
      `this database belongs to machine ${dbMachineId}, but claire.toml says ${configMachineId}; ` +
        "restore the matching claire.toml or move the database aside",
    );
    this.dbMachineId = dbMachineId;
    this.configMachineId = configMachineId;
  }
}

export const createStore = (deps: StoreDeps): Store => {
  const db = openDatabase(deps.path);
  const node = nodeFromMachineId(deps.machineId);
  if (!node.ok) throw new Error(`machine id ${deps.machineId} is not a UUID: ${node.error.message}`);
  db.transaction(() => {
    const row = db.prepare("SELECT machine_id FROM writer WHERE id = 1").get() as
      | { machine_id: string }
      | undefined;
    if (!row) {
      db.prepare("INSERT INTO writer (id, machine_id, epoch, origin_seq, hlc) VALUES (1, ?, ?, 0, ?)").run(
        deps.machineId,
        deps.firstEpoch ?? 0,
        encodeHlc(hlcZero(node.value)),
      );
    } else if (row.machine_id !== deps.machineId) {
      throw new MachineMismatchError(row.machine_id, deps.machineId);
    }
  }).immediate();
  const logId = (db.prepare("SELECT value FROM meta WHERE key = 'log_id'").get() as { value: string }).value;
  const applier = createApplier(db);
  const log = createEventLog({ db, applier, ids: deps.ids, now: deps.now, maxDriftMs: deps.maxDriftMs });
  let localWrites = 0;
  const write = <T>(fn: () => T): T => {
    try {
      return db.transaction(fn).immediate();
    } finally {
      localWrites++;
    }
  };
  return {
    db,
    path: deps.path,
    machineId: deps.machineId,
    logId,
    log,
    q: createQueries(db, deps.machineId),
    write,
    dataVersion: () => db.pragma("data_version", { simple: true }) as number,
    version: () => `${localWrites}:${db.pragma("data_version", { simple: true }) as number}`,
    close: () => {
      if (db.open) db.close();
    },
  };
};
