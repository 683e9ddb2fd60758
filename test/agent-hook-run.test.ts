// `claire hook <event>` end to end inside the test process: what it prints, what it marks
// delivered, what it remembers per Claude process, and that it fails open. Every test runs twice:
// through the API app (as with a server running) and through the service itself (as with none).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HOOK_OUTPUT_LIMIT } from "../src/agent/hook-run.ts";
import { processStart, readProcessState, stateDir, writeProcessState } from "../src/agent/hook-state.ts";
import {
  type AgentWorld,
  createAgentWorld,
  type HookVia,
  must,
  registerSession,
} from "./support/agent-world.ts";

const worlds: AgentWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});
let via: HookVia = "app";
const world = () => {
  const w = createAgentWorld({ machineName: "laptop" }, via);
  worlds.push(w);
  return w;
};

/** A real pid with a real start time: this test process stands in for claude. */
const PID = String(process.pid);
const stdin = (event: string, sessionId: string, extra: Record<string, unknown> = {}) => ({
  session_id: sessionId,
  transcript_path: `/cfg/projects/-w/${sessionId}.jsonl`,
  cwd: "/w/proj",
  hook_event_name: event,
  ...extra,
});
const parsed = (stdout: string) =>
  JSON.parse(stdout) as { hookSpecificOutput: { hookEventName: string; additionalContext: string } };

describe.each([
  ["the API app", "app"],
  ["the service itself", "service"],
] as const)("through %s", (_name, hookVia) => {
  beforeEach(() => {
    via = hookVia;
  });

  describe("failing open", () => {
    it.each([
      ["empty stdin", ""],
      ["whitespace", "  \n"],
      ["malformed JSON", '{"session_id": "s-1", '],
      ["a JSON array", "[1,2]"],
      ["a JSON string", '"SessionStart"'],
      ["no session id", JSON.stringify({ cwd: "/w", hook_event_name: "SessionStart" })],
      ["a session id with a space", JSON.stringify({ session_id: "a b", hook_event_name: "SessionStart" })],
      ["another event's input", JSON.stringify({ session_id: "s-1", hook_event_name: "Stop" })],
      ["binary garbage", "\u0000\u0001\u00ff{{{"],
    ])("%s: exit quietly, print nothing, write nothing, log why", async (_name, input) => {
      const w = world();
      const before = w.eventCount();
      const r = await w.hook("SessionStart", input, { CLAUDE_PID: PID });
      expect(r).toMatchObject({ printed: false, stdout: "" });
      expect(r.stderr).toMatch(/^claire hook SessionStart: /);
      expect(w.eventCount()).toBe(before);
      expect(readFileSync(join(w.dir, "hooks.log"), "utf8")).toContain('"event":"SessionStart"');
      expect(existsSync(stateDir(w.dir))).toBe(false);
    });

    it("an unknown event, or an API that cannot be reached, also fails open", async () => {
      const w = world();
      const before = w.eventCount();
      expect(await w.hook("PreToolUse", stdin("PreToolUse", "s-1"))).toMatchObject({
        printed: false,
        stdout: "",
      });
      const { runHook } = await import("../src/agent/hook-run.ts");
      const r = await runHook("SessionStart", {
        readInput: async () => ({ text: JSON.stringify(stdin("SessionStart", "s-1")) }),
        stdout: process.stdout,
        stderr: { write: () => true } as unknown as NodeJS.WritableStream,
        env: { CLAIRE_HOME: w.dir },
        ppid: 1,
        connect: async () => {
          throw new Error("no server answers");
        },
      });
      expect(r.printed).toBe(false);
      expect(w.eventCount()).toBe(before);
      expect(readFileSync(join(w.dir, "hooks.log"), "utf8")).toContain("no server answers");
    });

    it("a huge stdin is refused unread (the limit is 2 MiB)", async () => {
      const { readStream, MAX_STDIN_BYTES } = await import("../src/agent/hook-run.ts");
      const { Readable } = await import("node:stream");
      const big = Readable.from([Buffer.alloc(MAX_STDIN_BYTES), Buffer.from("{}")]);
      expect(await readStream(big)).toEqual({
        error: expect.stringMatching(/more than the 2097152 a hook reads/),
      });
      const never = new Readable({ read() {} });
      expect(await readStream(never, 50)).toEqual({ error: "stdin did not end within 50 ms" });
    });
  });

  describe("SessionStart", () => {
    it("registers the session, prints the briefing, marks only what it printed delivered", async () => {
      const w = world();
      const p = must(w.service.createProject(w.human, { name: "Payments" }));
      registerSession(w, "s-1");
      const t = must(w.service.createTask(w.human, { projectId: p.id, title: "Write the migration" }));
      must(w.service.assignTask(w.human, { taskId: t.id, session: "s-1" }));
      const m = must(
        w.service.sendMessage({ kind: "human", id: "alice" }, { to: "all", body: "standup at 10" }),
      ).message;
      const r = await w.hook("SessionStart", stdin("SessionStart", "s-1", { source: "resume" }), {
        CLAUDE_PID: PID,
      });
      expect(r.printed).toBe(true);
      const out = parsed(r.stdout);
      expect(out.hookSpecificOutput.hookEventName).toBe("SessionStart");
      expect(out.hookSpecificOutput.additionalContext).toContain("Write the migration");
      expect(out.hookSpecificOutput.additionalContext).toContain(
        `message ${m.handle} from human:alice to every session`,
      );
      expect(must(w.service.inbox("s-1"))[0]!.delivery.state).toBe("delivered");
      expect(must(w.service.getSession("s-1"))).toMatchObject({
        cwd: "/w/proj",
        transcriptPath: "/cfg/projects/-w/s-1.jsonl",
        pid: process.pid,
      });
      expect(readProcessState(stateDir(w.dir), process.pid, processStart(process.pid))).toEqual({
        pid: process.pid,
        start: processStart(process.pid),
        sessionId: "s-1",
        tasks: [t.id],
      });
    });

    it("with 20 tasks and 50 long messages: at most 10,000 characters, only whole messages delivered", async () => {
      const w = world();
      const p = must(w.service.createProject(w.human, { name: "P" }));
      registerSession(w, "s-1");
      for (let i = 0; i < 20; i++) {
        const t = must(
          w.service.createTask(w.human, {
            projectId: p.id,
            title: `task "${i}"`,
            description: "é\n\t".repeat(300),
          }),
        );
        must(w.service.assignTask(w.human, { taskId: t.id, session: "s-1" }));
      }
      for (let i = 0; i < 50; i++)
        must(
          w.service.sendMessage(w.human, {
            to: "session:s-1",
            body: `message ${i}: ${'"quoted"\u0001\n'.repeat(40)}`,
          }),
        );
      const r = await w.hook("SessionStart", stdin("SessionStart", "s-1"), { CLAUDE_PID: PID });
      expect(r.stdout.length).toBeLessThanOrEqual(HOOK_OUTPUT_LIMIT);
      const context = parsed(r.stdout).hookSpecificOutput.additionalContext;
      const inbox = must(w.service.inbox("s-1"));
      const delivered = inbox.filter((i) => i.delivery.state === "delivered");
      expect(delivered.length).toBeGreaterThan(0);
      expect(delivered.length).toBeLessThan(50);
      for (const i of inbox) expect(context.includes(i.message.body)).toBe(i.delivery.state === "delivered");
    });

    it("names the predecessor the same Claude process registered before (/clear), and not after a pid was reused", async () => {
      const w = world();
      const p = must(w.service.createProject(w.human, { name: "P" }));
      registerSession(w, "first");
      const t = must(w.service.createTask(w.human, { projectId: p.id, title: "carried over" }));
      await w.hook("SessionStart", stdin("SessionStart", "first", { source: "startup" }), {
        CLAUDE_PID: PID,
      });
      must(w.service.assignTask(w.human, { taskId: t.id, session: "first" }));
      await w.hook("SessionEnd", stdin("SessionEnd", "first", { reason: "clear" }), { CLAUDE_PID: PID });
      const r = await w.hook("SessionStart", stdin("SessionStart", "second", { source: "clear" }), {
        CLAUDE_PID: PID,
      });
      expect(parsed(r.stdout).hookSpecificOutput.additionalContext).toContain("continues session first");
      expect(must(w.service.getTask(t.id)).owner?.session.sessionId).toBe("second");
      expect(must(w.service.getSession("second")).predecessor).toBe(`${w.machineId}/first`);

      // The process ends: its memory goes. A file left by an earlier process with the same pid
      // (another start time) is not taken for this one.
      await w.hook("SessionEnd", stdin("SessionEnd", "second", { reason: "other" }), { CLAUDE_PID: PID });
      expect(readProcessState(stateDir(w.dir), process.pid, processStart(process.pid))).toBeNull();
      writeProcessState(stateDir(w.dir), { pid: process.pid, start: "1", sessionId: "second", tasks: [] });
      await w.hook("SessionStart", stdin("SessionStart", "third", { source: "startup" }), {
        CLAUDE_PID: PID,
      });
      expect(must(w.service.getSession("third")).predecessor).toBeNull();
    });
  });

  describe("UserPromptSubmit", () => {
    it("injects what arrived since, once; prints nothing when nothing did", async () => {
      const w = world();
      const p = must(w.service.createProject(w.human, { name: "P" }));
      await w.hook("SessionStart", stdin("SessionStart", "s-1", { source: "startup" }), { CLAUDE_PID: PID });
      const quiet = await w.hook("UserPromptSubmit", stdin("UserPromptSubmit", "s-1", { prompt: "go" }), {
        CLAUDE_PID: PID,
      });
      expect(quiet).toMatchObject({ printed: false, stdout: "" });
      expect(must(w.service.getSession("s-1")).state).toBe("working");

      const t = must(w.service.createTask(w.human, { projectId: p.id, title: "new work" }));
      must(w.service.assignTask(w.human, { taskId: t.id, session: "s-1" }));
      must(
        w.service.sendMessage(
          { kind: "session", id: "peer-session" },
          { to: "session:s-1", body: "ping from a peer" },
        ),
      );
      const r = await w.hook("UserPromptSubmit", stdin("UserPromptSubmit", "s-1", { prompt: "next" }), {
        CLAUDE_PID: PID,
      });
      const ctx = parsed(r.stdout).hookSpecificOutput;
      expect(ctx.hookEventName).toBe("UserPromptSubmit");
      expect(ctx.additionalContext).toContain("Newly yours (1)");
      expect(ctx.additionalContext).toContain("new work");
      expect(ctx.additionalContext).toContain("from session:peer-session to you");
      expect(ctx.additionalContext).toContain("ping from a peer");
      const again = await w.hook("UserPromptSubmit", stdin("UserPromptSubmit", "s-1", { prompt: "more" }), {
        CLAUDE_PID: PID,
      });
      expect(again.printed).toBe(false);
    });

    it("Notification, Stop and SessionEnd print nothing and record the state", async () => {
      const w = world();
      await w.hook("SessionStart", stdin("SessionStart", "s-1"), { CLAUDE_PID: PID });
      for (const [event, extra, state] of [
        [
          "Notification",
          { notification_type: "permission_prompt", message: "Claude needs your permission" },
          "waiting",
        ],
        ["Stop", { stop_hook_active: false, last_assistant_message: "done" }, "idle"],
        ["SessionEnd", { reason: "other" }, "ended"],
      ] as const) {
        const r = await w.hook(event, stdin(event, "s-1", extra), { CLAUDE_PID: PID });
        expect(r).toMatchObject({ printed: false, stdout: "", stderr: "" });
        expect(must(w.service.getSession("s-1")).state).toBe(state);
      }
    });

    it("a hook without CLAUDE_PID still works (no memory between events)", async () => {
      const w = world();
      const r = await w.hook("SessionStart", stdin("SessionStart", "s-1"));
      expect(r.printed).toBe(true);
      expect(existsSync(stateDir(w.dir))).toBe(false);
    });
  });
});
