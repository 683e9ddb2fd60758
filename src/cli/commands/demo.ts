// claire demo [--home DIR] [--port N]: a throwaway home with a realistic fleet of three machines,
// served exactly as `claire serve` serves a real one.
import { Command } from "commander";
import { parseIntOption } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { writeStdout } from "../stdout.ts";
import { registerServe } from "./serve.ts";

export const registerDemo = (program: Command): void => {
  program
    .command("demo")
    .description(
      "Serve a throwaway home filled with a demo fleet (three machines, projects, tasks, sessions, messages)",
    )
    .option("--home <dir>", "where to put the demo home (default: a new temporary directory, printed)")
    .option(
      "--port <port>",
      "port to serve on (default: any free port; the URL is printed)",
      parseIntOption("--port"),
    )
    .option(
      "--no-activity",
      "do not keep the fleet moving (by default a working session changes every few seconds)",
    )
    .option("--seed-only", "fill the home and exit without serving")
    .addHelpText(
      "after",
      `
Nothing of this machine's real Claire home or Claude Code sessions is read or changed: the demo
lives in its own directory (CLAIRE_HOME), with session discovery turned off.

Examples:
  claire demo                      # prints the dashboard URL; Ctrl-C to stop
  claire demo --home /tmp/fleet --port 8799
  CLAIRE_HOME=/tmp/fleet claire status     # the CLI on the demo home`,
    )
    .action(
      async (o: { home?: string; port?: number; activity: boolean; seedOnly?: boolean }, cmd: Command) => {
        const { mkdtempSync } = await import("node:fs");
        const { tmpdir } = await import("node:os");
        const { join, resolve } = await import("node:path");
        const { checkDemoDir, createDemoHome } = await import("../../ops/demo.ts");
        const home = o.home ? resolve(o.home) : mkdtempSync(join(tmpdir(), "claire-demo-"));
        const taken = checkDemoDir(home);
        if (taken) throw new CliError(taken, EXIT.user);
        const started = performance.now();
        const demo = createDemoHome(home);
        const ms = Math.round(performance.now() - started);
        const states = new Map<string, number>();
        for (const s of demo.fleet.sessions) states.set(s.state, (states.get(s.state) ?? 0) + 1);
        writeStdout(
          [
            `Demo home: ${home}`,
            `  ${demo.fleet.machines.map((m) => m.name).join(", ")}: ${demo.fleet.projects.length} projects, ${demo.fleet.sessions.length} sessions (${[...states].map(([s, n]) => `${n} ${s}`).join(", ")}), ${demo.events} events, made in ${ms} ms`,
            `  the CLI on it: CLAIRE_HOME=${home} claire status`,
            "",
          ].join("\n"),
        );
        if (o.seedOnly) {
          demo.close();
          return;
        }
        // From here on this process is `claire serve` on the demo home: the same code path.
        process.env.CLAIRE_HOME = home;
        process.env.CLAIRE_LOG_LEVEL ??= "warn";
        // A program built for `demo` alone (program.ts registers only the named command) has no
        // serve command yet: a scratch program gets one.
        const root = cmd.parent ?? program;
        let serve = root.commands.find((c) => c.name() === "serve");
        if (!serve) {
          const scratch = new Command("claire").exitOverride();
          registerServe(scratch);
          serve = scratch.commands.find((c) => c.name() === "serve");
        }
        if (!serve) throw new CliError("the serve command is missing", EXIT.internal);
        await serve.parseAsync(o.port === undefined ? [] : ["--port", String(o.port)], { from: "user" });
        if (o.activity)
          demo.startActivity(4_000, (e) =>
            process.stderr.write(`claire demo: the fleet stopped moving: ${(e as Error).message}\n`),
          );
      },
    );
};
