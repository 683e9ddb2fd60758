// Sync figures (issue 5):
//   sync.pull.rate    200,000 events pulled by a fresh node B from node A (a `claire serve` process)
//                     over loopback HTTP, projections included, in events/s (target >= 50,000/s),
//                     against B ingesting the same events locally (service.ingestEvents, in pages of
//                     the default batch_size, as pulled) in the same run.
//   sync.line5.ms     5 `claire serve` processes in a line A-B-C-D-E, 10,000 writes made on each
//                     before they meet: milliseconds from the peers being configured until every
//                     node's `sync/verify` reports all equal, against one node ingesting the 40,000
//                     events of the others locally.
// The servers are separate processes started from bin/claire.cjs (built by npm ci / npm test).
import { type ChildProcess, execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { DEFAULTS } from "../src/config/schema.ts";
import type { Service } from "../src/service/index.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import { createHttpTransport } from "../src/sync/transport.ts";
import { fillLog } from "./event-core/fill.ts";
import type { BenchContext, Benchmark, Figure } from "./index.ts";
import { freshClaire } from "./support/fresh-claire.ts";
import { startServe, stopServe } from "./support/serve-process.ts";
import { collectGarbage } from "./support/timing.ts";

// npm runs benchmarks from the package root (the bundle itself lives in bench-output/).
const ROOT = process.cwd();
const NODE = join(ROOT, "node_modules/.bin/node");
const _BIN = join(ROOT, "bin/claire.cjs");
// The page size `claire serve` pulls with by default, for the pull and its local baseline alike.
const BATCH = DEFAULTS.batchSize;

const ensureBuilt = () => {
  if (!existsSync(join(ROOT, "dist/claire.cjs")))
    execFileSync(NODE, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT });
};

type Server = { url: string; child: ChildProcess };

const startServer = async (home: string): Promise<Server> => {
  const claude = join(home, "claude");
  mkdirSync(claude, { recursive: true });
  return startServe(home, { env: { HOME: home, CLAUDE_CONFIG_DIR: claude } });
};

const stopServer = stopServe;

/** A home made by the real code (claire.toml + database), filled with `events` writes of the event mix. */
const seedHome = async (home: string, events: number, seed: number, toml = ""): Promise<void> => {
  const { openLocalClaire } = await import("../src/runtime/local-claire.ts");
  const opened = openLocalClaire({ env: { ...process.env, CLAIRE_HOME: home }, init: true });
  if (!opened.ok) throw new Error(opened.error.message);
  const c = opened.value;
  try {
    fillLog(
      {
        path: c.paths.dbPath,
        store: c.store,
        service: c.service,
        actor: { kind: "human", id: "bench" },
        close: c.close,
      },
      events,
      seed,
    );
  } finally {
    c.close();
  }
  if (toml) appendFileSync(join(home, "claire.toml"), `\n${toml}\n`);
};

/** Every event of a log, as the wire carries it, in pages of BATCH. */
const wirePages = (service: Service): unknown[][] => {
  const pages: unknown[][] = [];
  for (let after = 0; ; ) {
    const p = service.eventsPage(after, BATCH);
    if (p.events.length === 0) break;
    pages.push(JSON.parse(JSON.stringify(p.events)) as unknown[]);
    after = p.nextAfter;
  }
  return pages;
};

/** Seconds for a fresh node to ingest these pages locally (no HTTP). */
const localIngest = (dir: string, name: string, pages: readonly unknown[][]): number => {
  const c = freshClaire(dir, name);
  try {
    collectGarbage();
    const start = process.hrtime.bigint();
    for (const page of pages) c.service.ingestEvents(page, "bench");
    return Number(process.hrtime.bigint() - start) / 1e9;
  } finally {
    c.close();
  }
};

const pullBenchmark: Benchmark = {
  name: "sync-pull",
  description: "200,000 events pulled over loopback HTTP by a fresh node, vs ingesting them locally",
  run: async (ctx: BenchContext): Promise<Figure[]> => {
    ensureBuilt();
    const n = ctx.smoke ? 2_000 : 200_000;
    const homeA = join(ctx.tmpDir, "a");
    ctx.log(`filling A with ${n} events`);
    await seedHome(homeA, n, 11);
    const a = await startServer(homeA);
    try {
      const b = freshClaire(ctx.tmpDir, "b");
      let seconds: number;
      let pulled = 0;
      let pages: unknown[][];
      try {
        const transport = createHttpTransport({ timeoutMs: 60_000 });
        collectGarbage();
        const start = process.hrtime.bigint();
        for (let rounds = 0; rounds < 100; rounds++) {
          const r = await syncPeer(
            { service: b.service, transport, now: Date.now, batchSize: BATCH, maxPages: 10_000 },
            { url: a.url },
          );
          if (!r.ok) throw new Error(`pull failed: ${r.error}`);
          pulled += r.pulled.accepted;
          if (r.behind === 0) break;
        }
        seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (pulled < n) throw new Error(`pulled ${pulled} events, expected at least ${n}`);
        ctx.log(`pulled ${pulled} events in ${seconds.toFixed(2)} s`);
        pages = wirePages(b.service);
      } finally {
        b.close();
      }
      const local = localIngest(ctx.tmpDir, "c", pages);
      ctx.log(`local ingest of the same events: ${local.toFixed(2)} s`);
      return [
        {
          name: "sync.pull.rate",
          value: pulled / seconds,
          unit: "events/s",
          baseline: pulled / local,
          baselineLabel: `the same events ingested locally, batches of ${BATCH}`,
          better: "higher",
          target: 50_000,
        },
      ];
    } finally {
      await stopServer(a.child);
    }
  },
};

type Verification = { equal: boolean; peers: unknown[] };

const lineBenchmark: Benchmark = {
  name: "sync-line5",
  description: "5 serve processes in a line, 10,000 writes on each: time until verify says all equal",
  run: async (ctx: BenchContext): Promise<Figure[]> => {
    ensureBuilt();
    // Smoke: three nodes (two hops instead of four), so the smoke run stays short.
    const nodes = ctx.smoke ? 3 : 5;
    const writes = ctx.smoke ? 100 : 10_000;
    const homes = Array.from({ length: nodes }, (_, i) => join(ctx.tmpDir, `n${i}`));
    ctx.log(`${nodes} homes with ${writes} writes each`);
    for (const [i, home] of homes.entries())
      await seedHome(home, writes, 100 + i, "[sync]\ninterval_seconds = 1");
    const servers: Server[] = [];
    try {
      for (const home of homes) servers.push(await startServer(home));
      // Peers go into claire.toml while the servers run (they re-read it): the clock starts now.
      const start = process.hrtime.bigint();
      for (const [i, home] of homes.entries()) {
        const peers = [servers[i - 1], servers[i + 1]].filter((s): s is Server => s !== undefined);
        appendFileSync(
          join(home, "claire.toml"),
          peers.map((s) => `\n[[peers]]\nurl = "${s.url}"\n`).join(""),
        );
      }
      const deadline = Date.now() + 600_000;
      for (;;) {
        const all = await Promise.all(
          servers.map(async (s) => {
            const res = await fetch(`${s.url}/api/v1/sync/verify`);
            return (await res.json()) as Verification;
          }),
        );
        if (all.every((v) => v.equal && v.peers.length > 0)) break;
        if (Date.now() > deadline) throw new Error("the line did not converge within 10 minutes");
        await new Promise((r) => setTimeout(r, 100));
      }
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      ctx.log(`all ${nodes} equal after ${Math.round(ms)} ms`);
      // Baseline: what each node has to do at least, ingest the others' events, locally.
      const { openLocalClaire } = await import("../src/runtime/local-claire.ts");
      const pages: unknown[][] = [];
      for (const home of homes.slice(1)) {
        const opened = openLocalClaire({ env: { ...process.env, CLAIRE_HOME: home } });
        if (!opened.ok) throw new Error(opened.error.message);
        const own = opened.value.config.machineId;
        for (const p of wirePages(opened.value.service))
          pages.push(p.filter((e) => (e as { machineId: string }).machineId === own));
        opened.value.close();
      }
      const local = localIngest(ctx.tmpDir, "base", pages) * 1000;
      return [
        {
          name: "sync.line5.converge",
          value: ms,
          unit: "ms",
          baseline: local,
          baselineLabel: `one node ingesting the other ${nodes - 1} nodes' ${(nodes - 1) * writes} events locally`,
          better: "lower",
        },
      ];
    } finally {
      await Promise.all(servers.map((s) => stopServer(s.child)));
    }
  },
};

export const benchmarks: readonly Benchmark[] = [pullBenchmark, lineBenchmark];
