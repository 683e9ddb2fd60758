// API and CLI figures (issue 3):
//   cli.status.*   `claire status --json` wall time, run as `node_modules/.bin/node bin/claire.cjs`
//                  (never through npx), against `node -e 0` run in turn with it: with a server running
//                  (target <= 2.0x) and in-process (target <= 3.0x).
//   api.status.*   GET /api/v1/status on loopback with 10,000 tasks and 500 sessions: requests/s and
//                  p99 (target p99 <= 10 ms), against GET /api/v1/health on the same server.
//   api.tasks.*    POST /api/v1/tasks on the same server: requests/s and p99.
// The server runs as its own process (`claire serve`) and autocannon drives it from this one.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import type { Benchmark, Figure } from "./index.ts";
import { startServe, stopServe } from "./support/serve-process.ts";
import { type SpawnTimer, startSpawnTimer } from "./support/spawn-timer.ts";
import { median } from "./support/timing.ts";

// npm runs benchmarks from the package root (the bundle itself lives in bench-output/).
const ROOT = process.cwd();
const NODE = join(ROOT, "node_modules/.bin/node");
const BIN = join(ROOT, "bin/claire.cjs");

const ensureBuilt = () => {
  if (!existsSync(join(ROOT, "dist/claire.cjs")))
    execFileSync(NODE, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT });
};

/**
 * Medians of a command and of the baseline (`node -e 0`), run in turn (A B A B ...), so that a
 * machine whose speed drifts during the measurement (a shared VM) slows both alike. The first
 * pair warms the page cache and the compile cache and is not counted. Spawned by a small timer
 * process (support/spawn-timer.ts), not by this one.
 */
const timePaired = async (
  timer: SpawnTimer,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<{ value: number; baseline: number }> => {
  const once = async (a: readonly string[]) => {
    const r = await timer.time(NODE, a, { env });
    if (r.status !== 0) throw new Error(`${a.join(" ")} failed: ${r.stderr}`);
    return r.ms;
  };
  const values: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const v = await once(args);
    const b = await once(["-e", "0"]);
    if (i > 0) {
      values.push(v);
      baselines.push(b);
    }
  }
  return { value: median(values), baseline: median(baselines) };
};

const startServer = (home: string) => startServe(home, { timeoutMs: 20_000 });
const stopServer = stopServe;

const load = async (opts: autocannon.Options) => {
  const r = await autocannon({ connections: 10, pipelining: 1, ...opts });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`${opts.method ?? "GET"} ${opts.url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p99: r.latency.p99 };
};

/** Seeds a home through the real service (the same code the API runs), then closes it. */
const seed = async (home: string, tasks: number, sessions: number) => {
  const { openLocalClaire } = await import("../src/runtime/local-claire.ts");
  const opened = openLocalClaire({ env: { ...process.env, CLAIRE_HOME: home }, init: true });
  if (!opened.ok) throw new Error(opened.error.message);
  const c = opened.value;
  const actor = { kind: "human", id: "bench" } as const;
  const p = c.service.createProject(actor, { name: "bench" });
  if (!p.ok) throw new Error("seed project");
  for (let i = 0; i < tasks; i++) {
    const t = c.service.createTask(actor, {
      projectId: p.value.id,
      title: `task ${i}`,
      labels: i % 7 ? [] : ["seven"],
    });
    if (!t.ok) throw new Error("seed task");
  }
  for (let i = 0; i < sessions; i++) {
    c.service.observeSession(
      actor,
      { machineId: c.config.machineId, sessionId: `0000${i}`.slice(-5) + "000-aaaa-4bbb-8ccc-000000000000" },
      {
        cwd: `/work/repo-${i % 40}`,
        state: (["working", "idle", "waiting", "ended"] as const)[i % 4],
        tokens: { input: i, output: i, cacheCreation: 0, cacheRead: 0 },
      },
    );
  }
  const projectId = p.value.id;
  c.close();
  return projectId;
};

export const benchmarks: Benchmark[] = [
  {
    name: "cli-status",
    description: "`claire status --json` wall time vs `node -e 0`, with a server and in-process",
    run: async ({ smoke, tmpDir, log }) => {
      ensureBuilt();
      const runs = smoke ? 2 : 15;
      const home = join(tmpDir, "cli");
      await seed(home, smoke ? 10 : 200, smoke ? 5 : 50);
      const env = { ...process.env, CLAIRE_HOME: home };
      const timer = startSpawnTimer();
      let inProcess: { value: number; baseline: number };
      let remote: { value: number; baseline: number };
      try {
        inProcess = await timePaired(timer, [BIN, "status", "--json"], env, runs);
        const { child } = await startServer(home);
        try {
          remote = await timePaired(timer, [BIN, "status", "--json"], env, runs);
        } finally {
          await stopServer(child);
        }
      } finally {
        timer.close();
      }
      log(
        `status in-process ${inProcess.value.toFixed(1)} ms (node -e 0 ${inProcess.baseline.toFixed(1)} ms); ` +
          `with server ${remote.value.toFixed(1)} ms (node -e 0 ${remote.baseline.toFixed(1)} ms)`,
      );
      const fig = (
        name: string,
        { value, baseline }: { value: number; baseline: number },
        ratio: number,
      ): Figure => ({
        name,
        value,
        unit: "ms",
        baseline,
        baselineLabel: "node -e 0",
        better: "lower",
        target: { ratio },
      });
      return [fig("cli.status.server", remote, 2), fig("cli.status.in-process", inProcess, 3)];
    },
  },
  {
    name: "api-load",
    description: "GET /status and POST /tasks on loopback with 10,000 tasks and 500 sessions",
    run: async ({ smoke, tmpDir, log }) => {
      ensureBuilt();
      const home = join(tmpDir, "api");
      const projectId = await seed(home, smoke ? 50 : 10_000, smoke ? 10 : 500);
      const { url, child } = await startServer(home);
      try {
        const duration = smoke ? 1 : 10;
        const headers = { "content-type": "application/json" };
        const health = await load({ url: `${url}/api/v1/health`, duration });
        const status = await load({ url: `${url}/api/v1/status`, duration });
        const tasks = await load({
          url: `${url}/api/v1/tasks`,
          method: "POST",
          headers,
          body: JSON.stringify({ projectId, title: "load" }),
          duration,
        });
        log(
          `health ${health.rps.toFixed(0)} req/s p99 ${health.p99} ms; status ${status.rps.toFixed(0)} req/s p99 ${status.p99} ms; POST /tasks ${tasks.rps.toFixed(0)} req/s p99 ${tasks.p99} ms`,
        );
        const label = "GET /api/v1/health on the same server";
        return [
          {
            name: "api.status.rps",
            value: status.rps,
            unit: "req/s",
            baseline: health.rps,
            baselineLabel: label,
            better: "higher",
          },
          {
            name: "api.status.p99",
            value: status.p99,
            unit: "ms",
            baseline: health.p99,
            baselineLabel: label,
            better: "lower",
            target: 10,
          },
          {
            name: "api.tasks.rps",
            value: tasks.rps,
            unit: "req/s",
            baseline: health.rps,
            baselineLabel: label,
            better: "higher",
          },
          {
            name: "api.tasks.p99",
            value: tasks.p99,
            unit: "ms",
            baseline: health.p99,
            baselineLabel: label,
            better: "lower",
          },
        ];
      } finally {
        await stopServer(child);
      }
    },
  },
];
