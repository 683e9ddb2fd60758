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
import { registerMachines, registerStatus } from "./commands/status.ts";
import { registerSync } from "./commands/sync.ts";
import { registerTask } from "./commands/task.ts";
import { registerToken } from "./commands/token.ts";
import { writeStdout } from "./stdout.ts";

export const versionText = (): string =>
  `claire ${CLAIRE_VERSION} (schema ${SCHEMA_VERSION}, sync protocol ${SYNC_PROTOCOL_VERSION}, node ${process.versions.node})`;

type Register = (program: Command) => void;

/**
 * Every top-level command (and alias), by the function that registers it. A command line that
 * names one of them gets a program with just that group: registering all 25 costs a short
 * command a few milliseconds of its start-up. Help, completion and unknown or missing commands
 * get everything. program.test.ts checks this table against what each function registers.
 */
export const COMMAND_GROUPS: readonly (readonly [names: readonly string[], register: Register])[] = [
  [["init"], registerInit],
  [["serve"], registerServe],
  [["status"], registerStatus],
  [["machines"], registerMachines],
  [["project"], registerProject],
  [["task"], registerTask],
  [["assign", "unassign", "claim"], registerAssign],
  [["sessions"], registerSessions],
  [["pull"], registerPull],
  [["group"], registerGroup],
  [["update", "updates", "msg", "broadcast", "inbox"], registerMessages],
  [["sync"], registerSync],
  [["peer"], registerPeer],
  [["token"], registerToken],
  [["hooks"], registerHooks],
  [["hook"], registerHook],
  [["mcp"], registerMcp],
  [["rebuild"], registerRebuild],
  [["backup", "restore"], registerBackup],
  [["export"], registerExport],
  [["import"], registerImport],
  [["demo"], registerDemo],
  [["service"], registerService],
  [["doctor"], registerDoctor],
  [["completion"], registerCompletion],
];

/** The group of the command this command line runs, or null when it needs the whole tree. */
export const commandGroupOf = (argv: readonly string[]): (typeof COMMAND_GROUPS)[number] | null => {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--server") i++;
    else if (!arg.startsWith("-")) {
      if (arg === "completion") return null;
      return COMMAND_GROUPS.find(([names]) => names.includes(arg)) ?? null;
    }
  }
  return null;
};

/** The program for this command line (default: every command). */
export const buildProgram = (argv: readonly string[] = []): Command => {
  const program = new Command("claire")
    .description("Project manager for a fleet of Claude Code sessions, synced peer to peer.")
    .version(versionText(), "-V, --version", "print the version (with schema and protocol versions)")
    .option(
      "--server <url>",
      "use the Claire server at this URL (default: $CLAIRE_SERVER, else the local one if running)",
    )
    .showHelpAfterError("(run with --help for usage)")
    .configureHelp({ sortSubcommands: false })
    // Help and --version like every other output (a closed pipe ends the command quietly).
    .configureOutput({ writeOut: writeStdout })
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
  const only = commandGroupOf(argv);
  for (const [, register] of only ? [only] : COMMAND_GROUPS) register(program);
  return program;
};
