// Session discovery on transcripts and live sessions made by the real Claude Code CLI (pinned
// devDependency), offline against the scripted Messages API stand-in: sessions in several
// directories, a resumed session, a named one, one with a subagent; a session held mid-turn is
// working, then ended; `claude agents --json` parsed as printed. Checked through the service, and
// through `claire pull`, `claire sessions list` and `claire serve` as subprocesses.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "../src/domain/session.ts";
import { listClaudeAgents } from "../src/sessions/claude-agents.ts";
import { createSessionDiscovery, type SessionDiscovery } from "../src/sessions/discovery.ts";
import { costOf, priceFor } from "../src/sessions/prices.ts";
import type { RefreshReport } from "../src/sessions/refresher.ts";
import { readInWorkers } from "../src/sessions/scan-pool.ts";
import {
  type ClaudeRunOptions,
  claudeEnv,
  findClaudeBinary,
  runClaude,
  spawnClaude,
} from "./support/claude-runner.ts";
import { ensureBuilt, killAllServes, ROOT, runCli, startServe, tempHome } from "./support/cli-run.ts";
import {
  type FakeAnthropic,
  lastToolResults,
  lastUserText,
  type Script,
  startFakeAnthropic,
  type Usage,
} from "./support/fake-anthropic.ts";
import { sessionsConfig, waitFor } from "./support/sessions-world.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

const SONNET = "claude-sonnet-4-5-20250929";
const OPUS = "claude-opus-4-5-20251101";
const HAIKU = "claude-haiku-4-5-20251001";
const U = (input: number, output: number, cacheCreation: number, cacheRead: number): Usage => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: cacheCreation,
  cache_read_input_tokens: cacheRead,
});
const USAGE = {
  alpha1: U(101, 21, 301, 401),
  alpha2: U(11, 5, 0, 501),
  beta: U(202, 33, 1000, 0),
  gamma1: U(303, 40, 2000, 100),
  gamma2: U(30, 9, 0, 2400),
  sub: U(55, 8, 700, 0),
  delta: U(7, 3, 0, 0),
  held: U(1, 2, 3, 4),
};
const RUN_LIMIT_MS = 45_000;

let gate: { promise: Promise<void>; release: () => void } = newGate();
function newGate() {
  let release!: () => void;
  const promise = new Promise<void>((r) => {
    release = r;
  });
  return { promise, release };
}

const script: Script = (call) => {
  if (call.kind === "subagent") return { content: "sub done", model: HAIKU, usage: USAGE.sub };
  if (lastToolResults(call.body).length > 0)
    return { content: "gamma done", model: SONNET, usage: USAGE.gamma2 };
  const text = lastUserText(call.body);
  if (text.includes("gamma task"))
    return {
      model: SONNET,
      usage: USAGE.gamma1,
      content: [
        {
          type: "tool_use",
          name: "Agent",
          input: {
            description: "Sub work",
            prompt: "SUBTASK",
            subagent_type: "general-purpose",
            run_in_background: false,
          },
        },
      ],
    };
  if (text.includes("alpha again")) return { content: "again", model: SONNET, usage: USAGE.alpha2 };
  if (text.includes("alpha task")) return { content: "alpha done", model: SONNET, usage: USAGE.alpha1 };
  if (text.includes("beta task")) return { content: "beta done", model: OPUS, usage: USAGE.beta };
  if (text.includes("delta task")) return { content: "delta done", model: SONNET, usage: USAGE.delta };
  if (text.includes("hold task"))
    return { content: "held done", model: SONNET, usage: USAGE.held, hold: gate.promise };
  return { content: "?" };
};

let root: string;
let home: string;
let cfg: string;
let fake: FakeAnthropic;
const dirs = { alpha: "", beta: "", gamma: "" };
const ids = { alpha: "", beta: "", gamma: "" };
const claires: TempClaire[] = [];
const discoveries: SessionDiscovery[] = [];

const opts = (cwd: string, args: string[]): ClaudeRunOptions => ({
  args,
  cwd,
  home,
  configDir: cfg,
  baseUrl: fake.url,
  timeoutMs: RUN_LIMIT_MS,
});
const claudeP = async (cwd: string, args: string[]): Promise<string> => {
  const r = await runClaude(opts(cwd, ["-p", ...args, "--output-format", "json"]));
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).session_id as string;
};
const sum = (...us: Usage[]) => ({
  input: us.reduce((n, u) => n + u.input_tokens, 0),
  output: us.reduce((n, u) => n + u.output_tokens, 0),
  cacheCreation: us.reduce((n, u) => n + u.cache_creation_input_tokens, 0),
  cacheRead: us.reduce((n, u) => n + u.cache_read_input_tokens, 0),
});
const priced = (model: string, ...us: Usage[]) => costOf(sum(...us), priceFor(model)!);

const discoveryFor = (
  claire: TempClaire,
  extra: Partial<Parameters<typeof createSessionDiscovery>[0]> = {},
) => {
  const d = createSessionDiscovery({
    service: claire.service,
    machineId: claire.machineId,
    configDirs: [cfg],
    config: { sessions: sessionsConfig(), prices: {} },
    now: () => claire.clock.now,
    claude: null,
    ...extra,
  });
  discoveries.push(d);
  return d;
};

beforeAll(async () => {
  findClaudeBinary(); // one line saying what to install when missing
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "git missing: install git (Debian: apt-get install git); a session runs in a git repository",
    );
  }
  ensureBuilt();
  root = realpathSync(mkdtempSync(join(tmpdir(), "claire-disc-")));
  home = join(root, "home");
  cfg = join(root, "cfg");
  dirs.alpha = join(root, "alpha");
  dirs.beta = join(root, "proj b ü"); // a space and a non-ASCII letter
  dirs.gamma = join(root, "gamma");
  for (const d of [home, cfg, ...Object.values(dirs)]) mkdirSync(d, { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "feature-x"], { cwd: dirs.gamma });
  fake = await startFakeAnthropic(script);

  ids.alpha = await claudeP(dirs.alpha, ["alpha task"]);
  ids.beta = await claudeP(dirs.beta, ["beta task", "--name", "Beta custom title"]);
  ids.gamma = await claudeP(dirs.gamma, ["gamma task, delegate it", "--allowedTools", "Agent"]);
  expect(await claudeP(dirs.alpha, ["alpha again", "--resume", ids.alpha])).toBe(ids.alpha);
}, 240_000);

afterAll(async () => {
  gate.release();
  for (const d of discoveries) await d.stop();
  for (const c of claires) c.close();
  await killAllServes();
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** What the CLI made each session do, as Claire must record it. */
const expected = () => ({
  [ids.alpha]: {
    cwd: dirs.alpha,
    gitBranch: "HEAD",
    version: "2.1.330",
    title: "alpha task",
    model: SONNET,
    userMessages: 2,
    assistantMessages: 2,
    tokens: sum(USAGE.alpha1, USAGE.alpha2),
    state: "ended",
    source: "claude",
  },
  [ids.beta]: {
    cwd: dirs.beta,
    title: "Beta custom title",
    model: OPUS,
    userMessages: 1,
    assistantMessages: 1,
    tokens: sum(USAGE.beta),
    state: "ended",
  },
  [ids.gamma]: {
    cwd: dirs.gamma,
    gitBranch: "feature-x",
    title: "gamma task, delegate it",
    model: SONNET,
    userMessages: 1,
    assistantMessages: 2,
    // The subagent's API calls are billed to the session that started it.
    tokens: sum(USAGE.gamma1, USAGE.gamma2, USAGE.sub),
    state: "ended",
  },
});

const checkSessions = (sessions: readonly Session[]) => {
  const byId = new Map(sessions.map((s) => [s.sessionId, s]));
  expect([...byId.keys()].sort()).toEqual(Object.keys(expected()).sort());
  for (const [id, want] of Object.entries(expected())) {
    const s = byId.get(id)!;
    expect(s, id).toMatchObject(want);
    expect(s.transcriptPath).toMatch(new RegExp(`^${cfg}/projects/[^/]+/${id}\\.jsonl$`));
    expect(Date.parse(s.firstActivity!)).toBeLessThanOrEqual(Date.parse(s.lastActivity!));
    expect(s.costUsd).toBeGreaterThan(0);
  }
  const alpha = byId.get(ids.alpha)!;
  expect(alpha.costUsd).toBeCloseTo(priced(SONNET, USAGE.alpha1, USAGE.alpha2), 9);
  expect(byId.get(ids.beta)!.costUsd).toBeCloseTo(priced(OPUS, USAGE.beta), 9);
  expect(byId.get(ids.gamma)!.costUsd).toBeCloseTo(
    priced(SONNET, USAGE.gamma1, USAGE.gamma2) + priced(HAIKU, USAGE.sub),
    9,
  );
};

describe("the CLI bundle", () => {
  it("keeps the cold-scan worker a file of its own beside the local bundle, which a worker thread can load", async () => {
    // discovery.ts looks for scan-worker.cjs beside the bundle it was loaded from.
    const chunks = readdirSync(join(ROOT, "dist")).filter((f) => /^(scan-worker|local)\.cjs$/.test(f));
    expect(chunks.sort()).toEqual(["local.cjs", "scan-worker.cjs"]);
    chunks.splice(0, 1);
    const out = await readInWorkers([], 1, {
      url: pathToFileURL(join(ROOT, "dist", chunks[0]!)),
      threads: 1,
      maxLineBytes: 1024,
    });
    expect(out.size).toBe(0);
    const file = join(cfg, "projects", readdirSync(join(cfg, "projects"))[0]!);
    const transcript = readdirSync(file).find((f) => f.endsWith(".jsonl"))!;
    const read = await readInWorkers(
      [
        {
          file: {
            path: join(file, transcript),
            configDir: cfg,
            kind: "main",
            pathSessionId: transcript.slice(0, -6),
          },
          size: 1,
        },
      ],
      1,
      { url: pathToFileURL(join(ROOT, "dist", chunks[0]!)), threads: 1, maxLineBytes: 4 << 20 },
    );
    expect([...read.values()][0]?.state.agg.assistantMessages).toBeGreaterThan(0);
  });
});

describe("discovery of sessions the real claude CLI made", () => {
  it("records every session with the facts the CLI was made to produce", async () => {
    const claire = createTempClaire();
    claires.push(claire);
    const report = await discoveryFor(claire).refresh();
    expect(report).toMatchObject({ sessions: 3, changed: 3, live: 0, errors: [], badLines: 0 });
    checkSessions(must(claire.service.listSessions({})).sessions);
    const again = await discoveries.at(-1)!.refresh();
    expect(again).toMatchObject({ changed: 0, filesRead: 0 });
  });

  it("`claire pull` then `claire sessions list` as subprocesses (no server: in process)", async () => {
    const claireHome = tempHome();
    const env = { CLAUDE_CONFIG_DIR: cfg };
    const pull = await runCli(["pull", "--json"], { home: claireHome, env });
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json).toMatchObject({ sessions: 3, changed: 3, errors: [] });
    expect((pull.json as RefreshReport).changes.map((c) => c.isNew)).toEqual([true, true, true]);
    const list = await runCli(["sessions", "list", "--json"], { home: claireHome, env });
    expect(list.code, list.stderr).toBe(0);
    checkSessions((list.json as { sessions: Session[] }).sessions);
    // A page at a time: what is left is named, and where to go on from.
    const first = await runCli(["sessions", "list", "--limit", "2"], { home: claireHome, env });
    expect(first.stdout).toMatch(/… 1 more \(--offset 2\)\n$/);
    const rest = await runCli(["sessions", "list", "--limit", "2", "--offset", "2", "--json"], {
      home: claireHome,
      env,
    });
    expect((rest.json as { sessions: Session[] }).sessions).toHaveLength(1);
    expect((await runCli(["sessions", "list", "--limit", "6000"], { home: claireHome, env })).code).toBe(2);
    // --cwd is the user's directory: `.` where they stand.
    const here = await runCli(["sessions", "list", "--cwd", ".", "--json"], {
      home: claireHome,
      env,
      cwd: dirs.beta,
    });
    expect((here.json as { sessions: Session[] }).sessions.map((s) => s.sessionId)).toEqual([ids.beta]);
    // Filters that match nothing say so, not that nothing is known.
    const none = await runCli(["sessions", "list", "--state", "working"], { home: claireHome, env });
    expect(none.stdout).toBe("no sessions match\n");
    const past = await runCli(["sessions", "list", "--offset", "9"], { home: claireHome, env });
    expect(past.stdout).toBe("past the last of 3 session(s) (--offset 9)\n");
    const second = await runCli(["pull"], { home: claireHome, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^3 sessions on this machine, 0 live; nothing changed; 0 files read/);
    const status = await runCli(["status", "--json"], { home: claireHome, env });
    expect(status.json).toMatchObject({
      sessions: {
        total: 3,
        byState: { ended: 3, working: 0 },
        tokens: sum(...Object.values(USAGE).slice(0, 6)),
      },
    });
    const show = await runCli(["sessions", "show", ids.beta], { home: claireHome, env });
    expect(show.stdout).toContain("Beta custom title");
    expect(show.stdout).toContain(dirs.beta);
    rmSync(claireHome, { recursive: true, force: true });
  });

  it("reports a session held mid-turn as working, parses `claude agents --json`, then ends it", async () => {
    gate = newGate();
    const claire = createTempClaire();
    claires.push(claire);
    const env = claudeEnv({ home, configDir: cfg, baseUrl: fake.url });
    const discovery = discoveryFor(claire, { claude: findClaudeBinary(), env });
    const running = spawnClaude(opts(dirs.alpha, ["-p", "hold task", "--output-format", "json"]));
    await waitFor(
      "the held model call",
      () => fake.messageCalls().some((c) => lastUserText(c).includes("hold task")),
      30_000,
    );

    // serve's start: the initial scan runs `claude agents --json` too, then watching takes over.
    const first = await discovery.start();
    expect(first.errors).toEqual([]);
    expect(first.live).toBe(1);
    const live = must(claire.service.listSessions({ state: ["working"] })).sessions;
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ pid: running.pid, cwd: dirs.alpha, state: "working", source: "claude" });
    const heldId = live[0]!.sessionId;

    const agents = await listClaudeAgents(cfg, { claude: findClaudeBinary(), env });
    expect(agents).toEqual({
      ok: true,
      signals: [
        expect.objectContaining({
          sessionId: heldId,
          pid: running.pid,
          state: "working",
          cwd: dirs.alpha,
          source: "agents",
        }),
      ],
    });

    gate.release();
    const r = await running.result;
    expect(r.code, r.stderr).toBe(0);
    // No explicit refresh: the pid file's removal reaches Claire through file watching.
    await waitFor(
      "the session to end",
      () => must(claire.service.getSession(heldId)).state === "ended",
      10_000,
    );
    expect(must(claire.service.getSession(heldId))).toMatchObject({ pid: null, title: "hold task" });
    await discovery.stop();
    expect(await listClaudeAgents(cfg, { claude: findClaudeBinary(), env })).toEqual({
      ok: true,
      signals: [],
    });
  });

  it("`claire serve` discovers at start, keeps sessions current by watching, and serves `claire pull`", async () => {
    const claireHome = tempHome();
    const safe = claudeEnv({ home, configDir: cfg, baseUrl: fake.url });
    const env = {
      CLAUDE_CONFIG_DIR: cfg,
      PATH: safe.PATH,
      ANTHROPIC_BASE_URL: safe.ANTHROPIC_BASE_URL,
      ANTHROPIC_API_KEY: "dummy",
      HTTP_PROXY: undefined,
      HTTPS_PROXY: undefined,
      http_proxy: undefined,
      https_proxy: undefined,
    };
    const served = await startServe(claireHome, ["--port", "0"], env);
    const sessions = async () =>
      (
        (await runCli(["sessions", "list", "--json"], { home: claireHome, env })).json as {
          sessions: Session[];
        }
      ).sessions;
    const until = Date.now() + 15_000;
    let known = await sessions();
    while (known.length < 4 && Date.now() < until) known = await sessions(); // three, plus the held one
    expect(known.map((s) => s.sessionId)).toEqual(expect.arrayContaining(Object.values(ids)));

    const delta = await claudeP(dirs.beta, ["delta task"]);
    const deadline = Date.now() + 15_000;
    let found: Session | undefined;
    while (Date.now() < deadline) {
      found = (await sessions()).find(
        (s) => s.sessionId === delta && s.state === "ended" && s.assistantMessages === 1,
      );
      if (found) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toMatchObject({ title: "delta task", cwd: dirs.beta, tokens: sum(USAGE.delta) });

    const pull = await runCli(["pull", "--json"], { home: claireHome, env });
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json).toMatchObject({ sessions: 5, changed: 0 });
    expect(served.requests()).toContainEqual({
      method: "POST",
      path: "/api/v1/sessions/refresh",
      status: 200,
    });
    expect(served.logLines().some((l) => l.includes('"msg":"sessions discovered"'))).toBe(true);
    expect((await served.stop()).code).toBe(0);
    rmSync(claireHome, { recursive: true, force: true });
  });
});
