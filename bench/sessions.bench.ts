// Session discovery benchmarks on a generated corpus of Claude Code transcripts (bench/sessions-corpus.ts;
// 2,000 transcripts, about 1 GB; reused from the temp dir when an earlier run left it):
//   - cold scan (no Claire state; the page cache is warm): MB/s, against reading the same bytes
//     with no parsing;
//   - rescan with nothing changed: ms, against listing and stat-ing every transcript;
//   - one line appended to one transcript until the change is in the database, through the
//     discovery's file watching (debounce included): ms, against the bare fs.watch notification;
//   - cold scan and rescan against `listSessions` of @anthropic-ai/claude-agent-sdk over the same
//     corpus (every call of which reads the transcripts, without tokens or cost).

import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  closeSync,
  existsSync,
  type FSWatcher,
  openSync,
  readdirSync,
  readSync,
  statSync,
  watch,
} from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Config } from "../src/config/config.ts";
import { createIdGenerator } from "../src/domain/ids.ts";
import { createService } from "../src/service/index.ts";
import { createSessionDiscovery, type SessionDiscovery } from "../src/sessions/discovery.ts";
import type { RefreshReport } from "../src/sessions/refresher.ts";
import { createStore } from "../src/store/store.ts";
import type { BenchContext, Benchmark, Figure } from "./index.ts";
import { type Corpus, ensureCorpus } from "./sessions-corpus.ts";
import { median } from "./support/timing.ts";

const FULL = { transcripts: 2_000, totalBytes: 1_000_000_000, seed: 4 };
const SMOKE = { transcripts: 12, totalBytes: 600_000, seed: 4 };

const SESSIONS: Config["sessions"] = {
  sources: ["claude"],
  claudeConfigDirs: [],
  commandTimeoutSeconds: 10,
  shareTitles: true,
  scanIntervalSeconds: 3600,
};

/** A Claire on a real database file whose clock a benchmark can move forward (past the 15 s throttle). */
const benchClaire = (dir: string, name: string) => {
  const machineId = crypto.randomUUID();
  const clock = { offset: 0 };
  const now = () => Date.now() + clock.offset;
  const ids = createIdGenerator();
  const store = createStore({ path: join(dir, `${name}.db`), machineId, now, ids, maxDriftMs: 86_400_000 });
  const service = createService({
    store,
    ids,
    now,
    machine: { machineId, machineName: "bench", groups: [] },
  });
  return { machineId, clock, now, store, service };
};

const discoveryOver = (c: ReturnType<typeof benchClaire>, corpus: Corpus, smoke: boolean): SessionDiscovery =>
  createSessionDiscovery({
    service: c.service,
    machineId: c.machineId,
    configDirs: [corpus.configDir],
    config: { sessions: SESSIONS, prices: {} },
    now: c.now,
    claude: null,
    // This bundle inlines the worker module: point the cold scan's threads at the worker file
    // `claire serve` and `claire pull` use (dist/scan-worker.cjs; its source would cost each
    // thread 20-40 ms more of type stripping at start).
    // In smoke runs the tiny corpus goes through the threads too, so that path never rots.
    parallel: {
      workerUrl: builtWorker(),
      ...(smoke && { minBytes: 0 }),
    },
  });

/** dist/scan-worker.cjs, built first when missing (`npm test` and `npm ci` build it). */
const builtWorker = (): URL => {
  const root = process.cwd();
  const worker = join(root, "dist", "scan-worker.cjs");
  if (!existsSync(worker))
    execFileSync(join(root, "node_modules/.bin/node"), [join(root, "scripts/build.mjs")], { cwd: root });
  return pathToFileURL(worker);
};

const ms = (t0: number) => performance.now() - t0;

/** Reads every byte of the corpus, parsing nothing: the floor for any scan. */
const plainRead = (corpus: Corpus): number => {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  for (const f of corpus.files) {
    const fd = openSync(f.path, "r");
    try {
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) total += n;
    } finally {
      closeSync(fd);
    }
  }
  return total;
};

/** Lists the projects and stats every transcript: the floor for any rescan. */
const listAndStat = (configDir: string): number => {
  let n = 0;
  const projects = join(configDir, "projects");
  for (const p of readdirSync(projects)) {
    for (const e of readdirSync(join(projects, p), { withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith(".jsonl")) {
        statSync(join(projects, p, e.name), { bigint: true });
        n++;
      }
    }
  }
  return n;
};

type ListSessions = (o?: object) => Promise<unknown[]>;

/** listSessions of the Claude Agent SDK, if installed (a devDependency); null otherwise. */
const loadListSessions = async (log: (m: string) => void): Promise<ListSessions | null> => {
  const name = "@anthropic-ai/claude-agent-sdk"; // not a literal: the bundle must not inline it
  try {
    const sdk = (await import(name)) as { listSessions?: ListSessions };
    return sdk.listSessions ?? null;
  } catch (e) {
    log(`listSessions baseline skipped: ${name} does not load (${(e as Error).message})`);
    return null;
  }
};

const nextReport = (d: SessionDiscovery, sessionId: string): Promise<RefreshReport> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no refresh recorded session ${sessionId} within 10 s`));
    }, 10_000);
    const off = d.subscribe((r) => {
      if (r.changes.some((c) => c.sessionId === sessionId)) {
        clearTimeout(timer);
        off();
        resolve(r);
      }
    });
  });

// Unique per run: the corpus is reused, and a repeated message id would be counted once.
const RUN = Date.now().toString(36);

const assistantLine = (sessionId: string, i: number) =>
  `${JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    cwd: "/home/ada/work/bench",
    sessionId,
    version: "2.1.330",
    gitBranch: "main",
    type: "assistant",
    uuid: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    requestId: `req_bench_${RUN}_${i}`,
    message: {
      id: `msg_bench_${RUN}_${i}`,
      type: "message",
      role: "assistant",
      model: "claude-opus-4-5-20251101",
      content: [{ type: "text", text: "appended" }],
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 100,
      },
    },
  })}\n`;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/** Append → fs.watch event, with nothing else in between. */
const watchLatency = async (corpus: Corpus, rounds: number): Promise<number> => {
  const target = corpus.files[corpus.files.length - 1]!.path;
  let resolveEvent: (() => void) | null = null;
  const w: FSWatcher = watch(join(corpus.configDir, "projects"), { recursive: true }, () => resolveEvent?.());
  const times: number[] = [];
  try {
    await sleep(50);
    for (let i = 0; i < rounds; i++) {
      const seen = new Promise<void>((r) => {
        resolveEvent = r;
      });
      const t0 = performance.now();
      appendFileSync(target, "\n");
      await seen;
      times.push(ms(t0));
      resolveEvent = null;
      await sleep(20);
    }
  } finally {
    w.close();
  }
  return median(times);
};

const run = async (ctx: BenchContext): Promise<Figure[]> => {
  const spec = ctx.smoke ? SMOKE : FULL;
  const corpus = ensureCorpus(spec, ctx.smoke ? join(ctx.tmpDir, "corpus") : undefined, ctx.log);
  // Earlier runs appended a few lines to a reused corpus: measure what is there now.
  const mb = plainRead(corpus) / 1e6; // the page cache cannot be dropped here: warm it for both sides alike
  ctx.log(
    `corpus: ${corpus.mainFiles} transcripts (+${corpus.files.length - corpus.mainFiles} subagent files), ${mb.toFixed(0)} MB${corpus.reused ? ", reused" : ""}`,
  );

  const readTimes = [0, 1, 2].map(() => {
    const t0 = performance.now();
    plainRead(corpus);
    return ms(t0);
  });
  const readRate = mb / (median(readTimes) / 1000);

  const claire = benchClaire(ctx.tmpDir, "cold");
  const discovery = discoveryOver(claire, corpus, ctx.smoke);
  let t0 = performance.now();
  const cold = await discovery.refresh();
  const coldMs = ms(t0);
  if (cold.sessions !== corpus.mainFiles || cold.errors.length > 0)
    throw new Error(
      `cold scan found ${cold.sessions} sessions of ${corpus.mainFiles}: ${cold.errors.join("; ")}`,
    );
  ctx.log(
    `cold: ${cold.sessions} sessions, ${(cold.bytesRead / 1e6).toFixed(0)} MB read, ${coldMs.toFixed(0)} ms (${availableParallelism()} cores)`,
  );

  const rescans: number[] = [];
  for (let i = 0; i < 7; i++) {
    t0 = performance.now();
    const r = await discovery.refresh();
    rescans.push(ms(t0));
    if (r.changed !== 0 || r.filesRead !== 0)
      throw new Error(`a rescan with nothing changed changed ${r.changed}`);
  }
  const rescanMs = median(rescans);
  const statMs = median(
    [0, 1, 2, 3, 4].map(() => {
      t0 = performance.now();
      listAndStat(corpus.configDir);
      return ms(t0);
    }),
  );
  await discovery.stop();

  // One line appended, through file watching, until the change is in the database.
  const rounds = ctx.smoke ? 3 : 25;
  const watchMs = await watchLatency(corpus, rounds);
  const live = discoveryOver(claire, corpus, ctx.smoke);
  // Discovery's watchers do not keep a process alive (serve's server does): this timer does here.
  const keepAlive = setInterval(() => {}, 1000);
  await live.start();
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    claire.clock.offset += 16_000; // past the 15 s activity throttle, as a session idle for a while
    const file = corpus.files[(i * 37) % corpus.files.length]!;
    const recorded = nextReport(live, file.sessionId);
    t0 = performance.now();
    appendFileSync(file.path, assistantLine(file.sessionId, i));
    await recorded;
    latencies.push(ms(t0));
    await sleep(150); // past the minimum gap between watch-driven refreshes
  }
  await live.stop();
  clearInterval(keepAlive);
  const appendMs = median(latencies);
  claire.store.close();

  const figures: Figure[] = [
    {
      name: "sessions.cold.rate",
      value: mb / (coldMs / 1000),
      unit: "MB/s",
      baseline: readRate,
      baselineLabel: "reading the same bytes, no parsing",
      better: "higher",
    },
    {
      name: "sessions.rescan.unchanged",
      value: rescanMs,
      unit: "ms",
      baseline: statMs,
      baselineLabel: `listing and stat-ing the ${corpus.mainFiles} transcripts`,
      better: "lower",
      target: 100,
    },
    {
      name: "sessions.append.recorded",
      value: appendMs,
      unit: "ms",
      baseline: watchMs,
      baselineLabel: "the bare fs.watch event for an append",
      better: "lower",
      target: 20,
    },
  ];

  const listSessions = await loadListSessions(ctx.log);
  if (listSessions !== null) {
    const sdkTimes: number[] = [];
    let listed = 0;
    // The SDK reads transcripts from the config dir it finds in the environment. Put back after:
    // every process later benchmarks start inherits it (a `claire serve` would scan this corpus).
    const previous = process.env.CLAUDE_CONFIG_DIR;
    process.env.CLAUDE_CONFIG_DIR = corpus.configDir;
    try {
      for (let i = 0; i < 3; i++) {
        t0 = performance.now();
        listed = (await listSessions()).length;
        sdkTimes.push(ms(t0));
      }
    } finally {
      if (previous === undefined) delete process.env.CLAUDE_CONFIG_DIR;
      else process.env.CLAUDE_CONFIG_DIR = previous;
    }
    ctx.log(`listSessions: ${listed} sessions, ${sdkTimes.map((t) => t.toFixed(0)).join(" / ")} ms`);
    const sdkMs = median(sdkTimes);
    figures.push(
      {
        name: "sessions.cold.vs-sdk",
        value: coldMs,
        unit: "ms",
        baseline: sdkMs,
        baselineLabel: "a listSessions() call of the Agent SDK (no tokens, no cost)",
        better: "lower",
        target: { ratio: 1 },
      },
      {
        name: "sessions.rescan.vs-sdk",
        value: rescanMs,
        unit: "ms",
        baseline: sdkMs,
        baselineLabel: "a listSessions() call of the Agent SDK",
        better: "lower",
        target: { ratio: 1 / 50 },
      },
    );
  }
  return figures;
};

export const sessionsBenchmark: Benchmark = {
  name: "sessions",
  description: "session discovery: cold scan, unchanged rescan, append-to-database latency, vs listSessions",
  run,
};

export const benchmarks: readonly Benchmark[] = [sessionsBenchmark];
