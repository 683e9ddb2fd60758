// claire service install|uninstall|status: run `claire serve` as a systemd --user service (local).
import type { Command } from "commander";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { color } from "../format.ts";
import { writeStdout } from "../stdout.ts";

const deps = async () => {
  const { homedir } = await import("node:os");
  const { runCommand } = await import("../../ops/service-manager.ts");
  return {
    platform: process.platform,
    env: process.env,
    home: homedir(),
    node: process.execPath,
    // bin/claire.cjs (or npm's `claire` link to it): what the unit runs with that Node.
    entry: process.argv[1] ?? "claire",
    run: runCommand(process.env),
    now: Date.now,
  };
};

const nameOption = async (name: string): Promise<string> => {
  const { isUnitName } = await import("../../ops/systemd.ts");
  if (!isUnitName(name))
    throw new CliError(
      `'${name}' is not a usable unit name (letters, digits, ':', '_', '.', '-')`,
      EXIT.usage,
    );
  return name;
};

export const registerService = (program: Command): void => {
  const service = program
    .command("service")
    .description("Run claire serve as a background service (systemd --user; launchd on macOS)");
  service
    .command("install")
    .description("Write the systemd --user unit for claire serve, then enable and start it")
    .option("--dry-run", "print the unit (or the launchd plist) and where it would go; change nothing")
    .option("--name <unit>", "unit name, for a second Claire home on one machine", "claire")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
The unit runs this Node (${process.execPath}) and this Claire, with the PATH, CLAUDE_CONFIG_DIR,
CLAIRE_HOME, CLAIRE_LOG_LEVEL and XDG_* directories of the shell you run it from, so the
service finds \`claude\` and the same files you do. Install again after upgrading Node or Claire.

Examples:
  claire service install --dry-run
  claire service install
  CLAIRE_HOME=~/claire-b claire service install --name claire-b`,
    )
    .action(async (o: { dryRun?: boolean; name: string }, cmd: Command) => {
      const name = await nameOption(o.name);
      const { installService } = await import("../../ops/service-manager.ts");
      const r = installService(await deps(), { dryRun: o.dryRun, name });
      if (r.kind === "dry-run") {
        const { json } = cmd.optsWithGlobals() as { json?: boolean };
        if (json) output(cmd, r, () => "");
        else writeStdout(`# ${r.path}\n${r.unit}`);
        return;
      }
      if (r.kind === "launchd") {
        output(cmd, r, (v) =>
          [
            "macOS has no systemd; this LaunchAgent runs claire serve for you instead:",
            "",
            v.plist,
            ...v.instructions,
          ].join("\n"),
        );
        return;
      }
      output(cmd, r, (v) =>
        [
          `wrote ${v.path}`,
          ...v.steps.map(
            (s) =>
              `  ${s.ok ? color.green("ok") : color.red("failed")}  ${s.command}${s.ok || !s.output ? "" : `: ${s.output}`}`,
          ),
          v.systemd.available ? "" : color.yellow(`not started: ${v.systemd.reason}`),
          ...v.instructions.map((i) => `  ${i}`),
        ]
          .filter(Boolean)
          .join("\n"),
      );
      if (!r.ok) process.exitCode = EXIT.user;
    });
  service
    .command("uninstall")
    .description("Stop and disable the service and remove its unit file")
    .option("--name <unit>", "unit name", "claire")
    .option("--json", "print JSON")
    .action(async (o: { name: string }, cmd: Command) => {
      const name = await nameOption(o.name);
      const { uninstallService } = await import("../../ops/service-manager.ts");
      const r = uninstallService(await deps(), { name });
      output(cmd, r, (v) =>
        [
          v.removed ? `removed ${v.path}` : `no unit at ${v.path}; nothing to remove`,
          ...v.steps.map(
            (s) =>
              `  ${s.ok ? color.green("ok") : color.yellow("failed")}  ${s.command}${s.ok || !s.output ? "" : `: ${s.output}`}`,
          ),
          ...v.instructions.map((i) => `  ${i}`),
        ].join("\n"),
      );
    });
  service
    .command("status")
    .description("Whether the unit is installed, up to date, enabled and running")
    .option("--name <unit>", "unit name", "claire")
    .option("--json", "print JSON")
    .action(async (o: { name: string }, cmd: Command) => {
      const name = await nameOption(o.name);
      const { serviceStatus } = await import("../../ops/service-manager.ts");
      const { localPaths } = await import("../../runtime/paths.ts");
      const { answeringServer } = await import("../../runtime/server-file.ts");
      const s = serviceStatus(await deps(), { name });
      const server = await answeringServer(localPaths().dataDir);
      const result = { ...s, server };
      const reinstall = `claire service install${name === "claire" ? "" : ` --name ${name}`}`;
      output(cmd, result, (v) =>
        [
          v.installed
            ? `unit      ${v.path}`
            : `unit      not installed (${v.path}); install it with: ${reinstall}`,
          v.installed
            ? v.missing.length > 0
              ? color.red(`          runs ${v.missing.join(" and ")}, which no longer exist: ${reinstall}`)
              : v.current
                ? "          up to date with this Node, Claire and environment"
                : color.yellow(
                    `          differs from what this shell would install (Node, Claire or environment changed): ${reinstall}`,
                  )
            : "",
          v.systemd.available
            ? `systemd   ${v.enabled ?? "?"}, ${v.active ?? "?"}`
            : `systemd   not reachable: ${v.systemd.reason}`,
          v.server
            ? `server    running at ${v.server.url} (pid ${v.server.pid})`
            : "server    no claire serve runs for this Claire home",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });
};
