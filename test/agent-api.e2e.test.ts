// The API as the MCP server holds it for a whole Claude Code session: the running server when there
// is one, this process's own in-process app while none answers, and the server again once one runs
// (one writer whenever a server runs), including after a restart on another port.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentApi } from "../src/agent/agent-api.ts";
import { ensureBuilt, killAllServes, runCli, startServe, tempHome } from "./support/cli-run.ts";

let home: string;
const saved = process.env.CLAIRE_HOME;
beforeAll(() => {
  ensureBuilt();
  home = tempHome("claire-agent-api-");
  process.env.CLAIRE_HOME = home;
});
afterAll(async () => {
  await killAllServes();
  if (saved === undefined) delete process.env.CLAIRE_HOME;
  else process.env.CLAIRE_HOME = saved;
  rmSync(home, { recursive: true, force: true });
});

const healthCalls = (s: { requests: () => { path: string }[] }) =>
  s.requests().filter((r) => r.path === "/api/v1/health").length;

describe("the agent API of a long-lived process", () => {
  it("goes back to a server restarted after it stopped answering", async () => {
    const first = await startServe(home, ["--port", "0"], { CLAIRE_LOG_LEVEL: "info" });
    const api = createAgentApi();
    try {
      expect((await api.call("GET", "/health")).status).toBe(200);
      expect(healthCalls(first)).toBe(1);
      await first.stop();
      // No server: answered in this process.
      expect((await api.call("GET", "/health")).status).toBe(200);
      const second = await startServe(home, ["--port", "0"], { CLAIRE_LOG_LEVEL: "info" });
      expect(second.port).not.toBe(0);
      expect((await api.call("GET", "/health")).status).toBe(200);
      expect(healthCalls(second)).toBe(1);
      await second.stop();
    } finally {
      api.close();
    }
  });

  it("opens the new database after `claire restore` replaced the one it was writing to", async () => {
    const api = createAgentApi();
    try {
      const made = await api.call("POST", "/projects", { body: { name: "before-backup" } });
      expect(made.status).toBe(201);
      const backup = `${home}/bk.db`;
      expect((await runCli(["backup", backup], { home })).code).toBe(0);
      expect((await api.call("POST", "/projects", { body: { name: "lost-by-restore" } })).status).toBe(201);
      const restored = await runCli(["restore", backup], { home });
      expect(restored.code, restored.stderr).toBe(0);
      expect((await api.call("POST", "/projects", { body: { name: "after-restore" } })).status).toBe(201);
      const list = await runCli(["project", "list", "--json"], { home });
      const names = (list.json as { name: string }[]).map((p) => p.name);
      expect(names).toContain("after-restore");
      expect(names).not.toContain("lost-by-restore");
    } finally {
      api.close();
    }
  });
});
