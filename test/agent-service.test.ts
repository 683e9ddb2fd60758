// The agent service operations: hook events (registration, state, succession, briefing),
// sessions following successions, completing tasks, direct messages, claim-loss notices.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HOOK_EVENT_NAMES } from "../src/agent/hook-input.ts";
import { deliveryId } from "../src/domain/message.ts";
import type { HookResult } from "../src/service/agent.ts";
import { HOOK_EVENTS } from "../src/service/agent-inputs.ts";
import { claimLostNoticeId } from "../src/service/claim-notices.ts";
import { type AgentWorld, createAgentWorld, must, registerSession } from "./support/agent-world.ts";

const worlds: AgentWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});
const world = (opts: Parameters<typeof createAgentWorld>[0] = {}) => {
  const w = createAgentWorld(opts);
  worlds.push(w);
  return w;
};
const as = (id: string) => ({ kind: "session" as const, id });

const setup = () => {
  const w = world({ machineName: "laptop" });
  const p = must(w.service.createProject(w.human, { name: "Payments" }));
  const task = (title: string, extra: Record<string, unknown> = {}) =>
    must(w.service.createTask(w.human, { projectId: p.id, title, ...extra }));
  return { w, p, task };
};

const hook = (w: AgentWorld, input: Record<string, unknown>): HookResult =>
  must(w.service.hookEvent(as(String(input.sessionId)), input));

describe("hook events", () => {
  it("name the same events on the hook side, the service side and the entry's code-cache choice", () => {
    expect([...HOOK_EVENT_NAMES]).toEqual([...HOOK_EVENTS]);
    const bin = readFileSync(join(import.meta.dirname, "..", "bin", "claire.cjs"), "utf8");
    const listed = /var HOOK_EVENTS = (\[[^\]]*\]);/.exec(bin);
    expect(listed, "bin/claire.cjs names the hook events").not.toBeNull();
    expect(JSON.parse(listed![1]!)).toEqual([...HOOK_EVENTS]);
  });

  it("register the session with what SessionStart knows, and move its state along", () => {
    const { w } = setup();
    const r = hook(w, {
      event: "SessionStart",
      sessionId: "s-1",
      cwd: "/work/pay",
      transcriptPath: "/cfg/projects/-work-pay/s-1.jsonl",
      source: "startup",
      claudePid: 4242,
    });
    expect(r.session).toEqual({ machineId: w.machineId, sessionId: "s-1", handle: "s-1" });
    const s = must(w.service.getSession("s-1"));
    expect(s).toMatchObject({
      cwd: "/work/pay",
      transcriptPath: "/cfg/projects/-work-pay/s-1.jsonl",
      pid: 4242,
      source: "claude",
      state: "idle",
    });
    expect(s.firstActivity).not.toBeNull();
    const state = () => {
      const v = must(w.service.getSession("s-1"));
      return [v.state, v.stateReason];
    };
    hook(w, { event: "UserPromptSubmit", sessionId: "s-1" });
    expect(state()).toEqual(["working", null]);
    hook(w, {
      event: "Notification",
      sessionId: "s-1",
      notificationType: "permission_prompt",
      message: "Claude needs your permission",
    });
    expect(state()).toEqual(["waiting", "permission"]);
    hook(w, { event: "Notification", sessionId: "s-1", notificationType: "idle_prompt" });
    expect(state()).toEqual(["waiting", "input"]);
    hook(w, { event: "Stop", sessionId: "s-1" });
    expect(state()).toEqual(["idle", null]);
    hook(w, { event: "SessionEnd", sessionId: "s-1", reason: "prompt_input_exit" });
    expect(state()).toEqual(["ended", "prompt_input_exit"]);
    expect(must(w.service.getSession("s-1")).pid).toBeNull();
  });

  it("a hook of an unknown session registers it; compaction does not change the state", () => {
    const { w } = setup();
    hook(w, { event: "Stop", sessionId: "late", cwd: "/x" });
    expect(must(w.service.getSession("late"))).toMatchObject({ state: "idle", cwd: "/x" });
    hook(w, { event: "UserPromptSubmit", sessionId: "late" });
    hook(w, { event: "SessionStart", sessionId: "late", source: "compact" });
    expect(must(w.service.getSession("late")).state).toBe("working");
  });

  it("a SessionEnd of a session never heard of (what `claude mcp list` fires) writes nothing", () => {
    const { w } = setup();
    const before = w.eventCount();
    const r = hook(w, { event: "SessionEnd", sessionId: "mcp-list-run", reason: "other", cwd: "/x" });
    expect(r).toMatchObject({ context: null, messages: [], tasks: [] });
    expect(w.eventCount()).toBe(before);
    expect(w.service.getSession("mcp-list-run").ok).toBe(false);
  });

  it("refuse bad input with a validation error and write nothing", () => {
    const { w } = setup();
    const before = w.eventCount();
    for (const bad of [
      { event: "Bogus", sessionId: "s" },
      { event: "Stop", sessionId: "has space" },
      { event: "Stop" },
      { event: "Stop", sessionId: "s", extra: 1 },
      { event: "SessionStart", sessionId: "s", budget: 20_000 },
    ]) {
      const r = w.service.hookEvent(as("s"), bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.type).toBe("ValidationError");
    }
    expect(w.eventCount()).toBe(before);
  });
});

describe("the SessionStart briefing", () => {
  it("lists the session's open tasks and unread messages with their senders", () => {
    const { w, task } = setup();
    registerSession(w, "s-1", "/work/pay");
    const t = task("Write the migration", { description: "Add the ledger table.", priority: "high" });
    must(w.service.assignTask(w.human, { taskId: t.id, session: "s-1" }));
    const done = task("Already done");
    must(w.service.assignTask(w.human, { taskId: done.id, session: "s-1" }));
    must(w.service.changeTaskStatus(w.human, done.id, "done"));
    must(w.service.createGroup(w.human, { name: "backend", rules: ["cwd:/work/**"] }));
    const m = must(
      w.service.sendMessage(
        { kind: "human", id: "alice@laptop" },
        { to: "group:backend", body: "Freeze merges at 5pm." },
      ),
    ).message;
    const r = hook(w, { event: "SessionStart", sessionId: "s-1", source: "resume" });
    expect(r.context).toContain('session s-1 on machine "laptop"');
    expect(r.context).toContain(`task ${t.handle} [todo, high] Write the migration (project "Payments")`);
    expect(r.context).toContain("Add the ledger table.");
    expect(r.context).not.toContain("Already done");
    expect(r.context).toContain(`message ${m.handle} from human:alice@laptop to group "backend"`);
    expect(r.context).toContain("Freeze merges at 5pm.");
    expect(r.messages).toEqual([m.id]);
    expect(r.tasks).toEqual([t.id]);
    // The service does not mark anything delivered: the hook does, once it printed the text.
    expect(must(w.service.inbox("s-1"))[0]!.delivery.state).toBe("pending");
  });

  it("offers ready tasks nobody owns to a session without a task", () => {
    const { w, task } = setup();
    const free = task("Free work", { priority: "urgent" });
    const other = task("Someone else's");
    registerSession(w, "other");
    must(w.service.assignTask(w.human, { taskId: other.id, session: "other" }));
    const r = hook(w, { event: "SessionStart", sessionId: "new", source: "startup" });
    expect(r.context).toContain("You have no task yet");
    expect(r.context).toContain(`task ${free.handle} [todo, urgent] Free work`);
    expect(r.context).not.toContain("Someone else's");
    expect(r.tasks).toEqual([]);
  });

  it("stays within the budget; messages are whole or left out and stay pending", () => {
    const { w, task } = setup();
    registerSession(w, "s-1");
    for (let i = 0; i < 20; i++) {
      const t = task(`task number ${i}`, { description: "d".repeat(2000) });
      must(w.service.assignTask(w.human, { taskId: t.id, session: "s-1" }));
    }
    const ids: string[] = [];
    for (let i = 0; i < 50; i++)
      ids.push(
        must(w.service.sendMessage(w.human, { to: "session:s-1", body: `msg ${i} ${"x".repeat(300)}` }))
          .message.id,
      );
    const huge = must(w.service.sendMessage(w.human, { to: "session:s-1", body: "H".repeat(15_000) })).message
      .id;
    const r = hook(w, { event: "SessionStart", sessionId: "s-1", budget: 9_900 });
    expect(JSON.stringify(r.context).length - 2).toBeLessThanOrEqual(9_900);
    expect(r.messages.length).toBeGreaterThan(5);
    expect(r.messages.length).toBeLessThan(50);
    expect(r.messages).not.toContain(huge);
    for (const id of r.messages) {
      const body = must(w.service.getMessage(id)).body;
      expect(r.context).toContain(body);
    }
    expect(r.context).toMatch(/\d+ more unread message\(s\) did not fit/);
    expect(r.context).toContain("… and");
    expect(ids.slice(0, r.messages.length)).toEqual(r.messages);
  });
});

describe("the UserPromptSubmit briefing", () => {
  it("says once that a task the session was working on was cancelled", () => {
    const { w, task } = setup();
    registerSession(w, "s-1");
    const t = task("no longer wanted");
    must(w.service.assignTask(w.human, { taskId: t.id, session: "s-1" }));
    must(w.service.changeTaskStatus(w.human, t.id, "cancelled"));
    const r = hook(w, { event: "UserPromptSubmit", sessionId: "s-1", knownTasks: [t.id] });
    expect(r.context).toContain("Cancelled since (stop working on them):");
    expect(r.context).toContain(`task ${t.handle} [cancelled`);
    expect(r.tasks).toEqual([]);
    // The next prompt knows only the open tasks: it is not said again.
    expect(hook(w, { event: "UserPromptSubmit", sessionId: "s-1", knownTasks: r.tasks }).context).toBeNull();
  });

  it("says nothing when nothing is new", () => {
    const { w } = setup();
    registerSession(w, "s-1");
    const r = hook(w, { event: "UserPromptSubmit", sessionId: "s-1", knownTasks: [] });
    expect(r.context).toBeNull();
  });

  it("brings pending messages, tasks newly owned and tasks taken away", () => {
    const { w, task } = setup();
    registerSession(w, "s-1");
    registerSession(w, "s-2");
    const kept = task("kept");
    const gone = task("gone");
    const fresh = task("fresh");
    for (const t of [kept, gone]) must(w.service.assignTask(w.human, { taskId: t.id, session: "s-1" }));
    must(w.service.assignTask(w.human, { taskId: gone.id, session: "s-2" }));
    must(w.service.assignTask(w.human, { taskId: fresh.id, session: "s-1" }));
    const m = must(
      w.service.sendMessage({ kind: "session", id: "s-2" }, { to: "session:s-1", body: "rebase please" }),
    );
    const r = hook(w, { event: "UserPromptSubmit", sessionId: "s-1", knownTasks: [kept.id, gone.id] });
    expect(r.context).toContain("Newly yours (1)");
    expect(r.context).toContain(`task ${fresh.handle}`);
    expect(r.context).toContain("No longer yours");
    expect(r.context).toContain(`task ${gone.handle}`);
    expect(r.context).not.toContain(`task ${kept.handle}`);
    expect(r.context).toContain("from session:s-2 to you");
    expect(r.messages).toEqual([m.message.id]);
    expect(new Set(r.tasks)).toEqual(new Set([kept.id, fresh.id]));
    // Without knownTasks (no memory of an earlier briefing) only messages come.
    const plain = hook(w, { event: "UserPromptSubmit", sessionId: "s-1" });
    expect(plain.context).not.toContain("Newly yours");
  });
});

describe("succession", () => {
  it("moves open assignments (claimed, assigned, accepted) and unread deliveries to the successor", () => {
    const { w, task } = setup();
    registerSession(w, "old");
    const assigned = task("assigned");
    const claimed = task("claimed");
    const finished = task("finished");
    const a = must(w.service.assignTask(w.human, { taskId: assigned.id, session: "old" }));
    must(w.service.changeAssignmentState(w.human, a.assignment!.id, "accepted"));
    must(w.service.claimTask(as("old"), { taskId: claimed.id, session: "old" }));
    must(w.service.assignTask(w.human, { taskId: finished.id, session: "old" }));
    must(w.service.changeTaskStatus(w.human, finished.id, "done"));
    const read = must(w.service.sendMessage(w.human, { to: "session:old", body: "ALREADY-READ" })).message;
    must(w.service.markDelivered(w.human, "old", [read.id]));
    const unread = must(w.service.sendMessage(w.human, { to: "session:old", body: "NOT-YET-READ" })).message;
    hook(w, { event: "SessionEnd", sessionId: "old", reason: "clear" });

    const r = hook(w, { event: "SessionStart", sessionId: "new", source: "clear", predecessor: "old" });
    expect(r.predecessor).toBe(`${w.machineId}/old`);
    expect(must(w.service.getSession("new")).predecessor).toBe(`${w.machineId}/old`);
    expect(must(w.service.getSession("old")).successor).toBe(`${w.machineId}/new`);
    for (const t of [assigned, claimed])
      expect(must(w.service.getTask(t.id)).owner?.session).toEqual(w.ref("new"));
    expect(must(w.service.getTask(finished.id)).owner?.session).toEqual(w.ref("old"));
    const moved = must(w.service.listAssignments({ task: assigned.id, current: true }))[0]!;
    expect(moved).toMatchObject({ state: "accepted", by: { kind: "machine", id: w.machineId } });
    const released = must(w.service.listAssignments({ task: claimed.id })).find(
      (x) => x.session.sessionId === "old",
    )!;
    expect(released.state).toBe("released");
    expect(must(w.service.inbox("new")).map((i) => i.message.id)).toEqual([unread.id]);
    expect(r.context).toContain("continues session old");
    expect(r.context).toContain("assigned");
    expect(r.context).toContain("NOT-YET-READ");
    expect(r.context).not.toContain("ALREADY-READ");
    expect(r.messages).toEqual([unread.id]);
    // The old session's release makes no claim-loss notice.
    expect(w.store.q.messages.hlcOf(claimLostNoticeId(released.id))).toBeNull();
  });

  /** What Claude Code sends on /clear: the old session ends, then its successor starts. */
  const clear = (w: ReturnType<typeof setup>["w"], from: string, to: string) => {
    hook(w, { event: "SessionEnd", sessionId: from, reason: "clear" });
    return hook(w, { event: "SessionStart", sessionId: to, source: "clear", predecessor: from });
  };

  it("follows successions for messages to the old id and for whoAmI", () => {
    const { w } = setup();
    registerSession(w, "a");
    clear(w, "a", "b");
    clear(w, "b", "c");
    const m = must(w.service.sendMessage(w.human, { to: "session:a", body: "to the old id" }));
    expect(m.localTargets).toBe(1);
    expect(must(w.service.inbox("c")).map((i) => i.message.body)).toEqual(["to the old id"]);
    expect(must(w.service.inbox("a"))).toEqual([]);
    expect(must(w.service.whoAmI(`${w.machineId}/a`))).toMatchObject({
      session: { sessionId: "c" },
      asked: `${w.machineId}/a`,
      followed: [`${w.machineId}/a`, `${w.machineId}/b`],
    });
    expect(must(w.service.whoAmI(`${w.machineId}/b`)).followed).toEqual([`${w.machineId}/b`]);
    expect(must(w.service.whoAmI("c")).followed).toEqual([]);
  });

  it("a session resumed after /clear is itself again: its calls, its messages, the work its ended successor left", () => {
    const { w, task } = setup();
    registerSession(w, "a");
    const t = task("moves along the chain");
    must(w.service.assignTask(w.human, { taskId: t.id, session: "a" }));
    clear(w, "a", "b");
    expect(must(w.service.getTask(t.id)).owner?.session).toEqual(w.ref("b"));
    const waiting = must(w.service.sendMessage(w.human, { to: "session:b", body: "B-NEVER-SAW" })).message;
    hook(w, { event: "SessionEnd", sessionId: "b", reason: "prompt_input_exit" });
    // `claude --resume a`, later, in a new process.
    const r = hook(w, { event: "SessionStart", sessionId: "a", source: "resume" });
    expect(must(w.service.whoAmI(`${w.machineId}/a`))).toMatchObject({
      session: { sessionId: "a" },
      followed: [],
    });
    expect(must(w.service.getTask(t.id)).owner?.session).toEqual(w.ref("a"));
    expect(r.context).toContain("moves along the chain");
    expect(r.context).toContain("B-NEVER-SAW");
    expect(r.messages).toEqual([waiting.id]);
    const direct = must(w.service.sendMessage(w.human, { to: "session:a", body: "for a, running again" }));
    expect(direct.localTargets).toBe(1);
    expect(must(w.service.inbox("a")).map((i) => i.message.body)).toContain("for a, running again");
    expect(must(w.service.inbox("b")).map((i) => i.message.body)).not.toContain("for a, running again");
  });

  it("a resumed session /clear-ed again is continued by the new one: work, messages and the old id follow", () => {
    const { w, task } = setup();
    registerSession(w, "a");
    const t = task("follows the latest conversation");
    must(w.service.assignTask(w.human, { taskId: t.id, session: "a" }));
    clear(w, "a", "b");
    hook(w, { event: "SessionEnd", sessionId: "b", reason: "prompt_input_exit" });
    hook(w, { event: "SessionStart", sessionId: "a", source: "resume" });
    expect(must(w.service.getTask(t.id)).owner?.session).toEqual(w.ref("a"));
    const r = clear(w, "a", "c");
    expect(r.predecessor).toBe(`${w.machineId}/a`);
    expect(must(w.service.getTask(t.id)).owner?.session).toEqual(w.ref("c"));
    expect(must(w.service.whoAmI(`${w.machineId}/a`)).session.sessionId).toBe("c");
    const m = must(w.service.sendMessage(w.human, { to: "session:a", body: "to the old id, again" }));
    expect(m.localTargets).toBe(1);
    expect(must(w.service.inbox("c")).map((i) => i.message.body)).toContain("to the old id, again");
    expect(must(w.service.inbox("b")).map((i) => i.message.body)).not.toContain("to the old id, again");
  });

  it("a resumed session leaves the work of a successor that still runs where it is", () => {
    const { w, task } = setup();
    registerSession(w, "a");
    const t = task("stays with b");
    must(w.service.assignTask(w.human, { taskId: t.id, session: "a" }));
    clear(w, "a", "b");
    hook(w, { event: "SessionStart", sessionId: "a", source: "resume" });
    expect(must(w.service.getTask(t.id)).owner?.session).toEqual(w.ref("b"));
    expect(must(w.service.whoAmI(`${w.machineId}/b`)).session.sessionId).toBe("b");
    expect(must(w.service.whoAmI(`${w.machineId}/a`)).session.sessionId).toBe("a");
  });

  it("shows a message once per conversation: not again to a resumed session once its successor was shown it", () => {
    const { w } = setup();
    registerSession(w, "a");
    const m = must(w.service.sendMessage(w.human, { to: "session:a", body: "ONCE-PER-CHAIN" })).message;
    const shown = clear(w, "a", "b");
    expect(shown.messages).toEqual([m.id]);
    must(w.service.markDelivered(as("b"), "b", [m.id]));
    must(w.service.acknowledge(as("b"), "b", [m.id]));
    hook(w, { event: "SessionEnd", sessionId: "b", reason: "prompt_input_exit" });
    const r = hook(w, { event: "SessionStart", sessionId: "a", source: "resume" });
    expect(r.context ?? "").not.toContain("ONCE-PER-CHAIN");
    expect(r.messages).toEqual([]);
  });

  it("ignores a predecessor that is unknown, itself, already continued, or would make a cycle", () => {
    const { w } = setup();
    registerSession(w, "a");
    expect(hook(w, { event: "SessionStart", sessionId: "x", predecessor: "nobody" }).predecessor).toBeNull();
    expect(hook(w, { event: "SessionStart", sessionId: "a", predecessor: "a" }).predecessor).toBeNull();
    expect(hook(w, { event: "SessionStart", sessionId: "b", predecessor: "a" }).predecessor).not.toBeNull();
    expect(hook(w, { event: "SessionStart", sessionId: "c", predecessor: "a" }).predecessor).toBeNull();
    expect(hook(w, { event: "SessionStart", sessionId: "a", predecessor: "b" }).predecessor).toBeNull();
    expect(must(w.service.getSession("b")).successor).toBeNull();
  });
});

describe("direct messages", () => {
  it("reach a session that is not running: it reads them when resumed", () => {
    const { w } = setup();
    registerSession(w, "s-1");
    hook(w, { event: "SessionEnd", sessionId: "s-1", reason: "other" });
    w.clock.now += 60_000;
    const direct = must(w.service.sendMessage(w.human, { to: "session:s-1", body: "when you are back" }));
    expect(direct.localTargets).toBe(1);
    // The sender is told: nobody reads it until the conversation is resumed.
    expect(direct.reaches).toBe(0);
    expect(direct.warning).toMatch(
      /^session s-1 has ended: the message waits in its inbox .*claude --resume/,
    );
    // A broadcast does not reach an ended session, and says it reaches nobody.
    const everyone = must(w.service.sendMessage(w.human, { to: "all", body: "everyone" }));
    expect(everyone.localTargets).toBe(0);
    expect(everyone.reaches).toBe(0);
    expect(everyone.warning).toMatch(/^no running session is reached now/);
    const r = hook(w, { event: "SessionStart", sessionId: "s-1", source: "resume" });
    expect(r.context).toContain("when you are back");
    expect(r.context).not.toContain("everyone");
  });
});

describe("whoAmI, registerSession, completeTask", () => {
  it("registers an unknown session once and answers who it is", () => {
    const { w } = setup();
    expect(w.service.whoAmI("mcp-only").ok).toBe(false);
    const s = must(w.service.registerSession(as("mcp-only"), { sessionId: "mcp-only", cwd: "/w", pid: 77 }));
    expect(s).toMatchObject({ sessionId: "mcp-only", cwd: "/w", pid: 77, state: "working" });
    const events = w.eventCount();
    must(w.service.registerSession(as("mcp-only"), { sessionId: "mcp-only", cwd: "/elsewhere" }));
    expect(w.eventCount()).toBe(events);
    expect(must(w.service.whoAmI("mcp-only")).session.cwd).toBe("/w");
  });

  it("completes an owned task: done, assignment done, a 'done' update by the session", () => {
    const { w, task } = setup();
    registerSession(w, "s-1");
    registerSession(w, "s-2");
    const t = task("finish me");
    must(w.service.claimTask(as("s-1"), { taskId: t.id, session: "s-1" }));
    const refused = w.service.completeTask(as("s-2"), { session: "s-2", taskId: t.id });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.type).toBe("ConflictError");
    const r = must(
      w.service.completeTask(as("s-1"), { session: "s-1", taskId: t.handle, summary: "shipped" }),
    );
    expect(r.task.status).toBe("done");
    expect(r.update).toMatchObject({
      kind: "done",
      text: "shipped",
      taskId: t.id,
      session: w.ref("s-1"),
      actor: { kind: "session", id: "s-1" },
    });
    expect(must(w.service.listAssignments({ task: t.id }))[0]!.state).toBe("done");
    const again = w.service.completeTask(as("s-1"), { session: "s-1", taskId: t.id });
    expect(again.ok).toBe(false);
    const cancelled = task("cancelled");
    must(w.service.changeTaskStatus(w.human, cancelled.id, "cancelled"));
    const bad = w.service.completeTask(as("s-1"), { session: "s-1", taskId: cancelled.id });
    expect(bad.ok === false && bad.error.type).toBe("InvalidTransitionError");
  });
});

describe("claim-loss notices on one machine", () => {
  it("a person's assignment over a claim tells the claimant, once, with a deterministic id", () => {
    const { w, task } = setup();
    registerSession(w, "agent");
    registerSession(w, "other");
    const t = task("contested");
    const claim = must(w.service.claimTask(as("agent"), { taskId: t.id, session: "agent" })).assignment!;
    must(w.service.assignTask({ kind: "human", id: "bob@desk" }, { taskId: t.id, session: "other" }));
    const inbox = must(w.service.inbox("agent"));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.message.id).toBe(claimLostNoticeId(claim.id));
    expect(inbox[0]!.message.sender).toEqual({ kind: "machine", id: w.machineId });
    expect(inbox[0]!.message.body).toContain(`Your claim on task ${t.handle} "contested" did not hold`);
    expect(inbox[0]!.message.body).toContain("by human:bob@desk");
    expect(inbox[0]!.delivery.id).toBe(deliveryId(claimLostNoticeId(claim.id), w.ref("agent")));
    // Another change to the same task makes no second notice.
    must(w.service.unassignTask(w.human, t.id));
    expect(must(w.service.inbox("agent", { all: true }))).toHaveLength(1);
    expect(must(w.service.inbox("other"))).toHaveLength(0);
  });

  it("a released or finished claim gets no notice", () => {
    const { w, task } = setup();
    registerSession(w, "agent");
    registerSession(w, "other");
    const t = task("let go");
    const claim = must(w.service.claimTask(as("agent"), { taskId: t.id, session: "agent" })).assignment!;
    must(w.service.changeAssignmentState(as("agent"), claim.id, "released"));
    must(w.service.assignTask(w.human, { taskId: t.id, session: "other" }));
    expect(must(w.service.inbox("agent"))).toHaveLength(0);
  });
});

describe("when a task last changed", () => {
  it("includes its assignments: a claim, a person's assignment and their states move it, on the board too", () => {
    const { w, p, task } = setup();
    registerSession(w, "s-1", "/work/pay");
    const t = task("Migrate the ledger");
    const created = must(w.service.getTask(t.id)).updatedAt;
    const card = () => must(w.service.projectBoard(p.id)).cards.find((c) => c.id === t.id)!.updatedAt;
    expect(card()).toBe(created);

    w.clock.now += 60_000;
    must(w.service.claimTask(as("s-1"), { taskId: t.id, session: "s-1" }));
    const claimed = must(w.service.getTask(t.id)).updatedAt;
    expect(Date.parse(claimed!) - Date.parse(created!)).toBeGreaterThanOrEqual(60_000);
    expect(card()).toBe(claimed);

    w.clock.now += 60_000;
    const owner = must(w.service.getTask(t.id)).owner!;
    must(w.service.changeAssignmentState(as("s-1"), owner.assignmentId, "accepted"));
    const accepted = must(w.service.getTask(t.id)).updatedAt;
    expect(Date.parse(accepted!) - Date.parse(claimed!)).toBeGreaterThanOrEqual(60_000);
    expect(card()).toBe(accepted);
  });
});
