// Database size per event: a fresh Claire filled with the event mix, WAL checkpointed, vs the
// same rows in a bare table (no indexes, no projections) in its own file.
import { join } from "node:path";
import type { Benchmark } from "../index.ts";
import { freshClaire } from "../support/fresh-claire.ts";
import { checkpointedBytes, copyEventsToRaw, openRawDb } from "../support/raw-table.ts";
import { fillLog } from "./fill.ts";

const RAW_LABEL = "same rows in a bare table";

/** Pages per table and index, largest first, when SQLite was built with the dbstat table. */
const breakdown = (db: ReturnType<typeof freshClaire>["store"]["db"]): string | null => {
  try {
    const rows = db
      .prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 12")
      .all() as { name: string; bytes: number }[];
    return rows.map((r) => `${r.name} ${(r.bytes / 1e6).toFixed(1)} MB`).join(", ");
  } catch {
    return null;
  }
};

export const dbSizeBenchmark: Benchmark = {
  name: "db-size",
  description: "bytes on disk per event after a WAL checkpoint, vs the same rows in a bare table",
  run: async ({ smoke, tmpDir, log }) => {
    const n = smoke ? 2_000 : 1_000_000;
    const c = freshClaire(tmpDir);
    let bytes: number;
    let rawBytes: number;
    let total: number;
    try {
      const fill = fillLog(c, n, 7);
      log(`filled ${n} events in ${fill.toFixed(1)} s (${Math.round(n / fill)} events/s)`);
      bytes = checkpointedBytes(c.store.db, c.path);
      const stats = c.store.db
        .prepare("SELECT COUNT(*) AS count, AVG(LENGTH(data)) AS data FROM events")
        .get() as { count: number; data: number };
      total = stats.count;
      log(`${total} events, average data ${stats.data.toFixed(0)} bytes of JSON`);
      const parts = breakdown(c.store.db);
      if (parts) log(`largest tables and indexes: ${parts}`);
      const rawPath = join(tmpDir, "raw.db");
      const raw = openRawDb(rawPath);
      copyEventsToRaw(c.store.db, raw, 10_000);
      rawBytes = checkpointedBytes(raw, rawPath);
      raw.close();
    } finally {
      c.close();
    }
    return [
      {
        name: "db-size.per-event",
        value: bytes / total,
        unit: "bytes/event",
        baseline: rawBytes / total,
        baselineLabel: RAW_LABEL,
        better: "lower",
      },
      {
        name: "db-size.per-1m",
        value: ((bytes / total) * 1e6) / 1e6,
        unit: "MB per 1M events",
        baseline: ((rawBytes / total) * 1e6) / 1e6,
        baselineLabel: RAW_LABEL,
        better: "lower",
      },
    ];
  },
};
