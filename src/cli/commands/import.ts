// claire import FILE: events from an export (this machine's or another's), checked whole before
// anything is stored, then ingested like a sync (deduplicated: importing twice changes nothing).
import type { Command } from "commander";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";

export const registerImport = (program: Command): void => {
  program
    .command("import <file>")
    .description("Add the events of a `claire export` file to this machine (checked first; safe to repeat)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
The whole file is checked before anything is stored: a file cut short or altered (one changed byte)
is refused with the number of its first bad line, and nothing is imported. Events already here are
counted as duplicates, so importing the same file twice changes nothing.

Example:
  claire import claire-events.jsonl`,
    )
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const { resolve } = await import("node:path");
      const { existsSync } = await import("node:fs");
      const path = resolve(file);
      if (!existsSync(path)) throw new CliError(`there is no file at ${path}`, EXIT.user);
      const { openLocalClaire } = await import("../../runtime/local-claire.ts");
      const { describeConfigError } = await import("../../config/index.ts");
      const { describeImportError, importEventFile } = await import("../../ops/event-file.ts");
      const opened = openLocalClaire({ init: true });
      if (!opened.ok) throw new CliError(describeConfigError(opened.error), EXIT.user);
      const claire = opened.value;
      let r: Awaited<ReturnType<typeof importEventFile>>;
      try {
        r = await importEventFile(claire.service, path);
      } finally {
        claire.close();
      }
      if (!r.ok)
        throw new CliError(
          `refused: ${describeImportError(r.error, path)}`,
          EXIT.user,
          r.error.type === "ImportIo" ? [] : ["nothing was imported"],
        );
      output(cmd, r.value, (v) =>
        [
          `imported ${v.file}: ${v.events} events from machine ${v.header.machineId.slice(0, 8)} (exported ${v.header.exportedAt})`,
          `  ${v.accepted} new, ${v.duplicate} already here, ${v.quarantined} waiting in quarantine, ${v.rejected} rejected`,
          ...v.rejections.map((x) => `  rejected ${x}`),
          v.rejected > 0 ? "  rejected events are recorded; claire doctor lists them" : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });
};
