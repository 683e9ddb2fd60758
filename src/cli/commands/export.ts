// claire export [--since TIME] [--output FILE]: this machine's event log as hash-chained JSON
// lines (local: reads the database directly, safe while `claire serve` runs).
import type { Command } from "commander";
import { output, parseSince } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";

const lineWriter = (stream: NodeJS.WritableStream) => (line: string) =>
  stream.write(`${line}\n`) ? undefined : new Promise<void>((r) => stream.once("drain", () => r()));

export const registerExport = (program: Command): void => {
  program
    .command("export")
    .description(
      "Write this machine's event log as JSON lines with a hash chain (to stdout, or --output FILE)",
    )
    .option("--since <time>", "only events from this time on: an ISO date/time or a duration such as 7d")
    .option("-o, --output <file>", "write to this file (atomically, mode 0600) instead of stdout")
    .option("--json", "print the summary as JSON (on stderr when the export goes to stdout)")
    .addHelpText(
      "after",
      `
The file holds every event this machine has (its own and those synced from peers), so importing it
elsewhere converges like a sync. Titles and prompts are in it: keep it private.

Examples:
  claire export -o claire-events.jsonl
  claire export --since 7d | gzip > last-week.jsonl.gz
  claire import claire-events.jsonl        # on another machine`,
    )
    .action(async (o: { since?: string; output?: string }, cmd: Command) => {
      const sinceMs = o.since === undefined ? null : parseSince(o.since, Date.now());
      const { openLocalClaire } = await import("../../runtime/local-claire.ts");
      const { describeConfigError } = await import("../../config/index.ts");
      const { exportEvents } = await import("../../ops/event-file.ts");
      const opened = openLocalClaire({ init: false });
      if (!opened.ok) throw new CliError(describeConfigError(opened.error), EXIT.user);
      const claire = opened.value;
      try {
        if (!o.output) {
          // `claire export | head`: a reader that stops early is not an error.
          process.stdout.on("error", (e: NodeJS.ErrnoException) => {
            if (e.code !== "EPIPE") throw e;
            claire.close();
            process.exit(EXIT.ok);
          });
          const summary = await exportEvents(claire.service, {
            sinceMs,
            now: Date.now,
            write: lineWriter(process.stdout),
          });
          // stdout is the export: the summary goes to stderr, as JSON with --json.
          const { json } = cmd.optsWithGlobals() as { json?: boolean };
          process.stderr.write(
            json ? `${JSON.stringify(summary)}\n` : `claire: exported ${summary.events} events\n`,
          );
          return;
        }
        const { resolve } = await import("node:path");
        const { createWriteStream, renameSync, rmSync } = await import("node:fs");
        const file = resolve(o.output);
        const partial = `${file}.partial`;
        const stream = createWriteStream(partial, { mode: 0o600 });
        const opened = new Promise<void>((ok, fail) => {
          stream.once("open", () => ok());
          stream.once("error", fail);
        });
        try {
          await opened;
        } catch (e) {
          throw new CliError(`cannot write ${partial}: ${(e as Error).message}`, EXIT.user);
        }
        let summary: Awaited<ReturnType<typeof exportEvents>>;
        try {
          summary = await exportEvents(claire.service, { sinceMs, now: Date.now, write: lineWriter(stream) });
          await new Promise<void>((ok, fail) => {
            stream.once("error", fail);
            stream.end(() => ok());
          });
        } catch (e) {
          stream.destroy();
          rmSync(partial, { force: true });
          throw e;
        }
        renameSync(partial, file);
        output(cmd, { file, ...summary }, (s) => `exported ${s.events} events to ${s.file}`);
      } finally {
        claire.close();
      }
    });
};
