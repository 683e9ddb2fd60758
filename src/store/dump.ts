// A deterministic dump of every projection table: rows in primary-key order, columns in schema
// order. Two databases with equal dumps have identical projections; rebuild --check compares them.
import type Database from "better-sqlite3";
import { PROJECTION_TABLES, tableColumns, tablePrimaryKey } from "./projection-schema.ts";

export type ProjectionDump = Readonly<Record<string, readonly (readonly unknown[])[]>>;

export const dumpProjections = (db: Database.Database, prefix = ""): ProjectionDump => {
  const out: Record<string, unknown[][]> = {};
  for (const t of PROJECTION_TABLES) {
    const cols = tableColumns(t);
    const rows = db
      .prepare(`SELECT ${cols.join(", ")} FROM ${prefix}${t.name} ORDER BY ${tablePrimaryKey(t).join(", ")}`)
      .raw()
      .all() as unknown[][];
    out[t.name] = rows;
  }
  return out;
};

export type DumpDifference = {
  readonly table: string;
  readonly key: string;
  readonly live: unknown;
  readonly rebuilt: unknown;
};

/** Rows that differ between two dumps, named by table and primary key. */
export const diffDumps = (live: ProjectionDump, rebuilt: ProjectionDump, limit = 50): DumpDifference[] => {
  const diffs: DumpDifference[] = [];
  for (const t of PROJECTION_TABLES) {
    const keyLen = tablePrimaryKey(t).length;
    const keyOf = (r: readonly unknown[]) => r.slice(0, keyLen).join(" / ");
    const a = new Map((live[t.name] ?? []).map((r) => [keyOf(r), r]));
    const b = new Map((rebuilt[t.name] ?? []).map((r) => [keyOf(r), r]));
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(k);
      const y = b.get(k);
      if (JSON.stringify(x) !== JSON.stringify(y)) {
        diffs.push({ table: t.name, key: k, live: x ?? null, rebuilt: y ?? null });
        if (diffs.length >= limit) return diffs;
      }
    }
  }
  return diffs;
};
