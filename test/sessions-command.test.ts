// The `command` session source with a fake lister script (test/fixtures/sessions/fake-lister.mjs):
// good output, both sources together, a missing program, bad JSON, a failing and a slow lister.
// Every failure is an error naming sessions.command in the refresh report, never an exception.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommandOutput } from "../src/sessions/command-source.ts";
import { assistant, jsonl, SESSION_ID, userPrompt } from "../src/sessions/fixtures/transcript-lines.ts";
import { splitCommandLine } from "../src/sessions/run-program.ts";
import { createDiscoveryWorld, type DiscoveryWorld } from "./support/sessions-world.ts";
import { must } from "./support/temp-claire.ts";

const LISTER = join(import.meta.dirname, "fixtures", "sessions", "fake-lister.mjs");
const REMOTE = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

const worlds: DiscoveryWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

const sessionOf = (w: DiscoveryWorld, id: string) =>
  must(w.claire.service.getSession(`${w.claire.machineId}/${id}`));

describe("the command source", () => {
  it("records the sessions a lister prints, checks --version first, and ends the ones it stops listing", async () => {
    const w0 = createDiscoveryWorld();
    const dir = w0.configs[0]!.dir;
    worlds.push(w0);
    const file = join(dir, "listing.json");
    writeFileSync(
      file,
      JSON.stringify({
        sessions: [
          {
            sessionId: REMOTE,
            cwd: "/srv/remote/app",
            state: "working",
            title: "remote refactor",
            model: "claude-opus-4-5",
            gitBranch: "main",
            lastActivity: Date.UTC(2026, 10, 23, 11, 0, 0),
            userMessages: 3,
            assistantMessages: 5,
            tokens: { input: 100, output: 50 },
            costUsd: 0.01,
            pid: 777,
            somethingNew: "ignored",
          },
        ],
      }),
    );
    const w = createDiscoveryWorld({
      claire: w0.claire,
      configs: w0.configs,
      sessions: { sources: ["command"], command: `${LISTER} ${file}` },
    });
    const report = await w.discovery.refresh();
    expect(report).toMatchObject({ errors: [], sessions: 1, live: 1, changed: 1, filesRead: 0 });
    expect(sessionOf(w, REMOTE)).toMatchObject({
      cwd: "/srv/remote/app",
      state: "working",
      title: "remote refactor",
      model: "claude-opus-4-5",
      source: "command",
      pid: 777,
      lastActivity: "2026-11-23T11:00:00.000Z",
      userMessages: 3,
      assistantMessages: 5,
      tokens: { input: 100, output: 50, cacheCreation: 0, cacheRead: 0 },
      costUsd: 0.01,
    });
    const calls = readFileSync(`${file}.calls`, "utf8").trim().split("\n");
    expect(calls).toEqual([JSON.stringify([file])]); // --version is answered before any listing is logged
    expect(await w.discovery.refresh()).toMatchObject({ changed: 0 });

    writeFileSync(file, "[]");
    const gone = await w.discovery.refresh();
    expect(gone).toMatchObject({ changed: 1, ended: 1, live: 0 });
    expect(sessionOf(w, REMOTE)).toMatchObject({ state: "ended", pid: null, title: "remote refactor" });
    await w.discovery.stop();
  });

  it("runs beside the transcripts: a session in both keeps the transcript's facts and the lister's state", async () => {
    const w0 = createDiscoveryWorld();
    worlds.push(w0);
    const cfg = w0.configs[0]!;
    cfg.write(
      "-p",
      `${SESSION_ID}.jsonl`,
      jsonl(userPrompt("local words"), assistant({ id: "m1", requestId: "r1" })),
    );
    const file = join(cfg.dir, "listing.json");
    writeFileSync(
      file,
      JSON.stringify([
        { sessionId: SESSION_ID, state: "waiting", stateReason: "input", title: "lister title" },
        { sessionId: REMOTE, cwd: "/r" },
      ]),
    );
    const w = createDiscoveryWorld({
      claire: w0.claire,
      configs: w0.configs,
      sessions: { sources: ["claude", "command"], command: `${LISTER} ${file}` },
    });
    const report = await w.discovery.refresh();
    expect(report).toMatchObject({ errors: [], sessions: 2, changed: 2 });
    expect(sessionOf(w, SESSION_ID)).toMatchObject({
      title: "local words",
      state: "waiting",
      stateReason: "input",
      source: "claude",
      userMessages: 1,
    });
    // Listed without a state, and no pid file says it runs: ended.
    expect(sessionOf(w, REMOTE)).toMatchObject({ cwd: "/r", state: "ended", source: "command" });
    await w.discovery.stop();
  });

  it("reports a missing program as an error naming sessions.command, and still records transcripts", async () => {
    const w = createDiscoveryWorld({
      sessions: { sources: ["claude", "command"], command: "/nonexistent/rclaude list --json" },
    });
    worlds.push(w);
    w.configs[0]!.write("-p", `${SESSION_ID}.jsonl`, jsonl(userPrompt("still here")));
    const report = await w.discovery.refresh();
    expect(report.errors).toEqual([
      "sessions.command: `/nonexistent/rclaude --version` '/nonexistent/rclaude' not found (install it, or fix sessions.command in claire.toml)",
    ]);
    expect(report).toMatchObject({ sessions: 1, changed: 1 });
    const bare = createDiscoveryWorld({
      sessions: { sources: ["command"], command: `rclaude-${randomUUID()} list` },
    });
    worlds.push(bare);
    expect((await bare.discovery.refresh()).errors[0]).toMatch(/^sessions\.command: .* not found on PATH/);
  });

  it("reports output that is not JSON, or not a list of sessions, without ending what it listed before", async () => {
    const w0 = createDiscoveryWorld();
    worlds.push(w0);
    const file = join(w0.configs[0]!.dir, "listing.json");
    writeFileSync(file, JSON.stringify([{ sessionId: REMOTE, state: "idle" }]));
    const w = createDiscoveryWorld({
      claire: w0.claire,
      configs: w0.configs,
      sessions: { sources: ["command"], command: `${LISTER} ${file}` },
    });
    expect((await w.discovery.refresh()).changed).toBe(1);
    writeFileSync(file, "rclaude: 2 sessions\n{oops");
    const bad = await w.discovery.refresh();
    expect(bad.errors).toEqual([
      expect.stringMatching(/^sessions\.command: the output is not JSON .*; it began "rclaude: 2 sessions/),
    ]);
    expect(bad.changed).toBe(0);
    expect(sessionOf(w, REMOTE).state).toBe("idle");
    writeFileSync(file, JSON.stringify({ items: [] }));
    expect((await w.discovery.refresh()).errors[0]).toMatch(
      /^sessions\.command: the output must be a JSON array of sessions/,
    );
    writeFileSync(
      file,
      JSON.stringify([
        { sessionId: REMOTE, state: "idle" },
        { sessionId: "bad id!", state: "sleeping" },
      ]),
    );
    const partial = await w.discovery.refresh();
    expect(partial.errors).toEqual([
      expect.stringMatching(
        /^sessions\.command: session 1 of the output was skipped: sessionId: .*; state: /,
      ),
    ]);
    expect(sessionOf(w, REMOTE).state).toBe("idle");
    await w.discovery.stop();
  });

  it("a lister failing in a new process (claire pull) leaves the sessions it listed before as they were", async () => {
    const w0 = createDiscoveryWorld();
    worlds.push(w0);
    const file = join(w0.configs[0]!.dir, "listing.json");
    writeFileSync(file, JSON.stringify([{ sessionId: REMOTE, cwd: "/r", state: "working" }]));
    const first = createDiscoveryWorld({
      claire: w0.claire,
      configs: w0.configs,
      sessions: { sources: ["command"], command: `${LISTER} ${file}` },
    });
    await first.discovery.refresh();
    await first.discovery.stop();
    expect(sessionOf(w0, REMOTE)).toMatchObject({ state: "working" });
    // The next process: the lister cannot reach its host this time.
    const next = createDiscoveryWorld({
      claire: w0.claire,
      configs: w0.configs,
      sessions: { sources: ["command"], command: `${LISTER} ${file} --fail` },
    });
    const r = await next.discovery.refresh();
    expect(r.errors).toHaveLength(1);
    expect(r).toMatchObject({ changed: 0, ended: 0 });
    expect(sessionOf(w0, REMOTE)).toMatchObject({ state: "working" });
    await next.discovery.stop();
  });

  it("reports a lister that fails or takes longer than command_timeout_seconds", async () => {
    const w0 = createDiscoveryWorld();
    worlds.push(w0);
    const file = join(w0.configs[0]!.dir, "listing.json");
    writeFileSync(file, "[]");
    const failing = createDiscoveryWorld({
      claire: w0.claire,
      configs: w0.configs,
      sessions: { sources: ["command"], command: `${LISTER} ${file} --fail` },
    });
    expect((await failing.discovery.refresh()).errors).toEqual([
      `sessions.command: \`${LISTER} ${file} --fail\` exited with status 3: fake-lister: cannot reach the remote host`,
    ]);
    await failing.discovery.stop();
    const slow = createDiscoveryWorld({
      claire: w0.claire,
      configs: w0.configs,
      sessions: {
        sources: ["command"],
        command: `${LISTER} ${file} --slow 20000`,
        commandTimeoutSeconds: 0.5,
      },
    });
    const started = Date.now();
    const report = await slow.discovery.refresh();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.errors).toEqual([
      `sessions.command: \`${LISTER} ${file} --slow 20000\` no answer within 0.5 s (raise sessions.command_timeout_seconds if it is just slow)`,
    ]);
    await slow.discovery.stop();
    expect(existsSync(`${file}.calls`)).toBe(true);
  });
});

describe("sessions.command parsing", () => {
  it("splits the command into words like a shell, without running one", () => {
    expect(splitCommandLine(`rclaude list --json`)).toEqual(["rclaude", "list", "--json"]);
    expect(splitCommandLine(`'/opt/my tools/rclaude' "a b" c\\ d "q\\"x" '$HOME' ""`)).toEqual([
      "/opt/my tools/rclaude",
      "a b",
      "c d",
      'q"x',
      "$HOME",
      "",
    ]);
    expect(splitCommandLine("~/bin/rclaude ls", "/home/ada")).toEqual(["/home/ada/bin/rclaude", "ls"]);
    expect(splitCommandLine(`rclaude 'open`)).toEqual({ error: "an opening ' has no closing '" });
    expect(splitCommandLine("   ")).toEqual({ error: "it is empty" });
  });

  it("accepts an array or {sessions: [...]}, times as ISO or epoch ms, and ignores unknown fields", () => {
    const r = parseCommandOutput(
      JSON.stringify([{ sessionId: "a", lastActivity: "2026-11-23T12:00:00+01:00", extra: 1 }]),
    );
    expect(r).toEqual({
      ok: true,
      value: { sessions: [{ sessionId: "a", lastActivity: "2026-11-23T11:00:00.000Z" }], problems: [] },
    });
    expect(parseCommandOutput('{"sessions": []}')).toEqual({
      ok: true,
      value: { sessions: [], problems: [] },
    });
  });
});
