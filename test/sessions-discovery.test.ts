// Session discovery against a real Claire database and hand-made transcripts and pid files: what
// is recorded, when an event is appended (and when not), privacy, removal, two config dirs,
// liveness from pid files (reused pids included), hooks plugging in, and file watching.
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createHookSignals } from "../src/agent/hook-signals.ts";
import { writeProcessState } from "../src/agent/hook-state.ts";
import {
  assistant,
  customTitle,
  jsonl,
  makeTempConfig,
  SESSION_ID,
  userPrompt,
} from "../src/sessions/fixtures/transcript-lines.ts";
import { type LiveSignal, systemProcessProbe } from "../src/sessions/liveness.ts";
import {
  createDiscoveryWorld,
  type DiscoveryWorld,
  startSleeper,
  tableProbe,
  waitFor,
  writePidFile,
} from "./support/sessions-world.ts";
import { createTempClaire, must } from "./support/temp-claire.ts";

const PROJECT = "-home-ada-work-claire";
const FAKE_CLAUDE = join(import.meta.dirname, "fixtures", "sessions", "fake-claude.mjs");
const FILE = `${SESSION_ID}.jsonl`;
const T0 = "2026-11-23T11:00:00.000Z";
const opening = jsonl(
  userPrompt("Build the scanner", { timestamp: T0 }),
  assistant({ id: "m1", requestId: "r1", timestamp: "2026-11-23T11:00:05.000Z" }),
);

const worlds: DiscoveryWorld[] = [];
const world = (...args: Parameters<typeof createDiscoveryWorld>) => {
  const w = createDiscoveryWorld(...args);
  worlds.push(w);
  return w;
};
const sleepers: { kill: () => void }[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
  for (const s of sleepers.splice(0)) s.kill();
});

const sessionOf = (w: DiscoveryWorld, id = SESSION_ID) =>
  must(w.claire.service.getSession(`${w.claire.machineId}/${id}`));

describe("recording sessions", () => {
  it("records each transcript's session with the fields an event carries", async () => {
    const w = world();
    const path = w.configs[0]!.write(PROJECT, FILE, opening);
    const report = await w.discovery.refresh();
    expect(report).toMatchObject({ sessions: 1, live: 0, changed: 1, ended: 0, filesRead: 1, errors: [] });
    expect(report.changes).toEqual([
      expect.objectContaining({
        sessionId: SESSION_ID,
        isNew: true,
        state: "ended",
        title: "Build the scanner",
      }),
    ]);
    expect(sessionOf(w)).toMatchObject({
      machineId: w.claire.machineId,
      sessionId: SESSION_ID,
      cwd: "/home/ada/work/claire",
      gitBranch: "main",
      version: "2.1.330",
      title: "Build the scanner",
      model: "claude-sonnet-4-5-20250929",
      transcriptPath: path,
      source: "claude",
      pid: null,
      firstActivity: T0,
      lastActivity: "2026-11-23T11:00:05.000Z",
      userMessages: 1,
      assistantMessages: 1,
      tokens: { input: 10, output: 20, cacheCreation: 30, cacheRead: 40 },
      state: "ended",
      stateReason: null,
    });
    expect(sessionOf(w).costUsd).toBeCloseTo((10 * 3 + 20 * 15 + 30 * 3.75 + 40 * 0.3) / 1e6, 6);
    // Only fields of the domain's SessionFacts travel: no config dir, per-model tokens or bad-line counts.
    const [event] = w.sessionEvents();
    expect(event!.machine).toBe(w.claire.machineId);
    expect(Object.keys(event!.data).sort()).toEqual(
      [
        "assistantMessages",
        "costUsd",
        "cwd",
        "firstActivity",
        "gitBranch",
        "lastActivity",
        "model",
        "pid",
        "source",
        "state",
        "stateReason",
        "title",
        "tokens",
        "transcriptPath",
        "userMessages",
        "version",
      ].sort(),
    );
  });

  it("appends no event and opens no write transaction on a rescan with nothing changed, even after a restart", async () => {
    const w = world();
    w.configs[0]!.write(PROJECT, FILE, opening);
    w.configs[0]!.write("-tmp-other", `${randomUUID()}.jsonl`, opening);
    await w.discovery.refresh();
    const events = w.sessionEvents().length;
    const writes = w.writes();
    expect(events).toBe(2);
    const again = await w.discovery.refresh();
    expect(again).toMatchObject({ sessions: 2, changed: 0, filesRead: 0, bytesRead: 0, changes: [] });
    expect(w.sessionEvents()).toHaveLength(events);
    expect(w.writes()).toBe(writes);

    // A new process on the same database (what every in-process `claire pull` is) starts from the
    // stored scanner state and the recorded sessions: nothing to read, nothing to write.
    const restarted = world({ claire: w.claire, configs: w.configs });
    const fresh = await restarted.discovery.refresh();
    expect(fresh).toMatchObject({ sessions: 2, changed: 0, filesRead: 0 });
    expect(restarted.writes()).toBe(0);
    expect(w.sessionEvents()).toHaveLength(events);
    worlds.splice(worlds.indexOf(restarted), 1); // shares w's Claire and dirs
    await restarted.discovery.stop();
  });

  it("records activity-only changes at most every 15 s per session, and state changes at once", async () => {
    const sleeper = startSleeper();
    sleepers.push(sleeper);
    const w = world();
    w.configs[0]!.write(PROJECT, FILE, opening);
    await w.discovery.refresh();
    const first = w.sessionEvents().length;

    w.configs[0]!.append(
      PROJECT,
      FILE,
      jsonl(assistant({ id: "m2", requestId: "r2", timestamp: "2026-11-23T11:01:00.000Z" })),
    );
    w.claire.clock.now += 5_000;
    const held = await w.discovery.refresh();
    expect(held).toMatchObject({ changed: 0, deferred: 1, filesRead: 1 });
    expect(w.sessionEvents()).toHaveLength(first);
    expect(sessionOf(w).assistantMessages).toBe(1);

    // The session starts running: a state change is recorded at once, with the held activity.
    writePidFile(w.configs[0]!.dir, {
      pid: sleeper.pid,
      sessionId: SESSION_ID,
      cwd: "/home/ada/work/claire",
      procStart: sleeper.procStart,
      status: "busy",
    });
    const live = await w.discovery.refresh();
    expect(live).toMatchObject({ changed: 1, deferred: 0, live: 1 });
    expect(sessionOf(w)).toMatchObject({ state: "working", pid: sleeper.pid, assistantMessages: 2 });

    w.configs[0]!.append(
      PROJECT,
      FILE,
      jsonl(assistant({ id: "m3", requestId: "r3", timestamp: "2026-11-23T11:02:00.000Z" })),
    );
    expect(await w.discovery.refresh()).toMatchObject({ changed: 0, deferred: 1 });
    w.claire.clock.now += 15_000;
    const later = await w.discovery.refresh();
    expect(later).toMatchObject({ changed: 1, deferred: 0, filesRead: 0 });
    expect(later.changes[0]!.fields).toEqual(["lastActivity", "assistantMessages", "tokens", "costUsd"]);
    expect(sessionOf(w).assistantMessages).toBe(3);
  });

  it("keeps titles and first prompts out of events with share_titles = false, yet shows them here", async () => {
    const w = world({ sessions: { shareTitles: false } });
    const named = randomUUID();
    w.configs[0]!.write(PROJECT, FILE, opening);
    w.configs[0]!.write(
      PROJECT,
      `${named}.jsonl`,
      jsonl(customTitle("secret plan", named), userPrompt("x", { sessionId: named })),
    );
    const report = await w.discovery.refresh();
    expect(report.changes.map((c) => c.title).sort()).toEqual(["Build the scanner", "secret plan"]);
    for (const e of w.sessionEvents()) expect(e.data.title).toBeNull();
    expect(JSON.stringify(w.sessionEvents())).not.toMatch(/Build the scanner|secret plan/);
    // This machine's own API still shows them (from its local scanner state).
    expect(sessionOf(w).title).toBe("Build the scanner");
    const listed = must(w.claire.service.listSessions({}))
      .sessions.map((s) => s.title)
      .sort();
    expect(listed).toEqual(["Build the scanner", "secret plan"]);
  });

  it("records a session whose transcript was deleted as ended, keeping its history", async () => {
    const sleeper = startSleeper();
    sleepers.push(sleeper);
    const w = world();
    const path = w.configs[0]!.write(PROJECT, FILE, opening);
    writePidFile(w.configs[0]!.dir, {
      pid: sleeper.pid,
      sessionId: SESSION_ID,
      cwd: "/home/ada/work/claire",
      procStart: sleeper.procStart,
      status: "idle",
    });
    await w.discovery.refresh();
    expect(sessionOf(w).state).toBe("idle");
    unlinkSync(path);
    unlinkSync(join(w.configs[0]!.dir, "sessions", `${sleeper.pid}.json`));
    const report = await w.discovery.refresh();
    expect(report).toMatchObject({ changed: 1, ended: 1, sessions: 1 });
    expect(sessionOf(w)).toMatchObject({
      state: "ended",
      stateReason: "transcript removed",
      pid: null,
      tokens: { input: 10, output: 20, cacheCreation: 30, cacheRead: 40 },
      transcriptPath: path,
      title: "Build the scanner",
    });
  });

  it("finds sessions in two config dirs; a session copied into both is one session, its latest copy winning", async () => {
    const a = makeTempConfig();
    const b = makeTempConfig();
    const w = world({ configs: [a, b] });
    const onlyB = randomUUID();
    a.write(PROJECT, FILE, opening);
    b.write(
      PROJECT,
      FILE,
      jsonl(
        userPrompt("Build the scanner", { timestamp: T0 }),
        assistant({ id: "m1", requestId: "r1", timestamp: "2026-11-23T11:30:00.000Z" }),
        customTitle("moved on"),
      ),
    );
    b.write(
      "-srv-api",
      `${onlyB}.jsonl`,
      jsonl(userPrompt("api work", { sessionId: onlyB, cwd: "/srv/api" })),
    );
    const report = await w.discovery.refresh();
    expect(report).toMatchObject({ sessions: 2, changed: 2, filesRead: 3 });
    expect(sessionOf(w)).toMatchObject({ title: "moved on", lastActivity: "2026-11-23T11:30:00.000Z" });
    expect(sessionOf(w).transcriptPath).toContain(b.dir);
    expect(sessionOf(w, onlyB)).toMatchObject({ cwd: "/srv/api", title: "api work" });
    // The newer copy goes away: the older one is the session again; nothing is ended.
    rmSync(join(b.dir, "projects", PROJECT), { recursive: true });
    const after = await w.discovery.refresh();
    expect(after).toMatchObject({ ended: 0, changed: 1 });
    expect(sessionOf(w)).toMatchObject({ title: "Build the scanner", state: "ended", stateReason: null });
    expect(sessionOf(w).transcriptPath).toContain(a.dir);
  });

  it("reports an unreadable config dir without ending its sessions", async () => {
    const w = world();
    w.configs[0]!.write(PROJECT, FILE, opening);
    await w.discovery.refresh();
    w.configs[0]!.cleanup();
    const report = await w.discovery.refresh();
    expect(report.errors).toEqual([
      expect.stringContaining(
        `Claude config dir ${w.configs[0]!.dir} does not exist: Claude Code has not run here`,
      ),
    ]);
    expect(report.changed).toBe(0);
    expect(sessionOf(w).stateReason).toBeNull();
  });
});

describe("liveness from pid files", () => {
  const setup = () => {
    const sleeper = startSleeper();
    sleepers.push(sleeper);
    const w = world();
    w.configs[0]!.write(PROJECT, FILE, opening);
    const pid = (status: string | undefined, extra: { procStart?: string; waitingFor?: string } = {}) =>
      writePidFile(w.configs[0]!.dir, {
        pid: sleeper.pid,
        sessionId: SESSION_ID,
        cwd: "/home/ada/work/claire",
        procStart: extra.procStart ?? sleeper.procStart,
        ...(status !== undefined && { status }),
        ...(extra.waitingFor !== undefined && { waitingFor: extra.waitingFor }),
      });
    return { w, sleeper, pid };
  };

  it("maps busy, waiting and idle to working, waiting (permission or input) and idle", async () => {
    const { w, sleeper, pid } = setup();
    const seen: unknown[] = [];
    for (const [status, waitingFor] of [
      [undefined, undefined],
      ["busy", undefined],
      ["waiting", "permission prompt"],
      ["waiting", "your answer"],
      ["idle", undefined],
    ] as const) {
      pid(status, waitingFor ? { waitingFor } : {});
      await w.discovery.refresh();
      const s = sessionOf(w);
      seen.push([s.state, s.stateReason, s.pid]);
    }
    expect(seen).toEqual([
      ["idle", null, sleeper.pid],
      ["working", null, sleeper.pid],
      ["waiting", "permission", sleeper.pid],
      ["waiting", "input", sleeper.pid],
      ["idle", null, sleeper.pid],
    ]);
  });

  it("does not take a pid file whose pid now belongs to another process (start time differs)", async () => {
    const { w, sleeper, pid } = setup();
    pid("busy", { procStart: String(Number(sleeper.procStart) - 1) });
    const report = await w.discovery.refresh();
    expect(report.live).toBe(0);
    expect(sessionOf(w)).toMatchObject({ state: "ended", pid: null });
  });

  it("ends a session when its process exits and leaves the pid file behind (kill -9)", async () => {
    const { w, sleeper, pid } = setup();
    pid("busy");
    await w.discovery.refresh();
    expect(sessionOf(w).state).toBe("working");
    sleeper.kill();
    await waitFor("the sleeper to exit", () => {
      try {
        process.kill(sleeper.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    const report = await w.discovery.refresh();
    expect(report).toMatchObject({ ended: 1, live: 0 });
    expect(sessionOf(w)).toMatchObject({ state: "ended", pid: null, stateReason: null });
  });

  it("records a running session that has no transcript yet", async () => {
    const w = world({ probe: tableProbe(new Map([[4242, "777"]])) });
    const id = randomUUID();
    writePidFile(w.configs[0]!.dir, { pid: 4242, sessionId: id, cwd: "/work/new", procStart: "777" });
    const report = await w.discovery.refresh();
    expect(report).toMatchObject({ sessions: 1, live: 1, changed: 1 });
    expect(sessionOf(w, id)).toMatchObject({
      cwd: "/work/new",
      state: "idle",
      pid: 4242,
      transcriptPath: null,
      source: "claude",
    });
  });

  it("takes `claude agents --json` only for sessions no pid file speaks for", async () => {
    const sleeper = startSleeper();
    sleepers.push(sleeper);
    const agents = join(makeTempConfig().dir, "agents.json");
    const listed = (sessionId: string) =>
      writeFileSync(
        agents,
        JSON.stringify([
          {
            pid: sleeper.pid,
            cwd: "/w",
            kind: "interactive",
            startedAt: 1,
            sessionId,
            name: "w-1",
            status: "busy",
          },
        ]),
      );
    const w = world({ claude: FAKE_CLAUDE, env: { ...process.env, FAKE_AGENTS_FILE: agents } });
    const other = randomUUID();
    listed(other);
    // Listed by `claude agents` only (its pid file unusable to Claire): live while its process runs.
    expect(await w.discovery.refresh({ agents: true })).toMatchObject({ errors: [], live: 1 });
    expect(sessionOf(w, other)).toMatchObject({ state: "working", pid: sleeper.pid, cwd: "/w" });
    expect(readFileSync(`${agents}.calls`, "utf8")).toBe(`${w.configs[0]!.dir}\n`);
    // Its process has a pid file now: the file speaks for it from then on, and its removal ends
    // the session although the process still runs (it is shutting down).
    w.configs[0]!.write(PROJECT, FILE, opening);
    listed(SESSION_ID);
    const pidFile = writePidFile(w.configs[0]!.dir, {
      pid: sleeper.pid,
      sessionId: SESSION_ID,
      cwd: "/x",
      procStart: sleeper.procStart,
      status: "idle",
    });
    await w.discovery.refresh({ agents: true });
    expect(sessionOf(w)).toMatchObject({ state: "idle" });
    unlinkSync(pidFile);
    await w.discovery.refresh();
    expect(sessionOf(w)).toMatchObject({ state: "ended", pid: null });
    // A listing that fails keeps what the last one said.
    writeFileSync(agents, "not json");
    const failed = await w.discovery.refresh({ agents: true });
    expect(failed.errors).toEqual([
      expect.stringMatching(/^`claude agents --json` for .*: printed something that is not JSON/),
    ]);
  });

  it("lets a newer signal from another source (hooks) win over the pid file", async () => {
    const hooks = new Map<string, LiveSignal>();
    const probe = tableProbe(new Map([[4242, "777"]]));
    const w = world({ probe, signals: { latest: (id) => hooks.get(id) } });
    w.configs[0]!.write(PROJECT, FILE, opening);
    writePidFile(
      w.configs[0]!.dir,
      { pid: 4242, sessionId: SESSION_ID, cwd: "/x", procStart: "777", status: "idle" },
      1_000,
    );
    await w.discovery.refresh();
    expect(sessionOf(w).state).toBe("idle");
    const hook: LiveSignal = {
      sessionId: SESSION_ID,
      state: "waiting",
      stateReason: "permission",
      pid: 4242,
      cwd: null,
      version: null,
      at: 2_000,
      source: "hook",
    };
    hooks.set(SESSION_ID, hook);
    w.discovery.notify(SESSION_ID);
    await w.discovery.refresh();
    expect(sessionOf(w)).toMatchObject({ state: "waiting", stateReason: "permission" });
    // A pid file written after the hook wins again.
    writePidFile(
      w.configs[0]!.dir,
      { pid: 4242, sessionId: SESSION_ID, cwd: "/x", procStart: "777", status: "busy" },
      3_000,
    );
    await w.discovery.refresh();
    expect(sessionOf(w).state).toBe("working");
  });
});

describe("hook signals: sessions whose transcript this machine cannot see", () => {
  // A session under another CLAUDE_CONFIG_DIR: only its hooks tell this Claire about it.
  const hidden = () => {
    const claire = createTempClaire();
    const dir = mkdtempSync(join(tmpdir(), "claire-hook-state-"));
    const w = world({
      claire,
      signals: createHookSignals({
        dir,
        probe: systemProcessProbe,
        recorded: (id) => claire.service.localSessionFactsOf(id),
      }),
    });
    const claude = startSleeper();
    sleepers.push(claude);
    const hook = (input: Record<string, unknown>) =>
      must(claire.service.hookEvent({ kind: "session", id: String(input.sessionId) }, input));
    // What `claire hook` does: the API write, then the process file naming the session.
    const start = (sessionId: string, extra: Record<string, unknown> = {}) => {
      hook({
        event: "SessionStart",
        sessionId,
        cwd: "/elsewhere",
        source: "startup",
        claudePid: claude.pid,
        ...extra,
      });
      writeProcessState(dir, { pid: claude.pid, start: claude.procStart, sessionId, tasks: [] });
    };
    return { w, dir, claude, hook, start, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  };

  it("keeps a live session live while its Claude Code process runs, and ends it when the process is gone", async () => {
    const h = hidden();
    h.start("hidden-1");
    h.hook({ event: "UserPromptSubmit", sessionId: "hidden-1" });
    // The first refresh of a process looks at every recorded session: with no transcript and no
    // pid file in sight, only the hook signal says this one runs.
    await h.w.discovery.refresh();
    expect(sessionOf(h.w, "hidden-1")).toMatchObject({ state: "working", pid: h.claude.pid });
    h.hook({ event: "Notification", sessionId: "hidden-1", notificationType: "permission_prompt" });
    await h.w.discovery.refresh();
    expect(sessionOf(h.w, "hidden-1")).toMatchObject({ state: "waiting", stateReason: "permission" });
    // Killed without a SessionEnd hook: the file stays, the process is gone.
    h.claude.kill();
    await waitFor("the process to exit", () => systemProcessProbe.startTime(h.claude.pid) === null);
    await h.w.discovery.refresh();
    expect(sessionOf(h.w, "hidden-1")).toMatchObject({ state: "ended", pid: null });
    h.cleanup();
  });

  it("ends the old session after /clear, though the same process runs on", async () => {
    const h = hidden();
    h.start("before-clear");
    await h.w.discovery.refresh();
    expect(sessionOf(h.w, "before-clear").state).toBe("idle");
    h.hook({ event: "SessionEnd", sessionId: "before-clear", reason: "clear" });
    h.start("after-clear", { source: "clear", predecessor: "before-clear" });
    await h.w.discovery.refresh();
    expect(sessionOf(h.w, "before-clear").state).toBe("ended");
    expect(sessionOf(h.w, "after-clear")).toMatchObject({ state: "idle", pid: h.claude.pid });
    h.cleanup();
  });

  it("ignores a file whose pid now belongs to another process", async () => {
    const h = hidden();
    h.start("reused");
    writeProcessState(h.dir, { pid: h.claude.pid, start: "1", sessionId: "reused", tasks: [] });
    await h.w.discovery.refresh();
    expect(sessionOf(h.w, "reused").state).toBe("ended");
    h.cleanup();
  });
});

describe("watching (serve)", () => {
  it("picks up appended lines, new project directories and exits without a rescan", async () => {
    const sleeper = startSleeper();
    sleepers.push(sleeper);
    const w = world({ timing: { settleMs: 2, minGapMs: 20 } });
    const cfg = w.configs[0]!;
    cfg.write(PROJECT, FILE, opening);
    const first = await w.discovery.start();
    expect(first).toMatchObject({ sessions: 1, changed: 1 });

    // A custom title is not activity: recorded at once.
    cfg.append(PROJECT, FILE, jsonl(customTitle("watched title")));
    await waitFor("the new title", () => sessionOf(w).title === "watched title");

    // A session in a directory that did not exist when watching started.
    const id = randomUUID();
    mkdirSync(join(cfg.dir, "projects", "-srv-new"));
    cfg.write("-srv-new", `${id}.jsonl`, jsonl(userPrompt("new dir", { sessionId: id, cwd: "/srv/new" })));
    await waitFor("the new session", () => w.claire.service.getSession(`${w.claire.machineId}/${id}`).ok);

    // The sessions/ directory appears, a pid file comes and goes.
    const pidPath = writePidFile(cfg.dir, {
      pid: sleeper.pid,
      sessionId: SESSION_ID,
      cwd: "/x",
      procStart: sleeper.procStart,
      status: "busy",
    });
    await waitFor("working", () => sessionOf(w).state === "working");
    unlinkSync(pidPath);
    await waitFor("ended", () => sessionOf(w).state === "ended");
    await w.discovery.stop();
  });
});
