// The raw baseline: the same event rows in a bare SQLite table (no primary key, no unique
// constraints, no indexes) in its own database file, opened like Claire's (WAL, synchronous
// NORMAL). What SQLite alone costs for the bytes Claire stores.
import { existsSync, statSync } from "node:fs";
import Database from "better-sqlite3";

/** The columns of Claire's events table, without the seq rowid, in insert order. */
export const EVENT_COLUMNS = [
  "id",
  "hlc",
  "machine_id",
  "epoch",
  "origin_seq",
  "actor_kind",
  "actor_id",
  "type",
  "entity_id",
  "data",
  "applied",
] as const;

/** One event row as positional values in EVENT_COLUMNS order. */
export type RawRow = readonly unknown[];

const TYPES: Record<string, string> = { epoch: "INTEGER", origin_seq: "INTEGER", applied: "INTEGER" };

export const openRawDb = (path: string): Database.Database => {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(
    `CREATE TABLE raw_events (${EVENT_COLUMNS.map((c) => `${c} ${TYPES[c] ?? "TEXT"} NOT NULL`).join(", ")})`,
  );
  return db;
};

/** Reads every row of Claire's events table, in seq order, as positional values. */
export const readEventRows = (db: Database.Database): RawRow[] =>
  db
    .prepare(`SELECT ${EVENT_COLUMNS.join(", ")} FROM events ORDER BY seq`)
    .raw()
    .all() as RawRow[];

const insertStatement = (db: Database.Database) =>
  db.prepare(`INSERT INTO raw_events VALUES (${EVENT_COLUMNS.map(() => "?").join(", ")})`);

/** Inserts rows in transactions of `batch` rows (BEGIN IMMEDIATE, like the store's writes). */
export const insertRawBatched = (db: Database.Database, rows: readonly RawRow[], batch: number): void => {
  const insert = insertStatement(db);
  const tx = db.transaction((chunk: readonly RawRow[]) => {
    for (const r of chunk) insert.run(r);
  });
  for (let i = 0; i < rows.length; i += batch) tx.immediate(rows.slice(i, i + batch));
};

/** Inserts rows one transaction each (autocommit), like one service call per event. */
export const insertRawEach = (db: Database.Database, rows: readonly RawRow[]): void => {
  const insert = insertStatement(db);
  for (const r of rows) insert.run(r);
};

/** Streams Claire's events table into the raw table of `dst` without holding every row in memory. */
export const copyEventsToRaw = (src: Database.Database, dst: Database.Database, batch: number): number => {
  const insert = insertStatement(dst);
  const tx = dst.transaction((chunk: readonly RawRow[]) => {
    for (const r of chunk) insert.run(r);
  });
  const read = src.prepare(`SELECT ${EVENT_COLUMNS.join(", ")} FROM events ORDER BY seq`).raw();
  let chunk: RawRow[] = [];
  let count = 0;
  for (const r of read.iterate() as IterableIterator<RawRow>) {
    chunk.push(r);
    if (chunk.length === batch) {
      tx.immediate(chunk);
      count += chunk.length;
      chunk = [];
    }
  }
  if (chunk.length > 0) tx.immediate(chunk);
  return count + chunk.length;
};

/** Checkpoints the WAL into the main file (TRUNCATE) and returns the bytes on disk (main + WAL). */
export const checkpointedBytes = (db: Database.Database, path: string): number => {
  db.pragma("wal_checkpoint(TRUNCATE)");
  const wal = `${path}-wal`;
  return statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0);
};
