// Append throughput through the store the way the service writes (batched: 1,000 drafts per
// BEGIN IMMEDIATE transaction; unbatched: one service.postUpdate per event), each against a raw
// INSERT of the very same rows into a bare table in the same run.
import { join } from "node:path";
import type { EventDraft } from "../../src/domain/events.ts";
import type { Benchmark, Figure } from "../index.ts";
import { createEventMix } from "../support/event-mix.ts";
import { freshClaire } from "../support/fresh-claire.ts";
import {
  insertRawBatched,
  insertRawEach,
  openRawDb,
  type RawRow,
  readEventRows,
} from "../support/raw-table.ts";
import { median, timed } from "../support/timing.ts";
import { APPEND_BATCH, chunks } from "./fill.ts";

const RAW_LABEL = "raw INSERT of the same rows into a bare table";

/** One round: a fresh Claire appends n drafts in batches; a fresh bare table takes the same rows. */
const batchedRound = (dir: string, round: number, n: number) => {
  const mix = createEventMix(round + 1);
  const batches = chunks(mix.batch(n), APPEND_BATCH);
  const c = freshClaire(dir, `batched-${round}`);
  c.store.write(() => c.store.log.append(c.actor, mix.setup));
  const service = timed(() => {
    for (const drafts of batches) c.store.write(() => c.store.log.append(c.actor, drafts));
  }).seconds;
  const rows = readEventRows(c.store.db).slice(mix.setup.length);
  c.close();
  if (rows.length !== n) throw new Error(`expected ${n} stored events, found ${rows.length}`);
  const raw = openRawDb(join(dir, `batched-raw-${round}.db`));
  const rawSeconds = timed(() => insertRawBatched(raw, rows, APPEND_BATCH)).seconds;
  raw.close();
  return { service, raw: rawSeconds };
};

/** One service call (own transaction, input validation, view read back) per event. */
const unbatchedRound = (dir: string, round: number, n: number) => {
  const c = freshClaire(dir, `unbatched-${round}`);
  const project = c.service.createProject(c.actor, { name: "bench" });
  if (!project.ok) throw new Error(JSON.stringify(project.error));
  const task = c.service.createTask(c.actor, { projectId: project.value.id, title: "bench task" });
  if (!task.ok) throw new Error(JSON.stringify(task.error));
  const mix = createEventMix(round + 100);
  const texts: string[] = [];
  while (texts.length < n) {
    const d: EventDraft = mix.next();
    if (d.type === "update.posted") texts.push(d.data.text);
  }
  const before = readEventRows(c.store.db).length;
  const service = timed(() => {
    for (const text of texts) {
      const r = c.service.postUpdate(c.actor, { kind: "progress", text, taskId: task.value.id });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
    }
  }).seconds;
  const rows: RawRow[] = readEventRows(c.store.db).slice(before);
  c.close();
  const raw = openRawDb(join(dir, `unbatched-raw-${round}.db`));
  const rawSeconds = timed(() => insertRawEach(raw, rows)).seconds;
  raw.close();
  return { service, raw: rawSeconds };
};

export const appendBenchmark: Benchmark = {
  name: "append",
  description: "events/s appended through the store as the service does, vs raw INSERT of the same rows",
  run: async ({ smoke, tmpDir, log }) => {
    const n = smoke ? 2_000 : 100_000;
    const nEach = smoke ? 200 : 5_000;
    const rounds = smoke ? 1 : 3;
    const batched = [];
    const unbatched = [];
    for (let r = 0; r < rounds; r++) {
      const b = batchedRound(tmpDir, r, n);
      const u = unbatchedRound(tmpDir, r, nEach);
      log(
        `round ${r + 1}/${rounds}: batched ${n} events ${b.service.toFixed(3)} s (raw ${b.raw.toFixed(3)} s); ` +
          `unbatched ${nEach} events ${u.service.toFixed(3)} s (raw ${u.raw.toFixed(3)} s)`,
      );
      batched.push(b);
      unbatched.push(u);
    }
    const bs = median(batched.map((b) => b.service));
    const br = median(batched.map((b) => b.raw));
    const us = median(unbatched.map((u) => u.service));
    const ur = median(unbatched.map((u) => u.raw));
    const figures: Figure[] = [
      {
        name: "append.batched.rate",
        value: n / bs,
        unit: "events/s",
        baseline: n / br,
        baselineLabel: `${RAW_LABEL}, ${APPEND_BATCH} per transaction`,
        better: "higher",
        target: 50_000,
      },
      {
        name: "append.batched.cost",
        value: (bs / n) * 1e6,
        unit: "µs/event",
        baseline: (br / n) * 1e6,
        baselineLabel: `${RAW_LABEL}, ${APPEND_BATCH} per transaction`,
        better: "lower",
        target: { ratio: 3 },
      },
      {
        name: "append.unbatched.rate",
        value: nEach / us,
        unit: "events/s",
        baseline: nEach / ur,
        baselineLabel: `${RAW_LABEL}, one per transaction`,
        better: "higher",
      },
    ];
    return figures;
  },
};
