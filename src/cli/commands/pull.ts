// claire pull: look at this machine's Claude Code sessions now (through the running server, so
// one scanner records them, or in this process when none runs) and print what changed.
import type { Command } from "commander";
import { plural } from "../../domain/plural.ts";
import type { RefreshReport, SessionChange } from "../../sessions/refresher.ts";
import { output, withApi } from "../command-kit.ts";
import { color, statusColor, table, truncate } from "../format.ts";

const SHOWN = 25;

const size = (bytes: number): string =>
  bytes >= 1e9
    ? `${(bytes / 1e9).toFixed(1)} GB`
    : bytes >= 1e6
      ? `${(bytes / 1e6).toFixed(1)} MB`
      : bytes >= 1e3
        ? `${(bytes / 1e3).toFixed(0)} kB`
        : `${bytes} B`;

const changeRow = (c: SessionChange): string[] => [
  color.cyan(c.handle),
  statusColor(c.state),
  truncate(c.cwd, 36),
  truncate(c.title, 40),
  c.isNew ? "new" : c.fields.join(", "),
];

export const describeRefresh = (r: RefreshReport): string => {
  const summary = [
    `${plural(r.sessions, "session")} on this machine, ${r.live} live`,
    r.changed === 0 ? "nothing changed" : `${r.changed} changed${r.ended ? ` (${r.ended} ended)` : ""}`,
    `${plural(r.filesRead, "file")} read (${size(r.bytesRead)}) in ${Math.round(r.ms)} ms`,
  ].join("; ");
  const lines = [summary];
  if (r.changes.length > 0) {
    lines.push(table(["ID", "STATE", "DIR", "TITLE", "CHANGED"], r.changes.slice(0, SHOWN).map(changeRow)));
    if (r.changes.length > SHOWN)
      lines.push(color.dim(`… and ${r.changes.length - SHOWN} more (claire sessions list)`));
  }
  if (r.deferred > 0)
    lines.push(color.dim(`${plural(r.deferred, "session")} with new activity: recorded within 15 s`));
  if (r.badLines > 0) lines.push(color.dim(`${plural(r.badLines, "transcript line")} could not be read`));
  return lines.join("\n");
};

export const registerPull = (program: Command): void => {
  program
    .command("pull")
    .description("Look at this machine's Claude Code sessions now and record what changed")
    .option("--agents", "also ask `claude agents --json` (serve does it on its periodic rescan)")
    .option("--json", "print the refresh report as JSON")
    .addHelpText(
      "after",
      "\nGoes through the running `claire serve` when there is one, else works on the local database.\n" +
        "Example:\n  claire pull && claire sessions list",
    )
    .action(async (o: { agents?: boolean }, cmd: Command) => {
      const report = await withApi(cmd, (a) =>
        a.post<RefreshReport>("/sessions/refresh", o.agents ? { agents: true } : {}),
      );
      for (const e of report.errors) process.stderr.write(`claire: warning: ${e}\n`);
      output(cmd, report, describeRefresh);
    });
};
