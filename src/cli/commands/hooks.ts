// claire hooks install | uninstall | status: Claire's entries in Claude Code's settings.json.
// Runs locally (it edits this machine's files), not through the API.
import type { Command } from "commander";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { color } from "../format.ts";

type Opts = { scope: string; projectDir?: string };

const load = async () => import("../../agent/hooks-install.ts");

/** The URL of the `claire serve` running on this machine, or null. */
const serverUrl = async (): Promise<string | null> => {
  const { runningServer } = await import("../../runtime/server-file.ts");
  const { localPaths } = await import("../../runtime/paths.ts");
  return runningServer(localPaths().dataDir)?.url ?? null;
};

// Without a server each hook loads the API itself and opens the database: about twice as long on
// every prompt of every session (docs/performance.md, the agent benchmarks).
const NO_SERVER_HINT =
  "No `claire serve` runs on this machine. The hooks work without one, but each then opens the\n" +
  "database itself, which takes about twice as long on every prompt; run one as a service:\n" +
  "  claire service install";

const scopeOf = async (o: Opts) => {
  const { SCOPES } = await load();
  if (!(SCOPES as readonly string[]).includes(o.scope))
    throw new CliError(`unknown scope '${o.scope}'`, EXIT.usage, ["use --scope user, project or local"]);
  return o.scope as (typeof SCOPES)[number];
};

/** Runs fn, turning a settings file Claire will not touch into a refusal with the reason. */
const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
  const { HooksFileError } = await load();
  try {
    return await fn();
  } catch (e) {
    if (e instanceof HooksFileError) throw new CliError(e.message, EXIT.user);
    throw e;
  }
};

const scopeOption = (cmd: Command): Command =>
  cmd
    .option(
      "--scope <scope>",
      "user (every project, default), project (.claude/settings.json, shared) or local (.claude/settings.local.json)",
      "user",
    )
    .option("--project-dir <dir>", "the project for --scope project|local (default: this directory)")
    .option("--json", "print JSON");

export const registerHooks = (program: Command): void => {
  const hooks = program
    .command("hooks")
    .description(
      "Install Claire's hooks into Claude Code (SessionStart, UserPromptSubmit, Notification, Stop, SessionEnd)",
    );

  scopeOption(hooks.command("install"))
    .description("Add Claire's hooks to Claude Code's settings.json (idempotent; backs the file up first)")
    .addHelpText(
      "after",
      "\nEvery other setting and hook is kept. The commands use absolute paths to this Node and\nthis Claire, so Claude Code's PATH does not matter. Run it again after moving Claire.",
    )
    .action(async (o: Opts, cmd: Command) => {
      const { installHooks } = await load();
      const scope = await scopeOf(o);
      const r = {
        ...(await guarded(async () => installHooks(scope, { projectDir: o.projectDir }))),
        server: await serverUrl(),
      };
      output(cmd, r, (v) =>
        [
          v.changed
            ? `installed Claire's hooks in ${v.path}${v.backup ? ` (backup: ${v.backup})` : ""}`
            : `Claire's hooks are already installed in ${v.path}; nothing changed`,
          "",
          "Also give Claude Code Claire's MCP tools (once per machine or project):",
          `  ${color.cyan(v.mcpCommand)}`,
          "",
          "New Claude Code sessions now register with Claire and see their tasks and messages.",
          ...(v.server === null ? ["", NO_SERVER_HINT] : []),
        ].join("\n"),
      );
    });

  scopeOption(hooks.command("uninstall"))
    .description(
      "Remove Claire's hooks from Claude Code's settings.json (only Claire's; backs the file up first)",
    )
    .action(async (o: Opts, cmd: Command) => {
      const { uninstallHooks } = await load();
      const scope = await scopeOf(o);
      const r = await guarded(async () => uninstallHooks(scope, { projectDir: o.projectDir }));
      output(cmd, r, (v) =>
        v.removed > 0
          ? `removed ${v.removed} Claire hook(s) from ${v.path}${v.backup ? ` (backup: ${v.backup})` : ""}`
          : `no Claire hooks in ${v.path}; nothing changed`,
      );
    });

  scopeOption(hooks.command("status"))
    .description("Which of Claire's hooks are installed, and whether Claude Code knows Claire's MCP server")
    .action(async (o: Opts, cmd: Command) => {
      const { hooksStatus } = await load();
      const scope = await scopeOf(o);
      const r = {
        ...(await guarded(async () => hooksStatus(scope, { projectDir: o.projectDir }))),
        server: await serverUrl(),
      };
      output(cmd, r, (v) => {
        const mark = (s: string) =>
          s === "installed"
            ? color.green(s)
            : s === "outdated"
              ? color.yellow(`${s} (run hooks install)`)
              : color.red(s);
        return [
          `${v.path}${v.exists ? "" : " (does not exist)"}`,
          ...Object.entries(v.events).map(([e, s]) => `  ${e.padEnd(17)} ${mark(s)}`),
          `MCP server in ${v.mcp.path}: ${v.mcp.command ?? color.red("not configured")}`,
          ...(v.mcp.command ? [] : [`  add it with: ${v.mcpCommand}`]),
          v.server === null
            ? `claire serve: ${color.yellow("not running")} (hooks then open the database themselves, about 1.5 times as slow; claire service install)`
            : `claire serve: running at ${v.server} (hooks send to it)`,
        ].join("\n");
      });
    });
};
