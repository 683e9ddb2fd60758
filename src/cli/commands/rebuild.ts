// claire rebuild [--check]: replay the event log into fresh projections (or only compare).
import type { Command } from "commander";
import { localPaths } from "../../runtime/paths.ts";
import { answeringServer } from "../../runtime/server-file.ts";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";

export const registerRebuild = (program: Command): void => {
  program
    .command("rebuild")
    .description("Rebuild every projection from the event log; --check only compares and reports differences")
    .option("--check", "compare a fresh replay with the live projections; exit 1 naming any row that differs")
    .option("--json", "print JSON")
    .action(async (o: { check?: boolean }, cmd: Command) => {
      const { openLocalClaire } = await import("../../runtime/local-claire.ts");
      const { describeConfigError } = await import("../../config/index.ts");
      const { checkProjections, rebuildProjections } = await import("../../store/rebuild.ts");
      const { takeServeLock } = await import("../../runtime/serve-lock.ts");
      // Held while it runs: no server may start under a rebuild.
      const lock = o.check ? null : takeServeLock(localPaths().dataDir);
      const running = o.check ? null : lock === null ? await answeringServer(localPaths().dataDir) : null;
      if (!o.check && lock === null) {
        throw new CliError(
          `a server is running${running ? ` (pid ${running.pid}, ${running.url})` : ""}; stop it before rebuilding`,
          EXIT.user,
        );
      }
      const opened = openLocalClaire({ init: false });
      if (!opened.ok) {
        lock?.release();
        throw new CliError(describeConfigError(opened.error), EXIT.user);
      }
      const c = opened.value;
      const start = performance.now();
      try {
        if (o.check) {
          const r = checkProjections(c.store.db);
          const result = { equal: r.differences.length === 0, events: r.events, differences: r.differences };
          output(cmd, result, (v) =>
            v.equal
              ? `projections match a fresh replay of ${v.events} events`
              : [
                  `projections differ from a replay of ${v.events} events:`,
                  ...v.differences.map((d) => `  ${d.table} row ${d.key}`),
                ].join("\n"),
          );
          if (!result.equal) process.exitCode = EXIT.user;
          return;
        }
        const r = rebuildProjections(c.store.db);
        const ms = Math.round(performance.now() - start);
        output(
          cmd,
          { rebuilt: true, events: r.events, ms },
          (v) => `rebuilt projections from ${v.events} events in ${v.ms} ms`,
        );
      } finally {
        c.close();
        lock?.release();
      }
    });
};
