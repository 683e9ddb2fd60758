// The README's CLI usage, command by command, as one script the e2e suite runs twice: against a
// running `claire serve` and in-process. Each step checks what it can on its own; the transcript
// lets the suite compare the two modes' --json output.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { openLocalClaire } from "../../src/runtime/local-claire.ts";
import { ANSI, type CliResult, runCli } from "./cli-run.ts";

/** Seeded sessions: S1 and S3 share the prefix 5d1e, so `5d1e` alone is ambiguous. */
export const SESSIONS = {
  s1: "5d1e1111-aaaa-4bbb-8ccc-000000000001",
  s2: "7a2b2222-aaaa-4bbb-8ccc-000000000002",
  s3: "5d1e3333-aaaa-4bbb-8ccc-000000000003",
} as const;

/**
 * Stand-ins for running Claude Code processes: session discovery counts a session live while the
 * process its pid file names runs. Both modes' homes name the same processes, so `pid` matches.
 */
export const startLiveProcesses = (n: number) => {
  const children = Array.from({ length: n }, () => spawn("sleep", ["3600"], { stdio: "ignore" }));
  return {
    pids: children.map((c) => c.pid!),
    stop: () => {
      for (const c of children) c.kill("SIGKILL");
    },
  };
};

/**
 * There is no API route that creates a session (only the machine hosting one records it), so the
 * suite records three through the service, on the home's own database and machine id, before the
 * CLI runs; S1 and S2 also get Claude Code pid files naming live processes (`live`), so
 * discovery (`claire pull`, and the scan `claire serve` runs) sees them running; S3 has none and
 * stays ended. `lastActivity` differs per session so list order is deterministic.
 */
export const seedSessions = (home: string, live: { busy: number; idle: number }): void => {
  const opened = openLocalClaire({ env: { CLAIRE_HOME: home }, init: false });
  if (!opened.ok) throw new Error(`cannot open ${home}: ${JSON.stringify(opened.error)}`);
  const c = opened.value;
  const seed = (sessionId: string, facts: Record<string, unknown>) => {
    const r = c.service.observeSession(
      { kind: "human", id: "e2e-seed" },
      { machineId: c.config.machineId, sessionId },
      facts,
    );
    if (!r.ok) throw new Error(`seeding ${sessionId}: ${JSON.stringify(r.error)}`);
  };
  try {
    seed(SESSIONS.s1, {
      cwd: "/home/dev/src/api",
      state: "working",
      title: "api work",
      model: "claude-test",
      gitBranch: "main",
      lastActivity: "2026-01-03T00:00:00.000Z",
    });
    seed(SESSIONS.s2, {
      cwd: "/home/dev/src/web",
      state: "idle",
      title: "web work",
      lastActivity: "2026-01-02T00:00:00.000Z",
    });
    seed(SESSIONS.s3, { cwd: "/tmp/old", state: "ended", lastActivity: "2026-01-01T00:00:00.000Z" });
  } finally {
    c.close();
  }
  const pidDir = join(home, ".claude", "sessions");
  mkdirSync(join(home, ".claude", "projects"), { recursive: true });
  mkdirSync(pidDir, { recursive: true });
  const pidFile = (pid: number, sessionId: string, cwd: string, status: string) =>
    writeFileSync(
      join(pidDir, `${pid}.json`),
      JSON.stringify({ pid, sessionId, cwd, status, version: "2.1.330", kind: "interactive" }),
    );
  pidFile(live.busy, SESSIONS.s1, "/home/dev/src/api", "busy");
  pidFile(live.idle, SESSIONS.s2, "/home/dev/src/web", "idle");
};

export type Step = { readonly label: string; readonly result: CliResult };

export type ScenarioContext = {
  readonly home: string;
  /** A loopback URL nothing answers at (for `peer add`). */
  readonly deadPeer: string;
  readonly steps: Step[];
};

const body = <T>(r: CliResult): T => {
  expect(r.json, `stdout of claire ${r.args.join(" ")} is JSON`).toBeDefined();
  return r.json as T;
};

type Entity = { id: string; handle: string };
type Task = Entity & {
  title: string;
  status: string;
  labels: string[];
  dependsOn: string[];
  owner: { session: { sessionId: string }; via: string } | null;
};

/** Runs the scenario; returns nothing, fills ctx.steps. Throws (via expect) at the first surprise. */
export const runScenario = async (ctx: ScenarioContext): Promise<void> => {
  /** `reports`: a command that prints its result and then fails (sync with a failing peer). */
  const cli = async (label: string, args: string[], code = 0, reports = false): Promise<CliResult> => {
    const r = await runCli(args, { home: ctx.home });
    ctx.steps.push({ label, result: r });
    expect(
      { code: r.code, label },
      `claire ${args.join(" ")}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    ).toEqual({ code, label });
    // Not a terminal: never an ANSI escape, in tables or anywhere else.
    expect(r.stdout).not.toMatch(ANSI);
    if (code === 1 && !reports) {
      // Refused: the reason on stderr, nothing on stdout (not even with --json).
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^claire: \S/);
    }
    return r;
  };
  const json = async <T>(label: string, args: string[], code = 0, reports = false): Promise<T> =>
    body<T>(await cli(label, [...args, "--json"], code, reports));

  // status
  const status0 = await json<{ machines: { name: string; isLocal: boolean }[]; sessions: { total: number } }>(
    "status",
    ["status"],
  );
  expect(status0.machines).toHaveLength(1);
  expect(status0.machines[0]!.isLocal).toBe(true);
  expect(status0.sessions.total).toBe(3);
  const machineName = status0.machines[0]!.name;
  const machines = await json<{ name: string; isLocal: boolean; handle: string }[]>("machines", ["machines"]);
  expect(machines).toEqual([expect.objectContaining({ name: machineName, isLocal: true })]);

  // projects
  const pay = await json<Entity & { name: string; description: string }>("project add", [
    "project",
    "add",
    "Payments API",
    "-d",
    "Stripe migration",
  ]);
  expect(pay).toMatchObject({ name: "Payments API", description: "Stripe migration", archived: false });
  const web = await json<Entity>("project add 2", ["project", "add", "Website"]);
  const projects = await json<Entity[]>("project list", ["project", "list"]);
  expect(projects.map((p) => p.id).sort()).toEqual([pay.id, web.id].sort());
  expect((await json<Entity>("project show by name", ["project", "show", "Payments API"])).id).toBe(pay.id);
  expect(
    (await json<Entity>("project show by handle prefix", ["project", "show", pay.handle.slice(0, 6)])).id,
  ).toBe(pay.id);
  expect((await json<Entity>("project show by id", ["project", "show", pay.id])).id).toBe(pay.id);
  const edited = await json<{ name: string; description: string }>("project edit", [
    "project",
    "edit",
    web.handle,
    "--name",
    "Web site",
    "-d",
    "marketing pages",
  ]);
  expect(edited).toMatchObject({ name: "Web site", description: "marketing pages" });
  expect(await json("project archive", ["project", "archive", web.handle])).toMatchObject({ archived: true });
  expect(await json<Entity[]>("project list (archived hidden)", ["project", "list"])).toHaveLength(1);
  expect(await json<Entity[]>("project list -a", ["project", "list", "-a"])).toHaveLength(2);
  expect(await json("project unarchive", ["project", "unarchive", web.handle])).toMatchObject({
    archived: false,
  });

  // tasks
  const migrate = await json<Task>("task add", [
    "task",
    "add",
    "Write the migration",
    "-p",
    "Payments API",
    "-l",
    "db",
    "--priority",
    "high",
  ]);
  expect(migrate).toMatchObject({ status: "todo", priority: "high", labels: ["db"], projectId: pay.id });
  const backfill = await json<Task>("task add --depends-on", [
    "task",
    "add",
    "Backfill",
    "-p",
    "Payments API",
    "--depends-on",
    migrate.handle,
  ]);
  expect(backfill.dependsOn).toEqual([migrate.id]);
  const docs = await json<Task>("task add -l a,b", [
    "task",
    "add",
    "Document the API",
    "-p",
    pay.handle,
    "-l",
    "docs,writing",
    "-d",
    "for partners",
  ]);
  expect([...docs.labels].sort()).toEqual(["docs", "writing"]);
  const listed = await json<{ tasks: Task[]; total: number }>("task list -p -s", [
    "task",
    "list",
    "-p",
    "Payments API",
    "-s",
    "todo,in_progress",
  ]);
  expect(listed.total).toBe(3);
  expect(listed.tasks[0]!.id).toBe(migrate.id); // most urgent first
  expect((await json<Task>("task show", ["task", "show", migrate.handle])).title).toBe("Write the migration");
  const retitled = await json<Task>("task edit", [
    "task",
    "edit",
    migrate.handle,
    "--add-label",
    "urgent",
    "--title",
    "Write the migration script",
  ]);
  expect(retitled.title).toBe("Write the migration script");
  expect([...retitled.labels].sort()).toEqual(["db", "urgent"]);
  const ready0 = await json<Task[]>("task ready", ["task", "ready"]);
  expect(ready0.map((t) => t.id).sort()).toEqual([migrate.id, docs.id].sort());

  const dep = await json<Task>("task dep add", ["task", "dep", "add", docs.handle, migrate.handle]);
  expect(dep.dependsOn).toEqual([migrate.id]);
  await cli("task dep add (cycle)", ["task", "dep", "add", migrate.handle, docs.handle, "--json"], 1);
  expect(
    (await json<Task>("task dep rm", ["task", "dep", "rm", docs.handle, migrate.handle])).dependsOn,
  ).toEqual([]);

  expect((await json<Task>("task start", ["task", "start", migrate.handle])).status).toBe("in_progress");
  expect((await json<Task>("task block", ["task", "block", migrate.handle])).status).toBe("blocked");
  expect((await json<Task>("task start again", ["task", "start", migrate.handle])).status).toBe(
    "in_progress",
  );
  expect((await json<Task>("task done", ["task", "done", migrate.handle])).status).toBe("done");
  await cli("task start (done: invalid transition)", ["task", "start", migrate.handle, "--json"], 1);
  const ready1 = await json<Task[]>("task ready (dependency done)", ["task", "ready"]);
  expect(ready1.map((t) => t.id).sort()).toEqual([backfill.id, docs.id].sort());
  expect((await json<Task>("task cancel", ["task", "cancel", docs.handle])).status).toBe("cancelled");
  expect((await json<Task>("task reopen", ["task", "reopen", docs.handle])).status).toBe("todo");

  // sessions
  const sessions = await json<{ sessions: { sessionId: string; machineName: string }[]; total: number }>(
    "sessions list",
    ["sessions", "list"],
  );
  expect(sessions.sessions.map((s) => s.sessionId)).toEqual([SESSIONS.s1, SESSIONS.s2, SESSIONS.s3]);
  expect(sessions.sessions.every((s) => s.machineName === machineName)).toBe(true);
  const working = await json<{ sessions: { sessionId: string }[] }>("sessions list -s", [
    "sessions",
    "list",
    "-s",
    "working,waiting",
  ]);
  expect(working.sessions.map((s) => s.sessionId)).toEqual([SESSIONS.s1]);
  expect(await json("sessions show", ["sessions", "show", "5d1e1"])).toMatchObject({
    sessionId: SESSIONS.s1,
    state: "working",
    cwd: "/home/dev/src/api",
  });

  // assignments and claims
  const assigned = await json<{ task: Task }>("assign", ["assign", backfill.handle, "5d1e1"]);
  expect(assigned.task.owner).toMatchObject({ session: { sessionId: SESSIONS.s1 }, via: "assigned" });
  await cli("assign (same session again: conflict)", ["assign", backfill.handle, "5d1e1", "--json"], 1);
  const owned = await json<{ tasks: Task[] }>("task list --session", ["task", "list", "--session", "5d1e1"]);
  expect(owned.tasks.map((t) => t.id)).toEqual([backfill.id]);
  expect((await json<{ task: Task }>("unassign", ["unassign", backfill.handle])).task.owner).toBeNull();
  const claimed = await json<{ task: Task }>("claim", ["claim", backfill.handle, "--session", "7a2b"]);
  expect(claimed.task.owner).toMatchObject({ session: { sessionId: SESSIONS.s2 }, via: "claimed" });
  await cli("claim (already claimed: first claim wins)", ["claim", backfill.handle, "--session", "5d1e1"], 1);
  const next = await json<{ task: Task | null; claimed: boolean }>("task next", [
    "task",
    "next",
    "--session",
    "5d1e1",
  ]);
  expect(next).toMatchObject({ claimed: false, task: { id: docs.id } });
  const nextClaim = await json<{ task: Task | null; claimed: boolean }>("task next --claim", [
    "task",
    "next",
    "--session",
    "5d1e1",
    "--claim",
  ]);
  expect(nextClaim.claimed).toBe(true);
  expect(nextClaim.task?.owner).toMatchObject({ session: { sessionId: SESSIONS.s1 }, via: "claimed" });

  // groups
  const group = await json<{ name: string; rules: string[] }>("group add", [
    "group",
    "add",
    "backend",
    "-r",
    "cwd:/home/*/src/api/**",
    "-r",
    "machine:buildbox",
  ]);
  expect(group.rules).toEqual(["cwd:/home/*/src/api/**", "machine:buildbox"]);
  expect(await json<{ name: string }[]>("group list", ["group", "list"])).toMatchObject([
    { name: "backend" },
  ]);
  const groupEdited = await json<{ members: { sessionId: string }[]; description: string }>("group edit", [
    "group",
    "edit",
    "backend",
    "--add-member",
    "7a2b",
    "-d",
    "the API people",
  ]);
  expect(groupEdited.members.map((m) => m.sessionId)).toEqual([SESSIONS.s2]);
  expect(await json("group show", ["group", "show", "backend"])).toMatchObject({
    description: "the API people",
  });

  // updates
  const progress = await json<Entity & { kind: string; taskId: string }>("update", [
    "update",
    "schema migrated, tests next",
    "-t",
    migrate.handle,
    "-k",
    "progress",
  ]);
  expect(progress).toMatchObject({ kind: "progress", taskId: migrate.id });
  await json("update -p --session", [
    "update",
    "waiting for review",
    "-p",
    "Payments API",
    "-k",
    "blocker",
    "--session",
    "5d1e1",
  ]);
  const updates = await json<{ text: string }[]>("updates -p", ["updates", "-p", "Payments API"]);
  expect(updates.map((u) => u.text)).toEqual(["waiting for review", "schema migrated, tests next"]);
  expect(await json<unknown[]>("updates -t", ["updates", "-t", migrate.handle])).toHaveLength(1);

  // messages
  const dm = await json<{ localTargets: number; reaches: number; warning: string | null }>("msg", [
    "msg",
    "5d1e1",
    "please rebase on main",
  ]);
  expect(dm).toMatchObject({ localTargets: 1, reaches: 1, warning: null });
  // backend: S1 by its cwd rule, S2 as a member.
  expect(
    await json<{ localTargets: number }>("broadcast group", [
      "broadcast",
      "group:backend",
      "freeze merges until 5pm",
    ]),
  ).toMatchObject({ localTargets: 2, reaches: 2, warning: null });
  // every session that has not ended
  expect(await json("broadcast all", ["broadcast", "all", "new CI runner is live"])).toMatchObject({
    localTargets: 2,
  });
  expect(
    await json("broadcast machine", ["broadcast", `machine:${machineName}`, "reboot at noon"]),
  ).toMatchObject({
    localTargets: 2,
  });
  const inbox = await json<{ message: { body: string } }[]>("inbox", ["inbox", "--session", "5d1e1"]);
  expect(inbox.map((i) => i.message.body).sort()).toEqual(
    ["freeze merges until 5pm", "new CI runner is live", "please rebase on main", "reboot at noon"].sort(),
  );
  // --ack acknowledges what it shows, and shows it acknowledged.
  const acked = await json<{ delivery: { state: string } }[]>("inbox --ack", [
    "inbox",
    "--session",
    "5d1e1",
    "--ack",
  ]);
  expect(acked.map((i) => i.delivery.state)).toEqual([
    "acknowledged",
    "acknowledged",
    "acknowledged",
    "acknowledged",
  ]);
  expect(await json<unknown[]>("inbox after ack", ["inbox", "--session", "5d1e1"])).toEqual([]);
  const all = await json<{ delivery: { state: string } }[]>("inbox -a", [
    "inbox",
    "--session",
    "5d1e1",
    "-a",
  ]);
  expect(all.map((i) => i.delivery.state)).toEqual(Array(4).fill("acknowledged"));

  // sync, tokens, peers
  expect(await json("sync (no peers)", ["sync"])).toEqual({ rounds: [] });
  const token = await json<{ name: string; token: string }>("token create", ["token", "create", "ci"]);
  expect(token.token).toMatch(/^claire_/);
  expect(await json("token list", ["token", "list"])).toMatchObject([{ name: "ci", revokedAt: null }]);
  expect(await json("token revoke", ["token", "revoke", "ci"])).toMatchObject({ name: "ci" });
  const tokens = await json<{ revokedAt: string | null }[]>("token list (revoked)", ["token", "list"]);
  expect(tokens[0]!.revokedAt).not.toBeNull();
  expect(await json("peer add", ["peer", "add", ctx.deadPeer, "--name", "laptop"])).toMatchObject({
    added: ctx.deadPeer,
    peers: [{ url: ctx.deadPeer, name: "laptop", hasToken: false }],
  });
  // One explicit round (it fails: nothing answers there), so both modes have the peer's health.
  const round = await json<{ rounds: { peer: string; ok: boolean }[] }>(
    "sync (dead peer)",
    ["sync"],
    1,
    true,
  );
  expect(round.rounds).toMatchObject([{ peer: ctx.deadPeer, ok: false }]);
  expect(await json("peer list", ["peer", "list"])).toMatchObject([
    { url: ctx.deadPeer, name: "laptop", health: { lastSuccessAt: null } },
  ]);
  expect(await json("peer remove", ["peer", "remove", "laptop"])).toEqual({ removed: ctx.deadPeer });
  expect(await json("peer list (empty)", ["peer", "list"])).toEqual([]);

  // the log and the projections agree; the final picture
  expect(await json("rebuild --check", ["rebuild", "--check"])).toMatchObject({
    equal: true,
    differences: [],
  });
  const final = await json<{ tasks: { byStatus: Record<string, number> }; projects: number }>(
    "status (end)",
    ["status"],
  );
  expect(final.projects).toBe(2);
  // migration done; backfill claimed by S2 and the docs task claimed by S1 through `next --claim`
  expect(final.tasks.byStatus).toMatchObject({ todo: 2, in_progress: 0, blocked: 0, done: 1 });

  // --version and --help: plain text, exit 0
  expect((await cli("--version", ["--version"])).stdout).toMatch(
    /^claire \d+\.\d+\.\d+ \(schema \d+, .*node 24\./,
  );
  const help = await cli("--help", ["--help"]);
  for (const word of [
    "init",
    "serve",
    "status",
    "project",
    "task",
    "assign",
    "sessions",
    "group",
    "inbox",
    "rebuild",
  ])
    expect(help.stdout).toMatch(new RegExp(`^  ${word}\\b`, "m"));
  expect((await cli("task --help", ["task", "--help"])).stdout).toMatch(/dep\b/);
};
