// Claire's MCP server through a real MCP client (in-memory transport): the tools, their input
// validation, tool errors with clear text, attribution to the calling session, and following a
// succession when the server still knows only the old session id.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentApi } from "../src/agent/agent-api.ts";
import { processStart, stateDir, writeProcessState } from "../src/agent/hook-state.ts";
import { createClaireMcpServer } from "../src/agent/mcp-server.ts";
import {
  type AgentWorld,
  appClient,
  createAgentWorld,
  must,
  registerSession,
} from "./support/agent-world.ts";
import { tempDir } from "./support/temp-claire.ts";

const open: { w: AgentWorld; client: Client }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.client.close();
    o.w.close();
  }
});

const TOOLS = [
  "fleet_status",
  "list_tasks",
  "get_task",
  "ready_tasks",
  "next_task",
  "claim_task",
  "post_update",
  "complete_task",
  "read_inbox",
  "ack_inbox",
  "create_task",
  "send_message",
];

const connect = async (w: AgentWorld, env: Record<string, string | undefined>, ppid = 4321) => {
  const api: AgentApi = { call: (m, p, o) => appClient(w.app).call(m, p, o), close: () => {} };
  const server = createClaireMcpServer(api, env, { ppid, cwd: () => "/w/from-cwd" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(clientSide);
  open.push({ w, client });
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = (await client.callTool({ name, arguments: args })) as {
      content: { type: string; text: string }[];
      isError?: boolean;
    };
    return { text: r.content.map((c) => c.text).join("\n"), isError: r.isError === true };
  };
  return { client, call };
};

const setup = async (env: Record<string, string | undefined> = { CLAUDE_CODE_SESSION_ID: "s-1" }) => {
  const w = createAgentWorld({ machineName: "laptop" });
  const p = must(w.service.createProject(w.human, { name: "Payments" }));
  const { client, call } = await connect(w, env);
  return { w, p, client, call };
};

describe("Claire's MCP server", () => {
  it("offers its tools with input schemas", async () => {
    const { client } = await setup();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOLS].sort());
    const post = tools.find((t) => t.name === "post_update")!;
    expect(post.inputSchema).toMatchObject({ type: "object", required: ["text"] });
    expect(post.description).toMatch(/progress/);
    expect(tools.find((t) => t.name === "list_tasks")!.annotations?.readOnlyHint).toBe(true);
  });

  it("registers a session it has not heard of, and acts for it: claim, update, complete", async () => {
    const { w, p, call } = await setup({ CLAUDE_CODE_SESSION_ID: "s-1", CLAUDE_PROJECT_DIR: "/w/proj" });
    const t = must(w.service.createTask(w.human, { projectId: p.id, title: "Write the migration" }));
    const next = await call("next_task", { claim: true });
    expect(next.isError).toBe(false);
    expect(next.text).toContain("Claimed for you");
    expect(next.text).toContain("Write the migration");
    expect(must(w.service.getSession("s-1"))).toMatchObject({ cwd: "/w/proj", pid: 4321, state: "working" });
    const owner = must(w.service.getTask(t.id)).owner!;
    expect(owner).toMatchObject({ session: w.ref("s-1"), via: "claimed" });
    expect(must(w.service.listAssignments({ task: t.id }))[0]!.by).toEqual({ kind: "session", id: "s-1" });

    // The task is named by its handle (the last digits of its UUIDv7), as everywhere else.
    expect((await call("post_update", { task: t.handle, text: "schema drafted" })).text).toMatch(
      new RegExp(`^Posted progress update \\w{8} on task ${t.handle}\\.$`),
    );
    const [u] = must(w.service.listUpdates({ task: t.id }));
    expect(u).toMatchObject({
      kind: "progress",
      text: "schema drafted",
      session: w.ref("s-1"),
      actor: { kind: "session", id: "s-1" },
    });

    const done = await call("complete_task", { task: t.handle, summary: "migration merged" });
    expect(done.text).toContain("is done");
    expect(must(w.service.getTask(t.id)).status).toBe("done");
    expect((await call("fleet_status")).text).toContain("You are session s-1");
  });

  it("reads the inbox (marking it delivered), acknowledges it, sends messages, creates tasks", async () => {
    const { w, p, call } = await setup();
    registerSession(w, "s-1");
    registerSession(w, "s-2");
    must(w.service.sendMessage({ kind: "human", id: "alice" }, { to: "session:s-1", body: "please rebase" }));
    const inbox = await call("read_inbox");
    expect(inbox.text).toContain("from human:alice");
    expect(inbox.text).toContain("please rebase");
    expect(must(w.service.inbox("s-1"))[0]!.delivery.state).toBe("delivered");
    expect((await call("ack_inbox")).text).toMatch(/Acknowledged 1 message/);
    expect((await call("read_inbox")).text).toBe("Your inbox is empty.");

    const sent = await call("send_message", { to: "session:s-2", body: "I took the migration" });
    expect(sent.text).toContain("it reaches 1 session now, 1 inbox on this machine");
    expect(sent.text).not.toContain("Note:");
    expect(must(w.service.inbox("s-2"))[0]!.message.sender).toEqual({ kind: "session", id: "s-1" });

    const created = await call("create_task", {
      project: "Payments",
      title: "Backfill",
      priority: "high",
      labels: ["db"],
    });
    expect(created.text).toMatch(/Created task \w+ "Backfill" \[todo, high\]/);
    const list = await call("list_tasks", { project: p.id, status: ["todo"] });
    expect(list.text).toContain("Backfill #db");
    // Without a status, finished tasks stay out; asked for, they are there.
    const old = must(w.service.createTask(w.human, { projectId: p.id, title: "Long done" }));
    must(w.service.changeTaskStatus(w.human, old.id, "done"));
    expect((await call("list_tasks", { project: p.id })).text).not.toContain("Long done");
    expect((await call("list_tasks", { project: p.id, status: ["done"] })).text).toContain("Long done");
    const ready = await call("ready_tasks");
    expect(ready.text).toContain("Backfill");
    const id = must(w.service.listTasks({ project: p.id })).tasks[0]!.handle;
    expect((await call("get_task", { task: id })).text).toContain("title: Backfill");
  });

  it("returns clear tool errors: bad input, unknown ids, conflicts, no session", async () => {
    const { w, p, call } = await setup();
    registerSession(w, "s-1");
    registerSession(w, "s-2");
    const t = must(w.service.createTask(w.human, { projectId: p.id, title: "taken" }));
    must(w.service.claimTask({ kind: "session", id: "s-2" }, { taskId: t.id, session: "s-2" }));

    const missing = await call("post_update", { task: t.id });
    expect(missing).toMatchObject({ isError: true });
    expect(missing.text).toMatch(/Input validation error.*text/s);
    const extra = await call("claim_task", { task: t.id, session: "s-2" });
    expect(extra.isError).toBe(true);
    const unknown = await call("get_task", { task: "ffffffff" });
    expect(unknown).toEqual({ isError: true, text: "get_task: no task matches 'ffffffff' (404 Not Found)" });
    const conflict = await call("claim_task", { task: t.handle });
    expect(conflict.isError).toBe(true);
    expect(conflict.text).toContain("already owned by session s-2");
    // A real (UUID) session id is named by its handle, as everywhere else.
    const other = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    registerSession(w, other);
    const t2 = must(w.service.createTask(w.human, { projectId: p.id, title: "taken by a uuid" }));
    must(w.service.claimTask({ kind: "session", id: other }, { taskId: t2.id, session: other }));
    const byHandle = await call("claim_task", { task: t2.handle });
    expect(byHandle.text).toContain("already owned by session 7c1d2e3f (409");
    expect((await call("get_task", { task: t2.handle })).text).not.toContain(other);
    const notMine = await call("complete_task", { task: t.handle });
    expect(notMine.text).toContain("only its owner (or a person) completes it");

    const { call: anonymous } = await connect(w, {});
    const none = await anonymous("fleet_status");
    expect(none.isError).toBe(true);
    expect(none.text).toContain("CLAUDE_CODE_SESSION_ID is not set");
  });

  it("after /clear it still knows only the old id, and acts for the successor", async () => {
    const { w, p, call } = await setup({ CLAUDE_CODE_SESSION_ID: "before-clear" });
    registerSession(w, "before-clear");
    const t = must(w.service.createTask(w.human, { projectId: p.id, title: "follows the session" }));
    must(w.service.assignTask(w.human, { taskId: t.id, session: "before-clear" }));
    // What Claude Code sends on /clear: the old session ends, the new one starts.
    must(
      w.service.hookEvent(
        { kind: "session", id: "before-clear" },
        { event: "SessionEnd", sessionId: "before-clear", reason: "clear" },
      ),
    );
    must(
      w.service.hookEvent(
        { kind: "session", id: "after-clear" },
        { event: "SessionStart", sessionId: "after-clear", source: "clear", predecessor: "before-clear" },
      ),
    );
    const r = await call("post_update", { task: t.handle, text: "still on it" });
    expect(r.isError).toBe(false);
    const [u] = must(w.service.listUpdates({ task: t.id }));
    expect(u).toMatchObject({ session: w.ref("after-clear"), actor: { kind: "session", id: "after-clear" } });
    const status = await call("fleet_status");
    expect(status.text).toContain("You are session after-cl");
    expect(status.text).toContain("continuing before-c");
    expect(status.text).toContain("follows the session — yours (assigned)");
  });

  it("acts for the session its Claude process runs now, as the hooks recorded it, whatever the chain says", async () => {
    // This test process stands for the Claude process (the MCP server's parent): its hooks'
    // memory says it runs "now-running", though the server was started with the id "resumed-old".
    const home = tempDir("claire-mcp-process-");
    const w = createAgentWorld({ machineName: "laptop" });
    registerSession(w, "resumed-old");
    registerSession(w, "now-running");
    writeProcessState(stateDir(join(home)), {
      pid: process.pid,
      start: processStart(process.pid),
      sessionId: "now-running",
      tasks: [],
    });
    const { call } = await connect(
      w,
      { CLAUDE_CODE_SESSION_ID: "resumed-old", CLAIRE_HOME: home },
      process.pid,
    );
    expect((await call("post_update", { text: "from the running one" })).isError).toBe(false);
    const [u] = must(w.service.listUpdates({}));
    expect(u).toMatchObject({ session: w.ref("now-running") });
    rmSync(home, { recursive: true, force: true });
  });
});
