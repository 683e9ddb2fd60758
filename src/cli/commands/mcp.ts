// claire mcp: Claire's stdio MCP server, for Claude Code to start (see docs/agents.md).
import type { Command } from "commander";

export const registerMcp = (program: Command): void => {
  program
    .command("mcp")
    .description("Run Claire's MCP server on stdio (Claude Code starts it; see docs/agents.md)")
    .addHelpText(
      "after",
      '\nRegister it with Claude Code once per machine:\n  claude mcp add -s user claire -- "$(command -v node)" "$(command -v claire)" mcp\n(`claire hooks install` prints the exact line with absolute paths.)\nThe session is taken from CLAUDE_CODE_SESSION_ID, which Claude Code sets for its MCP servers.',
    )
    .action(async (_o: unknown, cmd: Command) => {
      const { server } = cmd.optsWithGlobals() as { server?: string };
      const { runMcpServer } = await import("../../agent/mcp-server.ts");
      await runMcpServer({ server });
    });
};
