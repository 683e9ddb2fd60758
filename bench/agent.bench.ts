// Agent figures (issue 7):
//   agent.hook.server.*      `claire hook SessionStart` spawned as Claude Code spawns it (`/bin/sh -c`
//                            with the command `claire hooks install` writes, the hook JSON on stdin)
//                            for a session with 20 assigned tasks and 50 unread messages, with a
//                            server running: p50 and p95 against `/bin/sh -c '<node> -e 0'` with the
//                            same stdin, in the same run (target p95 <= 2.0x).
//   agent.hook.in-process.*  the same with no server (the hook opens the database itself).
//   agent.mcp.call.*         a tools/call of Claire's MCP server (post_update, a write) over stdio,
//                            round trip as a client sees it, against an MCP ping on the same channel.
// Each hook run uses its own session (seeded alike), because a SessionStart marks the messages it
// shows delivered: the next run of the same session would have less to do.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { Benchmark, Figure } from "./index.ts";
import { startServe, stopServe } from "./support/serve-process.ts";
import { startSpawnTimer } from "./support/spawn-timer.ts";

const ROOT = process.cwd();
const NODE = join(ROOT, "node_modules/.bin/node");
const BIN = join(ROOT, "bin/claire.cjs");
const TASKS = 20;
const MESSAGES = 50;

const ensureBuilt = () => {
  if (!existsSync(join(ROOT, "dist/hook.cjs")))
    execFileSync(NODE, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT });
};

const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
};

/** Seeds sessions bench-0..n-1, each with 20 tasks of its own and the same 50 unread group messages. */
const seed = async (home: string, sessions: number): Promise<{ machineId: string; project: string }> => {
  const { openLocalClaire } = await import("../src/runtime/local-claire.ts");
  const opened = openLocalClaire({ env: { ...process.env, CLAIRE_HOME: home }, init: true });
  if (!opened.ok) throw new Error(opened.error.message);
  const c = opened.value;
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
    if (!r.ok) throw new Error(`seed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  const human = { kind: "human", id: "bench@lab" } as const;
  const machineId = c.config.machineId;
  c.service.announceMachine({ kind: "machine", id: machineId });
  const p = must(c.service.createProject(human, { name: "bench" }));
  const start = new Date(Date.now() - 60_000).toISOString();
  for (let s = 0; s < sessions; s++) {
    const ref = { machineId, sessionId: `bench-${s}` };
    must(c.service.observeSession(human, ref, { cwd: "/work/bench", state: "idle", firstActivity: start }));
    for (let i = 0; i < TASKS; i++) {
      const t = must(
        c.service.createTask(human, {
          projectId: p.id,
          title: `Task ${i} of session ${s}: migrate the ledger table ${i}`,
          description: `Step ${i}. `.repeat(40),
          priority: i % 4 === 0 ? "high" : "normal",
        }),
      );
      must(c.service.assignTask(human, { taskId: t.id, session: `${machineId}/bench-${s}` }));
    }
  }
  must(c.service.createGroup(human, { name: "bench", rules: ["cwd:/work/bench"] }));
  for (let i = 0; i < MESSAGES; i++)
    must(
      c.service.sendMessage(
        { kind: "human", id: `person-${i % 5}@lab` },
        {
          to: "group:bench",
          body: `Message ${i}: please look at the deploy checklist before merging. `.repeat(2),
        },
      ),
    );
  c.close();
  return { machineId, project: p.id };
};

const startServer = async (home: string): Promise<ChildProcess> => {
  // Session discovery runs as in any server, over an empty Claude Code config dir.
  const claudeDir = join(home, "claude-config");
  mkdirSync(join(claudeDir, "projects"), { recursive: true });
  return (
    await startServe(home, {
      env: { CLAIRE_LOG_LEVEL: "error", CLAUDE_CONFIG_DIR: claudeDir },
      timeoutMs: 20_000,
    })
  ).child;
};

const stopServer = stopServe;

/** The command `claire hooks install` writes for an event (absolute Node and Claire entry). */
const hookCommand = (event: string) => `${process.execPath} ${BIN} hook ${event}`;

const stdinFor = (sessionId: string) =>
  JSON.stringify({
    session_id: sessionId,
    transcript_path: `/home/dev/.claude/projects/-work-bench/${sessionId}.jsonl`,
    cwd: "/work/bench",
    hook_event_name: "SessionStart",
    source: "startup",
  });

type Phase = { base: number[]; hook: number[]; printed: number };

/** Processes standing in for claude (CLAUDE_PID); killed when the benchmark ends. */
const standIns: ChildProcess[] = [];
const killStandIns = () => {
  for (const p of standIns.splice(0)) p.kill("SIGKILL");
};

/**
 * Alternates a baseline spawn and a hook spawn, each through /bin/sh -c with the same stdin, both
 * started by a small timer process (support/spawn-timer.ts), not by this one.
 */
const measure = async (home: string, sessions: readonly string[], warmup: number): Promise<Phase> => {
  const env = { ...process.env, CLAIRE_HOME: home };
  const phase: Phase = { base: [], hook: [], printed: 0 };
  const timer = startSpawnTimer();
  const time = async (cmd: string, input: string, pid: number) => {
    const r = await timer.time("/bin/sh", ["-c", cmd], { input, env: { ...env, CLAUDE_PID: String(pid) } });
    if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr}`);
    return r;
  };
  try {
    for (const [i, sid] of sessions.entries()) {
      // Every run stands for a fresh Claude process: a live process of its own as CLAUDE_PID, so the
      // hook reads and writes its per-process memory as it does under Claude Code.
      const stand = spawn("sleep", ["600"], { stdio: "ignore" });
      const pid = stand.pid!;
      standIns.push(stand);
      const base = await time(`${process.execPath} -e 0`, stdinFor(sid), pid);
      const hook = await time(hookCommand("SessionStart"), stdinFor(sid), pid);
      if (!hook.stdout.includes(`Your tasks (${TASKS})`))
        throw new Error(
          `the hook did not brief session ${sid}: ${hook.stdout.slice(0, 2000)} ${hook.stderr}`,
        );
      phase.printed = hook.stdout.length;
      if (i < warmup) continue; // first runs warm the page cache and V8's compile cache
      phase.base.push(base.ms);
      phase.hook.push(hook.ms);
    }
  } finally {
    timer.close();
  }
  return phase;
};

const hookFigures = (mode: string, p: Phase): Figure[] => {
  const fig = (q: "p50" | "p95", target: boolean): Figure => ({
    name: `agent.hook.${mode}.${q}`,
    value: percentile(p.hook, q === "p50" ? 0.5 : 0.95),
    unit: "ms",
    baseline: percentile(p.base, q === "p50" ? 0.5 : 0.95),
    baselineLabel: `sh -c 'node -e 0', ${q}`,
    better: "lower",
    ...(target ? { target: { ratio: 2 } } : {}),
  });
  return [fig("p50", false), fig("p95", true)];
};

export const benchmarks: Benchmark[] = [
  {
    name: "agent-hook",
    description: "SessionStart hook (20 tasks, 50 unread messages) spawned like Claude Code, vs node -e 0",
    run: async ({ smoke, tmpDir, log }) => {
      ensureBuilt();
      const runs = smoke ? 3 : 40;
      const warmup = smoke ? 1 : 5;
      const home = join(tmpDir, "hooks");
      const per = runs + warmup;
      await seed(home, 2 * per);
      const ids = Array.from({ length: 2 * per }, (_, i) => `bench-${i}`);
      const server = await startServer(home);
      let withServer: Phase;
      try {
        withServer = await measure(home, ids.slice(0, per), warmup);
      } finally {
        killStandIns();
        await stopServer(server);
      }
      let inProcess: Phase;
      try {
        inProcess = await measure(home, ids.slice(per), warmup);
      } finally {
        killStandIns();
      }
      const med = (xs: number[]) => percentile(xs, 0.5).toFixed(1);
      log(
        `hook with server p50 ${med(withServer.hook)} ms (node -e 0 ${med(withServer.base)}), in-process p50 ${med(inProcess.hook)} ms (node -e 0 ${med(inProcess.base)}); output ${withServer.printed} characters`,
      );
      return [...hookFigures("server", withServer), ...hookFigures("in-process", inProcess)];
    },
  },
  {
    name: "agent-mcp",
    description: "MCP tools/call round trip (post_update over stdio, server running) vs an MCP ping",
    run: async ({ smoke, tmpDir, log }) => {
      ensureBuilt();
      const calls = smoke ? 5 : 200;
      const home = join(tmpDir, "mcp");
      await seed(home, 1);
      const server = await startServer(home);
      const client = new Client({ name: "bench", version: "1.0.0" });
      try {
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [BIN, "mcp"],
            env: { ...process.env, CLAIRE_HOME: home, CLAUDE_CODE_SESSION_ID: "bench-0" } as Record<
              string,
              string
            >,
            stderr: "inherit",
          }),
        );
        const task = "Task 0 of session 0";
        const list = (await client.callTool({ name: "list_tasks", arguments: { mine: true, limit: 1 } })) as {
          content: { text: string }[];
        };
        const handle = /- (\w+) \[/.exec(list.content[0]!.text)?.[1];
        if (!handle) throw new Error(`no task found for the bench session: ${list.content[0]?.text}`);
        const timeOf = async (fn: () => Promise<unknown>) => {
          const start = process.hrtime.bigint();
          await fn();
          return Number(process.hrtime.bigint() - start) / 1e6;
        };
        const ping: number[] = [];
        const call: number[] = [];
        for (let i = 0; i < calls + 5; i++) {
          const p = await timeOf(() => client.ping());
          const c = await timeOf(async () => {
            const r = (await client.callTool({
              name: "post_update",
              arguments: { task: handle, text: `progress ${i} on ${task}` },
            })) as { isError?: boolean; content: { text: string }[] };
            if (r.isError) throw new Error(r.content[0]?.text);
          });
          if (i < 5) continue;
          ping.push(p);
          call.push(c);
        }
        log(
          `MCP post_update p50 ${percentile(call, 0.5).toFixed(2)} ms, p95 ${percentile(call, 0.95).toFixed(2)} ms; ping p95 ${percentile(ping, 0.95).toFixed(2)} ms`,
        );
        const fig = (q: "p50" | "p95"): Figure => ({
          name: `agent.mcp.call.${q}`,
          value: percentile(call, q === "p50" ? 0.5 : 0.95),
          unit: "ms",
          baseline: percentile(ping, q === "p50" ? 0.5 : 0.95),
          baselineLabel: `MCP ping on the same stdio channel, ${q}`,
          better: "lower",
        });
        return [fig("p50"), fig("p95")];
      } finally {
        await client.close().catch(() => {});
        await stopServer(server);
      }
    },
  },
];
