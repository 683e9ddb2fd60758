// The hook's API when no server runs (src/agent/hook-local.ts): the service answering the hook's two
// calls as the API would, refusing anything else, and opening this machine's files like the CLI.
// The hook run through it end to end is in agent-hook-run.test.ts ("through the service itself").
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openLocalHookApi, serviceHookApi } from "../src/agent/hook-local.ts";
import { type AgentWorld, createAgentWorld, must } from "./support/agent-world.ts";
import { tempDir } from "./support/temp-claire.ts";

const worlds: AgentWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});
const world = () => {
  const w = createAgentWorld({ machineName: "laptop" });
  worlds.push(w);
  return w;
};

const SESSION = "3f2b8c1d-0a9e-4d7c-8b6a-5e4f3d2c1b0a";
const event = { event: "SessionStart", sessionId: SESSION, cwd: "/w/proj", source: "startup" };

describe("serviceHookApi", () => {
  it("answers a hook event and a delivery as the API app does", async () => {
    const w = world();
    // Another session through the app, for comparison: the same answer but for the ids.
    const viaApp = await w.client(`session:${SESSION.replace("3f", "4f")}`).call("POST", "/agent/hook", {
      body: { ...event, sessionId: SESSION.replace("3f", "4f") },
    });
    const api = serviceHookApi(w.service, `session:${SESSION}`);
    const direct = await api.call("POST", "/agent/hook", { body: event });
    expect(direct.status).toBe(200);
    expect(viaApp.status).toBe(200);
    const shape = (b: unknown) => JSON.parse(JSON.stringify(b).replaceAll(/[34]f2b8c1d/g, "S"));
    expect(shape(direct.body)).toEqual(shape(viaApp.body));
    must(w.service.sendMessage({ kind: "human", id: "alice" }, { to: "all", body: "standup at 10" }));
    const next = await api.call("POST", "/agent/hook", { body: { ...event, event: "UserPromptSubmit" } });
    const body = next.body as { session: { machineId: string }; messages: string[]; context: string };
    expect(body.context).toContain("standup at 10");
    expect(body.messages).toHaveLength(1);
    const marked = await api.call("POST", "/agent/delivered", {
      body: { session: `${body.session.machineId}/${SESSION}`, messages: body.messages },
    });
    expect(marked.status).toBe(200);
    expect(must(w.service.inbox(SESSION))[0]!.delivery.state).toBe("delivered");
    // The session is the actor of what it recorded.
    expect(must(w.service.getSession(SESSION))).toMatchObject({ sessionId: SESSION, cwd: "/w/proj" });
  });

  it("refuses bad input with the API's statuses and writes nothing", async () => {
    const w = world();
    const api = serviceHookApi(w.service, `session:${SESSION}`);
    const before = w.eventCount();
    const bad = await api.call("POST", "/agent/hook", { body: { ...event, event: "PreToolUse" } });
    expect(bad.status).toBe(422);
    expect((bad.body as { detail: string }).detail).toMatch(/event/);
    expect((await api.call("POST", "/agent/hook", { body: "not an object" })).status).toBe(422);
    expect((await api.call("POST", "/agent/delivered", { body: { session: 7 } })).status).toBe(422);
    expect((await api.call("GET", "/tasks")).status).toBe(404);
    const other = await api.call("POST", "/agent/hook", { body: event, actor: "session:someone-else" });
    expect(other.status).toBe(400);
    expect(w.eventCount()).toBe(before);
    expect(() => serviceHookApi(w.service, "nobody")).toThrow(/not an actor/);
    expect(() => serviceHookApi(w.service, "robot:x")).toThrow(/not an actor/);
  });
});

describe("openLocalHookApi", () => {
  it("initialises a machine that has never run Claire, as the CLI does, and answers", async () => {
    const home = tempDir();
    const api = openLocalHookApi(`session:${SESSION}`, { CLAIRE_HOME: home });
    try {
      const r = await api.call("POST", "/agent/hook", { body: event });
      expect(r.status).toBe(200);
      expect((r.body as { context: string }).context).toContain(`session ${SESSION.slice(0, 8)}`);
    } finally {
      api.close();
    }
  });

  it("refuses a corrupt claire.toml with the CLI's message, naming the file", () => {
    const home = tempDir();
    writeFileSync(join(home, "claire.toml"), "machine_id = [\n");
    expect(() => openLocalHookApi(`session:${SESSION}`, { CLAIRE_HOME: home })).toThrow(
      join(home, "claire.toml"),
    );
  });
});
