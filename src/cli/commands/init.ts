// claire init: create claire.toml (machine identity) and the database. Idempotent.
import type { Command } from "commander";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";

export const registerInit = (program: Command): void => {
  program
    .command("init")
    .description(
      "Set up Claire on this machine: claire.toml with a new machine_id, and the database (safe to repeat)",
    )
    .option("--json", "print JSON")
    .action(async (_o: unknown, cmd: Command) => {
      // Loaded on demand: the thin-client commands must not pay for the database and server code.
      const { openLocalClaire } = await import("../../runtime/local-claire.ts");
      const { describeConfigError } = await import("../../config/index.ts");
      const { localPaths } = await import("../../runtime/paths.ts");
      const { existsSync } = await import("node:fs");
      // claire.toml may be there (copied, or written by hand) without a database yet.
      const hadDatabase = existsSync(localPaths().dbPath);
      const opened = openLocalClaire({ init: true });
      if (!opened.ok) throw new CliError(describeConfigError(opened.error), EXIT.user);
      const c = opened.value;
      const result = {
        created: c.created || !hadDatabase,
        createdDatabase: !hadDatabase,
        machineId: c.config.machineId,
        machineName: c.config.machineName,
        configPath: c.paths.configPath,
        dbPath: c.paths.dbPath,
        configDir: c.paths.configDir,
        dataDir: c.paths.dataDir,
        logId: c.store.logId,
      };
      c.close();
      output(cmd, result, (r) =>
        [
          !r.created
            ? "Claire was already set up here; nothing changed."
            : r.createdDatabase && !c.created
              ? "Claire's database is created; claire.toml was there already (its machine id is kept)."
              : "Claire is set up on this machine.",
          `  machine   ${r.machineName} (${r.machineId})`,
          `  config    ${r.configPath}`,
          `  database  ${r.dbPath}`,
          r.created ? "\nNext: claire serve   (dashboard and API on http://127.0.0.1:8765)" : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });
};
