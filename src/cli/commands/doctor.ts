// claire doctor [--json]: check this machine's Claire end to end (local: config, database, disk,
// log, identity, peers, Claude Code integration); exit 1 when anything fails.
import type { Command } from "commander";
import type { Check } from "../../ops/doctor/check.ts";
import { output, parseIntOption } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { color } from "../format.ts";

const mark = (c: Check): string =>
  c.status === "pass" ? color.green("pass") : c.status === "warn" ? color.yellow("warn") : color.red("FAIL");

export const registerDoctor = (program: Command): void => {
  program
    .command("doctor")
    .description(
      "Check this machine's Claire (config, database, disk, log, peers, Claude Code hooks); say how to fix what is wrong",
    )
    .option("--json", "print JSON")
    .option(
      "--timeout <seconds>",
      "how long to wait for each peer (1-120)",
      parseIntOption("--timeout", 1),
      5,
    )
    .addHelpText(
      "after",
      "\nExit code 1 when any check fails (warnings alone exit 0), so it fits in scripts and monitoring.",
    )
    .action(async (o: { timeout: number }, cmd: Command) => {
      if (o.timeout > 120) throw new CliError("--timeout must be at most 120 seconds", EXIT.usage);
      const { homedir } = await import("node:os");
      const { runDoctor } = await import("../../ops/doctor/run.ts");
      const { createHttpTransport } = await import("../../sync/transport.ts");
      const report = await runDoctor({
        env: process.env,
        home: homedir(),
        now: Date.now,
        nodeVersion: process.versions.node,
        execPath: process.execPath,
        transport: createHttpTransport({
          timeoutMs: o.timeout * 1000,
          actor: "machine:doctor",
        }),
      });
      output(cmd, report, (r) =>
        [
          `claire doctor: ${r.machineName ?? "this machine"}${r.machineId ? ` (${r.machineId})` : ""}`,
          ...r.checks.flatMap((c) => [
            `  ${mark(c)}  ${c.title}: ${c.detail}`,
            ...(c.fix && c.status !== "pass" ? [`        ${color.dim("fix:")} ${c.fix}`] : []),
          ]),
          "",
          `${r.counts.pass} passed, ${r.counts.warn} warning${r.counts.warn === 1 ? "" : "s"}, ${r.counts.fail} failed`,
        ].join("\n"),
      );
      if (!report.ok) process.exitCode = EXIT.user;
    });
};
