// claire hook <event>: what Claude Code's hooks run (see `claire hooks install`). The installed
// command reaches src/agent/hook-entry.ts directly through bin/claire.cjs; this registration gives
// it a place in `claire --help` and runs the same code when the CLI is started another way.
import type { Command } from "commander";

export const registerHook = (program: Command): void => {
  program
    .command("hook")
    .argument("[event]", "SessionStart, UserPromptSubmit, Notification, Stop or SessionEnd")
    .description("Handle one Claude Code hook event (JSON on stdin); installed by `claire hooks install`")
    .addHelpText(
      "after",
      "\nReads Claude Code's hook JSON on stdin. Never fails: on any problem it exits 0, prints\nnothing and logs why to stderr and hooks.log in Claire's data directory.",
    )
    .action(async (event: string | undefined) => {
      const { runHookProcess } = await import("../../agent/hook-run.ts");
      await runHookProcess(event);
    });
};
