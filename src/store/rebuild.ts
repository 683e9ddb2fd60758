// Rebuild: replay the applied events into fresh tables beside the live ones, then swap them in
// (or, for --check, compare and throw the fresh tables away). Runs in one IMMEDIATE transaction,
// so readers see either the old projections or the new ones.
import type Database from "better-sqlite3";
import { createApplier } from "./apply.ts";
import { type DumpDifference, diffDumps, dumpProjections } from "./dump.ts";
import { type EventRow, rowToKnown } from "./event-log.ts";
import { PROJECTION_TABLES, projectionIndexesDdl, projectionTablesDdl } from "./projection-schema.ts";

const PREFIX = "rebuild_";
const BATCH = 5_000;

const dropTables = (db: Database.Database, prefix: string) => {
  for (const t of PROJECTION_TABLES) db.exec(`DROP TABLE IF EXISTS ${prefix}${t.name}`);
};

const replayInto = (db: Database.Database, prefix: string): number => {
  dropTables(db, prefix);
  for (const ddl of projectionTablesDdl(prefix)) db.exec(ddl);
  const applier = createApplier(db, prefix);
  // Paged by seq: better-sqlite3 cannot run other statements while an iterator is open.
  const page = db.prepare("SELECT * FROM events WHERE applied = 1 AND seq > ? ORDER BY seq LIMIT ?");
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = page.all(after, BATCH) as EventRow[];
    if (rows.length === 0) break;
    applier.apply(rows.map(rowToKnown));
    count += rows.length;
    after = rows[rows.length - 1]!.seq;
  }
  return count;
};

export const rebuildProjections = (db: Database.Database): { events: number } => {
  return db
    .transaction(() => {
      const events = replayInto(db, PREFIX);
      dropTables(db, "");
      for (const t of PROJECTION_TABLES) db.exec(`ALTER TABLE ${PREFIX}${t.name} RENAME TO ${t.name}`);
      for (const ddl of projectionIndexesDdl()) db.exec(ddl);
      return { events };
    })
    .immediate();
};

export const checkProjections = (
  db: Database.Database,
): { events: number; differences: DumpDifference[] } => {
  return db
    .transaction(() => {
      const events = replayInto(db, PREFIX);
      const differences = diffDumps(dumpProjections(db), dumpProjections(db, PREFIX));
      dropTables(db, PREFIX);
      return { events, differences };
    })
    .immediate();
};
