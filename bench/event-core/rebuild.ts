// Rebuild throughput: replaying the whole log into fresh projection tables (rebuildProjections,
// as `claire rebuild` does) vs reading the same rows with a plain SELECT, in the same run.

import { rebuildProjections } from "../../src/store/rebuild.ts";
import type { Benchmark } from "../index.ts";
import { freshClaire } from "../support/fresh-claire.ts";
import { median, timed } from "../support/timing.ts";
import { fillLog } from "./fill.ts";

export const rebuildBenchmark: Benchmark = {
  name: "rebuild",
  description: "events/s replayed by a full projection rebuild, vs a plain SELECT of the same rows",
  run: async ({ smoke, tmpDir, log }) => {
    const n = smoke ? 2_000 : 1_000_000;
    const rounds = smoke ? 1 : 3;
    const c = freshClaire(tmpDir);
    try {
      const fill = fillLog(c, n);
      log(`filled ${n} events in ${fill.toFixed(1)} s (${Math.round(n / fill)} events/s)`);
      c.store.db.pragma("wal_checkpoint(TRUNCATE)");
      const total = n + 1; // the mix's project.created
      const select = c.store.db.prepare("SELECT * FROM events WHERE applied = 1 ORDER BY seq");
      const reads: number[] = [];
      const rebuilds: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const read = timed(() => {
          let rows = 0;
          for (const _row of select.iterate()) rows++;
          return rows;
        });
        if (read.result !== total) throw new Error(`SELECT read ${read.result} rows, expected ${total}`);
        const rebuild = timed(() => rebuildProjections(c.store.db));
        if (rebuild.result.events !== total) {
          throw new Error(`rebuild replayed ${rebuild.result.events} events, expected ${total}`);
        }
        log(
          `round ${r + 1}/${rounds}: SELECT ${read.seconds.toFixed(2)} s, rebuild ${rebuild.seconds.toFixed(2)} s`,
        );
        reads.push(read.seconds);
        rebuilds.push(rebuild.seconds);
      }
      return [
        {
          name: "rebuild.rate",
          value: total / median(rebuilds),
          unit: "events/s",
          baseline: total / median(reads),
          baselineLabel: "plain SELECT of the same rows",
          better: "higher",
          target: 100_000,
        },
      ];
    } finally {
      c.close();
    }
  },
};
