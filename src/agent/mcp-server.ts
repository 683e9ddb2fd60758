// `claire mcp`: Claire's stdio MCP server for Claude Code. Claude Code starts it per session
// (`claude mcp add -s user claire -- <node> <claire> mcp`); its tools reach the agent as
// mcp__claire__<tool>. Every write goes through the API like the CLI's, attributed to the session.
// stdout carries the protocol only: anything else goes to stderr.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { CLAIRE_VERSION } from "../version.ts";
import { type AgentApi, createAgentApi } from "./agent-api.ts";
import { createIdentity } from "./mcp-identity.ts";
import { createClaireTools } from "./mcp-tools.ts";

const INSTRUCTIONS = `Claire coordinates a fleet of Claude Code sessions: projects, tasks, assignments and messages, synced between machines.
Start with next_task (or fleet_status) to learn what is yours; claim before you work on an unowned task; post_update as you make progress; complete_task when done.
Messages reach you in your context with their sender; acknowledge them with ack_inbox once handled.`;

export const createClaireMcpServer = (
  api: AgentApi,
  env: Readonly<Record<string, string | undefined>> = process.env,
  proc: { ppid: number; cwd: () => string } = { ppid: process.ppid, cwd: () => process.cwd() },
): McpServer => {
  const server = new McpServer({ name: "claire", version: CLAIRE_VERSION }, { instructions: INSTRUCTIONS });
  const identity = createIdentity(api, env, proc);
  for (const t of createClaireTools(api, identity)) {
    server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.description,
        inputSchema: t.inputSchema,
        annotations: { readOnlyHint: t.readOnly, openWorldHint: false },
      },
      (args: unknown) => t.run((args ?? {}) as Record<string, unknown>),
    );
  }
  return server;
};

/** Serves on stdio until Claude Code closes the pipe. */
export const runMcpServer = async (opts: { server?: string | undefined } = {}): Promise<void> => {
  const api = createAgentApi(opts);
  const server = createClaireMcpServer(api);
  let closed = (): void => {};
  const done = new Promise<void>((resolve) => {
    closed = resolve;
  });
  // Claude Code closed its end: a reply that meets the closed pipe (EPIPE) ends the server as the
  // end of stdin does, rather than as an uncaught stream error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    closed();
  });
  const transport: Transport = new StdioServerTransport();
  await server.connect(transport);
  server.server.onclose = closed;
  process.stdin.once("end", closed);
  process.stdin.once("close", closed);
  await done;
  await server.close().catch(() => {});
  api.close();
};
