// The commander program: every command, global options, help that teaches.
import { Command } from "commander";
import { CLAIRE_VERSION, SCHEMA_VERSION, SYNC_PROTOCOL_VERSION } from "../version.ts";
import { registerAssign } from "./commands/assign.ts";
import { registerBackup } from "./commands/backup.ts";
import { registerCompletion } from "./commands/completion.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerExport } from "./commands/export.ts";
import { registerGroup } from "./commands/group.ts";
import { registerHook } from "./commands/hook.ts";
import { registerHooks } from "./commands/hooks.ts";
import { registerImport } from "./commands/import.ts";
import { registerInit } from "./commands/init.ts";
import { registerMcp } from "./commands/mcp.ts";
import { registerMessages } from "./commands/messages.ts";
import { registerPeer } from "./commands/peer.ts";
import { registerProject } from "./commands/project.ts";
import { registerPull } from "./commands/pull.ts";
import { registerRebuild } from "./commands/rebuild.ts";
import { registerServe } from "./commands/serve.ts";
import { registerService } from "./commands/service.ts";
import { registerSessions } from "./commands/sessions.ts";
import { registerStatus } from "./commands/status.ts";
import { registerSync } from "./commands/sync.ts";
import { registerTask } from "./commands/task.ts";
import { registerToken } from "./commands/token.ts";

export const versionText = (): string =>
  `claire ${CLAIRE_VERSION} (schema ${SCHEMA_VERSION}, sync protocol ${SYNC_PROTOCOL_VERSION}, node ${process.versions.node})`;

export const buildProgram = (): Command => {
  const program = new Command("claire")
    .description("Project manager for a fleet of Claude Code sessions, synced peer to peer.")
    .version(versionText(), "-V, --version", "print the version (with schema and protocol versions)")
    .option(
      "--server <url>",
      "use the Claire server at this URL (default: $CLAIRE_SERVER, else the local one if running)",
    )
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      "after",
      `
Commands talk to the running \`claire serve\` when there is one, else work on this
machine's database directly. Every command that prints data takes --json.

Getting started:
  claire serve                          # API + dashboard on http://127.0.0.1:8765
  claire project add "Payments API"
  claire task add "Write the migration" -p "Payments API"
  claire sessions list
  claire assign <task> <session>

Exit codes: 0 ok, 1 refused (bad input, unknown id, conflict), 2 usage error,
3 the server named by --server/CLAIRE_SERVER is unreachable, 4 internal error.`,
    );
  registerInit(program);
  registerServe(program);
  registerStatus(program);
  registerProject(program);
  registerTask(program);
  registerAssign(program);
  registerSessions(program);
  registerPull(program);
  registerGroup(program);
  registerMessages(program);
  registerSync(program);
  registerPeer(program);
  registerToken(program);
  registerHooks(program);
  registerHook(program);
  registerMcp(program);
  registerRebuild(program);
  registerBackup(program);
  registerExport(program);
  registerImport(program);
  registerDemo(program);
  registerService(program);
  registerDoctor(program);
  registerCompletion(program);
  return program;
};
