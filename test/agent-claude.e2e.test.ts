// Claire's hooks and MCP server with the real Claude Code CLI (pinned devDependency), offline
// against the scripted Messages API stand-in, with a real `claire serve`: what reaches the model,
// what Claire records, and how it is attributed. See docs/agents.md and docs/claude-code-notes.md.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Message } from "../src/domain/message.ts";
import type { Session } from "../src/domain/session.ts";
import type { Task } from "../src/domain/task.ts";
import type { Update } from "../src/domain/update.ts";
import {
  BIN,
  type ClaudeWorld,
  createClaudeWorld,
  PINNED_NODE,
  setUpAgents,
} from "./support/agent-claude.ts";
import { findClaudeBinary, runClaude, spawnClaude } from "./support/claude-runner.ts";
import { cliEnv, killAllServes } from "./support/cli-run.ts";
import {
  conversationText,
  lastToolResults,
  type MessagesCall,
  type ScriptedReply,
  toolNames,
} from "./support/fake-anthropic.ts";

type Inbox = { message: Omit<Message, "deliveries">; delivery: { state: string } }[];

const worlds: ClaudeWorld[] = [];
const world = async (opts: { server?: boolean } = {}) => {
  const w = await createClaudeWorld(opts);
  worlds.push(w);
  return w;
};

beforeAll(() => {
  const version = execFileSync(findClaudeBinary(), ["--version"], { encoding: "utf8", timeout: 20_000 });
  expect(version.trim()).toBe("2.1.330 (Claude Code)");
});
afterAll(async () => {
  for (const w of worlds.splice(0)) await w.close();
  await killAllServes();
});

const ok = <T>(r: { status: number; body: T }): T => {
  if (r.status >= 300) throw new Error(`API answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
};

const waitFor = async <T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 20_000,
) => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const streamJsonUser = (text: string) =>
  `${JSON.stringify({ type: "user", message: { role: "user", content: [{ type: "text", text }] } })}\n`;

/** Answers each step of a turn with the next tool call, then with text. */
const toolScript =
  (steps: ((call: MessagesCall) => ScriptedReply)[], finalText = "All done.") =>
  (call: MessagesCall): ScriptedReply => {
    // Tool results so far in this conversation = how many steps were taken.
    const taken = call.body.messages.filter(
      (m) => Array.isArray(m.content) && m.content.some((b) => b.type === "tool_result"),
    ).length;
    const step = steps[taken];
    return step ? step(call) : { content: finalText };
  };

const project = async (w: ClaudeWorld, name = "Payments") =>
  ok(await w.api<{ id: string }>("POST", "/projects", { name }));
const task = async (w: ClaudeWorld, projectId: string, title: string) =>
  ok(await w.api<Task>("POST", "/tasks", { projectId, title, description: `Details of ${title}.` }));
const session = async (w: ClaudeWorld, id: string) =>
  ok(await w.api<Session>("GET", `/sessions/${encodeURIComponent(id)}`));

describe("hooks installed with `claire hooks install`", () => {
  it("SessionStart brings the assigned task and an unread group message with its sender; they are delivered; the session is registered", async () => {
    const w = await world();
    const { install, settings } = await setUpAgents(w);
    expect(install.json).toMatchObject({
      scope: "user",
      changed: true,
      path: join(w.configDir, "settings.json"),
    });
    const stop = (settings as { hooks: Record<string, { hooks: { command: string }[] }[]> }).hooks.Stop!;
    // The Claire home it was installed for is named: Claude Code's hooks write to this one.
    expect(stop[0]!.hooks[0]!.command).toBe(`CLAIRE_HOME=${w.claireHome} ${realNode()} ${BIN} hook Stop`);

    // Run 1: the session starts; while its first turn is in flight a person assigns it a task
    // and messages its group.
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    w.setScript(() => ({ hold: gate, content: "First turn done." }));
    const first = spawnClaude(w.opts(["-p", "hello", "--output-format", "json"]));
    await waitFor("the first model call", () => w.fake.messageCalls().length > 0);
    const sid = (w.fake.requests[0]!.headers["x-claude-code-session-id"] as string) ?? "";
    const registered = await session(w, sid);
    expect(registered).toMatchObject({ cwd: w.proj, state: "working", pid: first.pid });
    expect(registered.transcriptPath).toBe(
      join(w.configDir, "projects", w.proj.replace(/[^a-zA-Z0-9]/g, "-"), `${sid}.jsonl`),
    );

    const p = await project(w);
    const t = await task(w, p.id, "Write the ledger migration");
    ok(await w.api("POST", "/assignments", { taskId: t.id, session: sid }));
    ok(await w.api("POST", "/groups", { name: "backend", rules: [`cwd:${w.proj}`] }));
    const sent = ok(
      await w.api<{ message: Message; localTargets: number }>("POST", "/broadcast", {
        to: "group:backend",
        body: "Freeze merges until 5pm, please.",
      }),
    );
    expect(sent.localTargets).toBe(1);
    release();
    expect((await first.result).code).toBe(0);
    expect((await session(w, sid)).state).toBe("ended");

    // Run 2: the session is resumed; SessionStart gives the model its task and the message.
    w.setScript(() => ({ content: "On it." }));
    const before = w.fake.messageCalls().length;
    const second = await runClaude(w.opts(["-p", "what now?", "--output-format", "json", "--resume", sid]));
    expect(second.code, second.stderr).toBe(0);
    const request = w.fake.messageCalls()[before]!;
    const seen = conversationText(request);
    expect(seen).toContain("SessionStart hook additional context: [Claire]");
    expect(seen).toContain(`task ${t.handle} [todo, normal] Write the ledger migration (project "Payments")`);
    expect(seen).toContain(`from human:alice@laptop to group "backend"`);
    expect(seen).toContain("Freeze merges until 5pm, please.");
    const inbox = ok(await w.api<Inbox>("GET", `/inbox?session=${sid}&all=true`));
    expect(inbox.map((i) => [i.message.id, i.delivery.state])).toEqual([[sent.message.id, "delivered"]]);
    // Told once: the next prompt of the same session does not bring it again.
    const third = await runClaude(w.opts(["-p", "and now?", "--output-format", "json", "--resume", sid]));
    expect(third.code).toBe(0);
    const last = conversationText(w.fake.messageCalls().at(-1)!);
    expect(last.split("Freeze merges until 5pm").length - 1).toBeLessThanOrEqual(1);
    expect(ok(await w.api<Inbox>("GET", `/inbox?session=${sid}&all=true`))[0]!.delivery.state).toBe(
      "delivered",
    );

    // The session, registered by hooks, is also discovered from its real transcript.
    ok(await w.api("POST", "/sessions/refresh", {}));
    const discovered = await session(w, sid);
    expect(discovered).toMatchObject({ cwd: w.proj, state: "ended" });
    // (Counts from the transcript; activity-only changes are throttled, so not necessarily the last.)
    expect(discovered.userMessages).toBeGreaterThanOrEqual(1);
    expect(discovered.model).not.toBeNull();
    expect(discovered.tokens.output).toBeGreaterThan(0);
  });

  it("the agent claims, updates and completes through Claire's MCP tools, attributed to its session", async () => {
    const w = await world();
    await setUpAgents(w);
    const p = await project(w);
    const t = await task(w, p.id, "Add the refunds endpoint");
    let tools: string[] = [];
    w.setScript(
      toolScript([
        (call) => {
          tools = toolNames(call.body);
          return { content: [{ type: "tool_use", name: "mcp__claire__next_task", input: { claim: true } }] };
        },
        () => ({
          content: [
            {
              type: "tool_use",
              name: "mcp__claire__post_update",
              input: { task: t.handle, text: "endpoint drafted" },
            },
          ],
        }),
        () => ({
          content: [
            {
              type: "tool_use",
              name: "mcp__claire__complete_task",
              input: { task: t.handle, summary: "refunds endpoint merged" },
            },
          ],
        }),
      ]),
    );
    const allowed = ["next_task", "post_update", "complete_task"].map((n) => `mcp__claire__${n}`);
    const r = await runClaude(
      w.opts(["-p", "work", "--output-format", "json", "--allowedTools", ...allowed]),
    );
    expect(r.code, r.stderr).toBe(0);
    const sid = JSON.parse(r.stdout).session_id as string;
    expect(tools).toEqual(
      expect.arrayContaining([
        "mcp__claire__claim_task",
        "mcp__claire__post_update",
        "mcp__claire__read_inbox",
      ]),
    );
    // Every tool answered without error, and the model saw what Claire said.
    const results = w.fake.messageCalls().flatMap((b) => lastToolResults(b));
    expect(results.map((x) => x.is_error)).toEqual([false, false, false]);
    expect(results[0]!.text).toContain("Claimed for you");
    expect(results[2]!.text).toContain("is done");

    const done = ok(await w.api<Task>("GET", `/tasks/${t.id}`));
    expect(done).toMatchObject({ status: "done", owner: { session: { sessionId: sid }, via: "claimed" } });
    const [claim] = ok(await w.api<{ by: unknown; session: unknown }[]>("GET", `/assignments?task=${t.id}`));
    expect(claim).toMatchObject({ by: { kind: "session", id: sid }, session: { sessionId: sid } });
    const updates = ok(await w.api<Update[]>("GET", `/updates?task=${t.id}`));
    expect(updates.map((u) => [u.kind, u.text, u.session?.sessionId, u.actor.id])).toEqual([
      ["done", "refunds endpoint merged", sid, sid],
      ["progress", "endpoint drafted", sid, sid],
    ]);
  });

  it("two concurrent sessions in one directory are each attributed to their own session", async () => {
    const w = await world();
    await setUpAgents(w);
    const p = await project(w);
    const t = await task(w, p.id, "Shared task");
    let arrived = 0;
    let open!: () => void;
    const bothStarted = new Promise<void>((r) => {
      open = r;
    });
    w.setScript(
      toolScript([
        (call) => {
          arrived++;
          if (arrived === 2) open();
          return {
            hold: bothStarted,
            content: [
              {
                type: "tool_use",
                name: "mcp__claire__post_update",
                input: { task: t.handle, text: `posted by ${call.sessionId}` },
              },
            ],
          };
        },
      ]),
    );
    const args = ["-p", "post", "--output-format", "json", "--allowedTools", "mcp__claire__post_update"];
    const [a, b] = await Promise.all([runClaude(w.opts(args)), runClaude(w.opts(args))]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const ids = [a, b].map((r) => JSON.parse(r.stdout).session_id as string);
    expect(new Set(ids).size).toBe(2);
    const updates = ok(await w.api<Update[]>("GET", `/updates?task=${t.id}`));
    expect(updates).toHaveLength(2);
    for (const u of updates) {
      expect(u.text).toBe(`posted by ${u.session!.sessionId}`);
      expect(u.actor).toEqual({ kind: "session", id: u.session!.sessionId });
    }
    expect(new Set(updates.map((u) => u.session!.sessionId))).toEqual(new Set(ids));
  });

  it("/clear: the successor gets the open assignment and the unread message; the MCP server, which keeps the old id, acts for the successor", async () => {
    const w = await world();
    await setUpAgents(w);
    const p = await project(w);
    const t = await task(w, p.id, "Carry me over");
    w.setScript(
      toolScript([
        (call) =>
          conversationText(call.body).includes("turn two")
            ? {
                content: [
                  {
                    type: "tool_use",
                    name: "mcp__claire__post_update",
                    input: { task: t.handle, text: "after clear" },
                  },
                ],
              }
            : { content: "ok" },
      ]),
    );
    const c = spawnClaude(
      w.opts(
        [
          "-p",
          "--input-format",
          "stream-json",
          "--output-format",
          "stream-json",
          "--verbose",
          "--allowedTools",
          "mcp__claire__post_update",
        ],
        { keepStdinOpen: true },
      ),
    );
    const results = () => c.stdout().match(/"type":"result"/g)?.length ?? 0;
    c.child.stdin!.write(streamJsonUser("turn one"));
    await waitFor("the first result", () => results() >= 1);
    const before = w.fake.requests[0]!.headers["x-claude-code-session-id"] as string;
    ok(await w.api("POST", "/assignments", { taskId: t.id, session: before }));
    const note = ok(
      await w.api<{ message: Message }>("POST", "/messages", {
        to: `session:${before}`,
        body: "Use the new ledger API.",
      }),
    );

    c.child.stdin!.write(streamJsonUser("/clear"));
    await waitFor("the /clear result", () => results() >= 2);
    c.child.stdin!.write(streamJsonUser("turn two"));
    await waitFor("the second turn's result", () => results() >= 3, 30_000);
    c.child.stdin!.end();
    expect((await c.result).code).toBe(0);

    const turnTwo = w.fake.messageCalls().find((b) => conversationText(b).includes("turn two"))!;
    const after = String(
      w.fake.requests.find((q) => q.body === turnTwo)!.headers["x-claude-code-session-id"],
    );
    expect(after).not.toBe(before);
    const seen = conversationText(turnTwo);
    expect(seen).toContain(`continues session ${before.slice(0, 8)}`);
    expect(seen).toContain("Carry me over");
    expect(seen).toContain("Use the new ledger API.");

    expect(await session(w, after)).toMatchObject({ predecessor: `${machineOf(w)}/${before}` });
    expect(await session(w, before)).toMatchObject({ successor: `${machineOf(w)}/${after}` });
    const owned = ok(await w.api<Task>("GET", `/tasks/${t.id}`));
    expect(owned.owner?.session.sessionId).toBe(after);
    const inbox = ok(await w.api<Inbox>("GET", `/inbox?session=${after}&all=true`));
    expect(inbox.map((i) => [i.message.id, i.delivery.state])).toEqual([[note.message.id, "delivered"]]);
    const [u] = ok(await w.api<Update[]>("GET", `/updates?task=${t.id}`));
    expect(u).toMatchObject({ text: "after clear", session: { sessionId: after }, actor: { id: after } });
  });

  it("`claude mcp list` reports Claire's server connected", async () => {
    const w = await world();
    await setUpAgents(w);
    const list = await runClaude(w.opts(["mcp", "list"]));
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`claire: ${realNode()} ${BIN} mcp - ✔ Connected`);
    const status = await w.claire(["hooks", "status", "--json"]);
    expect(status.json).toMatchObject({
      events: {
        SessionStart: "installed",
        UserPromptSubmit: "installed",
        Notification: "installed",
        Stop: "installed",
        SessionEnd: "installed",
      },
      mcp: { command: `${realNode()} ${BIN} mcp` },
    });
    const human = await w.claire(["hooks", "status"]);
    expect(human.stdout).toContain(`${join(w.configDir, "settings.json")}\n  SessionStart      installed`);
    const again = await w.claire(["hooks", "install"]);
    expect(again.stdout).toContain("already installed");
    const removed = await w.claire(["hooks", "uninstall", "--json"]);
    expect(removed.json).toMatchObject({ removed: 5 });
    expect(JSON.parse(readFileSync(join(w.configDir, "settings.json"), "utf8"))).toEqual({});
    const bad = await w.claire(["hooks", "install", "--scope", "galaxy"]);
    expect({ code: bad.code, stderr: bad.stderr }).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown scope 'galaxy'"),
    });
  });
});

const realNode = () => execFileSync(PINNED_NODE, ["-p", "process.execPath"], { encoding: "utf8" }).trim();
const machineOf = (w: ClaudeWorld) =>
  (/^machine_id\s*=\s*"([^"]+)"/m.exec(readFileSync(join(w.claireHome, "claire.toml"), "utf8")) ?? [])[1];

describe("a hook given bad input, spawned as Claude Code spawns it", () => {
  const cases: [string, string | Buffer][] = [
    ["malformed", '{"session_id": "abc", "hook_event_name": "SessionStart", '],
    ["empty", ""],
    ["huge", Buffer.alloc(8 * 1024 * 1024, "{")],
    [
      "huge but valid JSON",
      JSON.stringify({ session_id: "big", hook_event_name: "SessionStart", pad: "x".repeat(3 << 20) }),
    ],
  ];

  for (const withServer of [true, false]) {
    it(`exits 0, prints nothing, writes nothing (${withServer ? "with" : "without"} a server)`, async () => {
      const w = await world({ server: withServer });
      const installed = await w.claire(["hooks", "install"]);
      // Without a server, install says the hooks will be slower and how to run one.
      expect(installed.stdout.includes("No `claire serve` runs on this machine")).toBe(!withServer);
      const status = await w.claire(["hooks", "status", "--json"]);
      expect((status.json as { server: string | null }).server).toEqual(
        withServer ? expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) : null,
      );
      const settings = JSON.parse(readFileSync(join(w.configDir, "settings.json"), "utf8"));
      const events = async () => {
        const s = await w.claire(["status", "--json"]);
        return (s.json as { events: { total: number } }).events.total;
      };
      const total = await events();
      for (const event of ["SessionStart", "UserPromptSubmit", "Stop"]) {
        const command = settings.hooks[event][0].hooks[0].command as string;
        for (const [name, input] of cases) {
          const r = spawnSync("/bin/sh", ["-c", command], {
            input,
            cwd: w.proj,
            env: cliEnv(w.claireHome, { CLAUDE_CONFIG_DIR: w.configDir, CLAUDE_PID: String(process.pid) }),
            timeout: 20_000,
          });
          expect({ event, name, code: r.status, stdout: r.stdout.toString() }).toEqual({
            event,
            name,
            code: 0,
            stdout: "",
          });
          expect(r.stderr.toString()).toMatch(new RegExp(`^claire hook ${event}: `));
        }
      }
      expect(await events()).toBe(total);
      const log = readFileSync(join(w.claireHome, "hooks.log"), "utf8").trim().split("\n");
      expect(log).toHaveLength(12);
    });
  }
});
