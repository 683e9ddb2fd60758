// The real Claude Code CLI (pinned devDependency) run fully offline against the scripted stand-in
// for the Messages API. Proves the test support works and pins down the behaviour Claire builds
// on (docs/claude-code-notes.md): transcripts, resume, tools, hooks, live-session files,
// `claude agents --json`, MCP servers and /clear succession.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClaudeRunOptions, findClaudeBinary, runClaude, spawnClaude } from "./support/claude-runner.ts";
import {
  conversationText,
  type FakeAnthropic,
  lastToolResults,
  lastUserText,
  type Script,
  startFakeAnthropic,
} from "./support/fake-anthropic.ts";

const FIXTURES = join(import.meta.dirname, "fixtures", "claude");
const NODE = process.execPath;
const RUN_LIMIT_MS = 30_000;

// biome-ignore lint/suspicious/noExplicitAny: transcript and hook JSON is untyped; tests assert field by field.
type Line = Record<string, any>;

interface World {
  root: string;
  home: string;
  configDir: string;
  proj: string;
  out: string;
  fake: FakeAnthropic;
  opts(args: string[], extra?: Partial<ClaudeRunOptions>): ClaudeRunOptions;
}

const roots: string[] = [];
const fakes: FakeAnthropic[] = [];

async function world(script?: Script): Promise<World> {
  // realpath: claude records the resolved cwd (matters where /tmp is a symlink).
  const root = realpathSync(mkdtempSync(join(tmpdir(), "claire-cc-")));
  roots.push(root);
  const [home, configDir, proj, out] = ["home", "cfg", "proj", "out"].map((d) => join(root, d)) as [
    string,
    string,
    string,
    string,
  ];
  for (const d of [home, configDir, proj, out]) mkdirSync(d, { recursive: true });
  const fake = await startFakeAnthropic(script);
  fakes.push(fake);
  return {
    root,
    home,
    configDir,
    proj,
    out,
    fake,
    opts: (args, extra = {}) => ({
      args,
      cwd: proj,
      home,
      configDir,
      baseUrl: fake.url,
      timeoutMs: RUN_LIMIT_MS,
      ...extra,
    }),
  };
}

/** User-scope settings.json whose hooks dump their stdin/env/ancestry into `out`. */
function installDumpHooks(w: World, events: string[]): void {
  const hook = [
    { hooks: [{ type: "command", command: `${NODE} ${join(FIXTURES, "hook-dump.mjs")} ${w.out}` }] },
  ];
  const settings = { hooks: Object.fromEntries(events.map((e) => [e, hook])) };
  writeFileSync(join(w.configDir, "settings.json"), JSON.stringify(settings, null, 2));
}

function hookDumps(w: World): Line[] {
  return readdirSync(w.out)
    .filter((f) => f.startsWith("hook-"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(w.out, f), "utf8")));
}

function encodeCwd(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, "-");
}

function transcriptPath(w: World, sessionId: string): string {
  return join(w.configDir, "projects", encodeCwd(w.proj), `${sessionId}.jsonl`);
}

function readLines(path: string): Line[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

function streamJsonUser(text: string): string {
  return `${JSON.stringify({ type: "user", message: { role: "user", content: [{ type: "text", text }] } })}\n`;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(() => {
  findClaudeBinary(); // fails the suite with one line saying what to install
  const version = execFileSync(findClaudeBinary(), ["--version"], { encoding: "utf8", timeout: 20_000 });
  expect(version.trim()).toBe("2.1.330 (Claude Code)");
});

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe("claude offline against the stand-in", () => {
  it("answers -p from the script, writes the transcript, and resumes into the same file", async () => {
    const w = await world(() => ({
      content: "Scripted hello.",
      model: "claude-sonnet-4-5-20250929",
      usage: {
        input_tokens: 11,
        output_tokens: 7,
        cache_creation_input_tokens: 13,
        cache_read_input_tokens: 17,
      },
    }));
    const r = await runClaude(w.opts(["-p", "hello", "--output-format", "json"]));
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      type: "result",
      subtype: "success",
      is_error: false,
      result: "Scripted hello.",
    });
    const sid: string = result.session_id;
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);

    // Only the Messages API was called: nothing else at start-up.
    expect(w.fake.requests.map((q) => `${q.method} ${q.pathname}`)).toEqual(["POST /v1/messages"]);
    const req = w.fake.requests[0]!;
    expect(req.path).toBe("/v1/messages?beta=true");
    expect(req.headers["x-claude-code-session-id"]).toBe(sid);
    expect(req.headers["x-api-key"]).toBe("dummy");
    expect(w.fake.messageCalls()[0]!.stream).toBe(true);

    const file = transcriptPath(w, sid);
    expect(existsSync(file)).toBe(true);
    const lines = readLines(file);
    const user = lines.find((l) => l.type === "user")!;
    expect(user).toMatchObject({
      sessionId: sid,
      cwd: w.proj,
      version: "2.1.330",
      isSidechain: false,
      entrypoint: "sdk-cli",
      message: { role: "user", content: "hello" },
    });
    expect(typeof user.gitBranch).toBe("string");
    expect(Number.isNaN(Date.parse(user.timestamp))).toBe(false);
    const assistant = lines.find((l) => l.type === "assistant")!;
    expect(assistant.message.model).toBe("claude-sonnet-4-5-20250929");
    expect(assistant.message.id).toMatch(/^msg_/);
    expect(assistant.requestId).toMatch(/^req_/); // the stand-in's `request-id` response header
    expect(assistant.message.usage).toMatchObject({
      input_tokens: 11,
      output_tokens: 7,
      cache_creation_input_tokens: 13,
      cache_read_input_tokens: 17,
    });
    expect(lines.filter((l) => l.type === "last-prompt").at(-1)?.lastPrompt).toBe("hello");

    // --resume in -p mode keeps the id and appends to the same file; the model sees the history.
    const before = lines.length;
    const r2 = await runClaude(w.opts(["-p", "second", "--output-format", "json", "--resume", sid]));
    expect(r2.code, r2.stderr).toBe(0);
    expect(JSON.parse(r2.stdout).session_id).toBe(sid);
    expect(
      readdirSync(join(w.configDir, "projects", encodeCwd(w.proj))).filter((f) => f.endsWith(".jsonl")),
    ).toEqual([`${sid}.jsonl`]);
    const after = readLines(file);
    expect(after.length).toBeGreaterThan(before);
    expect(after.filter((l) => l.type === "user").map((l) => l.message.content)).toEqual(["hello", "second"]);
    const second = w.fake.messageCalls()[1]!;
    expect(conversationText(second)).toContain("hello");
    expect(conversationText(second)).toContain("Scripted hello.");
    expect(lastUserText(second)).toContain("second");
  });

  it("runs a tool the stand-in asks for and sends the tool_result back", async () => {
    const w = await world((call) => {
      const results = lastToolResults(call.body);
      if (results.length === 0) {
        return {
          content: [{ type: "tool_use", name: "Bash", input: { command: "echo hi", description: "Say hi" } }],
        };
      }
      return { content: `The command printed: ${results[0]!.text}` };
    });
    const r = await runClaude(w.opts(["-p", "say hi", "--output-format", "json", "--allowedTools", "Bash"]));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result).toBe("The command printed: hi");
    const calls = w.fake.messageCalls();
    expect(calls).toHaveLength(2);
    expect(lastToolResults(calls[1]!)).toEqual([expect.objectContaining({ text: "hi", is_error: false })]);
    const lines = readLines(transcriptPath(w, JSON.parse(r.stdout).session_id));
    expect(lines.find((l) => l.type === "tools-used")?.tools).toEqual(["Bash"]);
  });

  it("runs hooks, injects their context, publishes sessions/<pid>.json and agents --json, and calls MCP tools", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const w = await world((call) => {
      if (lastToolResults(call.body).length === 0) {
        return {
          hold: gate,
          content: [
            { type: "tool_use", name: "mcp__claire__post_update", input: { task: "T1", text: "half way" } },
          ],
        };
      }
      return { content: "Update posted." };
    });
    installDumpHooks(w, ["SessionStart", "UserPromptSubmit", "Notification", "Stop", "SessionEnd"]);
    writeFileSync(
      join(w.out, "reply-SessionStart.txt"),
      JSON.stringify({
        hookSpecificOutput: {
          hookEventName: "SessionStart",
          additionalContext: "CLAIRE-SESSIONSTART-CONTEXT",
        },
      }),
    );
    writeFileSync(
      join(w.out, "reply-UserPromptSubmit.txt"),
      JSON.stringify({
        hookSpecificOutput: { hookEventName: "UserPromptSubmit", additionalContext: "CLAIRE-PROMPT-CONTEXT" },
      }),
    );
    const mcpConfig = join(w.root, "mcp.json");
    writeFileSync(
      mcpConfig,
      JSON.stringify({
        mcpServers: { claire: { command: NODE, args: [join(FIXTURES, "mcp-server.mjs"), w.out] } },
      }),
    );

    const c = spawnClaude(
      w.opts([
        "-p",
        "post an update",
        "--output-format",
        "json",
        "--mcp-config",
        mcpConfig,
        "--allowedTools",
        "mcp__claire__post_update",
      ]),
    );
    await waitFor("first model call", () => w.fake.messageCalls().length > 0);

    // While the model call is held, the session is live.
    const liveFile = join(w.configDir, "sessions", `${c.pid}.json`);
    const live = JSON.parse(readFileSync(liveFile, "utf8"));
    const sid: string = live.sessionId;
    const procStart = readFileSync(`/proc/${c.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19];
    expect(live).toMatchObject({
      pid: c.pid,
      cwd: w.proj,
      version: "2.1.330",
      kind: "interactive",
      entrypoint: "sdk-cli",
      status: "busy",
      procStart,
    });
    expect(typeof live.startedAt).toBe("number");
    const agents = await runClaude(w.opts(["agents", "--json"]));
    expect(agents.code, agents.stderr).toBe(0);
    expect(JSON.parse(agents.stdout)).toEqual([
      {
        pid: c.pid,
        cwd: w.proj,
        kind: "interactive",
        startedAt: live.startedAt,
        sessionId: sid,
        name: live.name,
        status: "busy",
      },
    ]);

    release();
    const r = await c.result;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ session_id: sid, result: "Update posted." });
    expect(existsSync(liveFile)).toBe(false);
    expect(JSON.parse((await runClaude(w.opts(["agents", "--json"]))).stdout)).toEqual([]);

    // Hook context reached the model.
    const [first, second] = w.fake.messageCalls();
    expect(conversationText(first!)).toContain("CLAIRE-SESSIONSTART-CONTEXT");
    expect(conversationText(first!)).toContain("CLAIRE-PROMPT-CONTEXT");
    expect(lastToolResults(second!)).toEqual([expect.objectContaining({ text: "recorded update for T1" })]);

    // Hook stdin shapes, environment and ancestry.
    const dumps = hookDumps(w);
    expect(dumps.map((d) => d.event)).toEqual(["SessionStart", "UserPromptSubmit", "Stop", "SessionEnd"]);
    const transcript = transcriptPath(w, sid);
    const common = { session_id: sid, transcript_path: transcript, cwd: w.proj };
    expect(dumps[0]!.stdin).toEqual({ ...common, hook_event_name: "SessionStart", source: "startup" });
    expect(dumps[1]!.stdin).toMatchObject({
      ...common,
      hook_event_name: "UserPromptSubmit",
      prompt: "post an update",
      permission_mode: "default",
    });
    expect(dumps[2]!.stdin).toMatchObject({
      ...common,
      hook_event_name: "Stop",
      stop_hook_active: false,
      last_assistant_message: "Update posted.",
    });
    expect(dumps[3]!.stdin).toMatchObject({ ...common, hook_event_name: "SessionEnd", reason: "other" });
    for (const d of dumps) {
      expect(d.env).toMatchObject({
        CLAUDE_PID: String(c.pid),
        CLAUDE_CODE_SESSION_ID: sid,
        CLAUDE_PROJECT_DIR: w.proj,
        CLAUDECODE: "1",
        CLAUDE_CONFIG_DIR: w.configDir,
      });
      // hook process <- /bin/sh -c <command> <- claude
      expect(d.ancestry[0].ppid).toBe(d.ancestry[1].pid);
      expect(d.ancestry[1].comm).toBe("sh");
      expect(d.ancestry[1].ppid).toBe(c.pid);
    }

    // The MCP server is a direct child of claude and knows the session id.
    const starts = readdirSync(w.out).filter((f) => f.startsWith("mcp-start-"));
    expect(starts).toHaveLength(1);
    const start = JSON.parse(readFileSync(join(w.out, starts[0]!), "utf8"));
    expect(start.ppid).toBe(c.pid);
    expect(start.env).toMatchObject({
      CLAUDE_CODE_SESSION_ID: sid,
      CLAUDE_PROJECT_DIR: w.proj,
      CLAUDECODE: "1",
    });
    expect(start.env.CLAUDE_PID).toBeUndefined();
    const mcpCalls = readLines(join(w.out, "mcp-calls.jsonl"));
    expect(mcpCalls).toEqual([
      expect.objectContaining({ args: { task: "T1", text: "half way" }, sessionEnv: sid }),
    ]);
    // MCP tools are deferred: named in a system message for ToolSearch, not in `tools`.
    expect(first!.tools!.map((t) => t.name)).not.toContain("mcp__claire__post_update");
    expect(conversationText(first!)).toContain("mcp__claire__post_update");
  });

  it("gives the same process a new session id on /clear; the MCP server keeps the old one", async () => {
    const w = await world((call) => ({ content: `reply to ${lastUserText(call.body).split("\n").at(-1)}` }));
    installDumpHooks(w, ["SessionStart", "SessionEnd"]);
    writeFileSync(
      join(w.proj, ".mcp.json"),
      JSON.stringify({
        mcpServers: { claire: { command: NODE, args: [join(FIXTURES, "mcp-server.mjs"), w.out] } },
      }),
    );
    const c = spawnClaude(
      w.opts(["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"], {
        keepStdinOpen: true,
      }),
    );
    const results = () => c.stdout().match(/"type":"result"/g)?.length ?? 0;
    c.child.stdin!.write(streamJsonUser("turn one"));
    await waitFor("first result", () => results() >= 1);
    const liveFile = join(w.configDir, "sessions", `${c.pid}.json`);
    const firstId: string = JSON.parse(readFileSync(liveFile, "utf8")).sessionId;
    c.child.stdin!.write(streamJsonUser("/clear"));
    await waitFor("clear result", () => results() >= 2);
    c.child.stdin!.write(streamJsonUser("turn two"));
    await waitFor("second result", () => results() >= 3);
    const secondId: string = JSON.parse(readFileSync(liveFile, "utf8")).sessionId;
    c.child.stdin!.end();
    const r = await c.result;
    expect(r.code, r.stderr).toBe(0);
    expect(secondId).not.toBe(firstId);

    const events = hookDumps(w).map((d) => ({
      event: d.event,
      sid: d.stdin.session_id,
      source: d.stdin.source,
      reason: d.stdin.reason,
      pid: d.env.CLAUDE_PID,
    }));
    const pid = String(c.pid);
    expect(events).toEqual([
      { event: "SessionStart", sid: firstId, source: "startup", reason: undefined, pid },
      { event: "SessionEnd", sid: firstId, source: undefined, reason: "clear", pid },
      { event: "SessionStart", sid: secondId, source: "clear", reason: undefined, pid },
      { event: "SessionEnd", sid: secondId, source: undefined, reason: "other", pid },
    ]);
    expect(existsSync(transcriptPath(w, firstId))).toBe(true);
    expect(existsSync(transcriptPath(w, secondId))).toBe(true);

    // Project .mcp.json servers load in -p mode; one server process for the whole run,
    // spawned with the first id and never told about the new one.
    const starts = readdirSync(w.out).filter((f) => f.startsWith("mcp-start-"));
    expect(starts).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(w.out, starts[0]!), "utf8")).env.CLAUDE_CODE_SESSION_ID).toBe(
      firstId,
    );
  });

  it("keeps subagent transcripts beside the session and marks compaction in the same file", async () => {
    const kinds: string[] = [];
    const w = await world((call) => {
      kinds.push(call.kind);
      if (call.kind === "subagent") return { content: "subagent done", model: "claude-haiku-4-5-20251001" };
      if (call.kind === "compaction") return { content: "<summary>SUMMARY-OF-WORK</summary>" };
      if (lastToolResults(call.body).length === 0 && lastUserText(call.body).includes("delegate")) {
        return {
          content: [
            {
              type: "tool_use",
              name: "Agent",
              input: {
                description: "Sub work",
                prompt: "SUBTASK do it",
                subagent_type: "general-purpose",
                run_in_background: false,
              },
            },
          ],
        };
      }
      return { content: "main done" };
    });
    execFileSync("git", ["init", "-q", "-b", "feature-x"], { cwd: w.proj });
    const r = await runClaude(
      w.opts(["-p", "delegate this", "--output-format", "json", "--allowedTools", "Agent"]),
    );
    expect(r.code, r.stderr).toBe(0);
    const sid: string = JSON.parse(r.stdout).session_id;
    expect(kinds).toEqual(["main", "subagent", "main"]);

    const subDir = join(w.configDir, "projects", encodeCwd(w.proj), sid, "subagents");
    const subFiles = readdirSync(subDir).sort();
    expect(subFiles).toHaveLength(2);
    expect(subFiles[0]).toMatch(/^agent-[0-9a-f]+\.jsonl$/);
    expect(subFiles[1]).toMatch(/^agent-[0-9a-f]+\.meta\.json$/);
    const agentId = subFiles[0]!.slice("agent-".length, -".jsonl".length);
    const sub = readLines(join(subDir, subFiles[0]!));
    expect(sub.find((l) => l.type === "user")).toMatchObject({
      isSidechain: true,
      agentId,
      sessionId: sid,
      gitBranch: "feature-x",
      message: { content: "SUBTASK do it" },
    });
    expect(sub.find((l) => l.type === "assistant")?.message.model).toBe("claude-haiku-4-5-20251001");
    expect(JSON.parse(readFileSync(join(subDir, subFiles[1]!), "utf8"))).toMatchObject({
      agentType: "general-purpose",
      description: "Sub work",
    });

    const c = await runClaude(w.opts(["-p", "/compact", "--output-format", "json", "--resume", sid]));
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout).session_id).toBe(sid);
    expect(kinds.at(-1)).toBe("compaction");
    const lines = readLines(transcriptPath(w, sid));
    const boundary = lines.find((l) => l.type === "system" && l.subtype === "compact_boundary");
    expect(boundary).toMatchObject({ sessionId: sid, compactMetadata: { trigger: "manual" } });
    expect(lines.find((l) => l.isCompactSummary === true)?.message.content).toContain("SUMMARY-OF-WORK");
  });

  it("configures MCP servers with `claude mcp add` and lists them", async () => {
    const w = await world();
    const add = await runClaude(
      w.opts(["mcp", "add", "-s", "user", "claire", "--", NODE, join(FIXTURES, "mcp-server.mjs"), w.out]),
    );
    expect(add.code, add.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(w.configDir, ".claude.json"), "utf8"));
    expect(state.mcpServers.claire).toEqual({
      type: "stdio",
      command: NODE,
      args: [join(FIXTURES, "mcp-server.mjs"), w.out],
      env: {},
    });
    const list = await runClaude(w.opts(["mcp", "list"]));
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(
      `claire: ${NODE} ${join(FIXTURES, "mcp-server.mjs")} ${w.out} - ✔ Connected`,
    );
    // The health check spawned the server with a session id of its own.
    const starts = readdirSync(w.out).filter((f) => f.startsWith("mcp-start-"));
    expect(starts.length).toBeGreaterThanOrEqual(1);
    const env = JSON.parse(readFileSync(join(w.out, starts[0]!), "utf8")).env;
    expect(env.CLAUDE_CODE_SESSION_ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(existsSync(join(w.configDir, "projects"))).toBe(false);
  });
});
