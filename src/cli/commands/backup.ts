// claire backup [PATH] and claire restore BACKUP (local commands, on this machine's files).
// Backup is safe while `claire serve` runs; restore refuses to run under a server.
import type { Command } from "commander";
import { localPaths } from "../../runtime/paths.ts";
import { answeringServer } from "../../runtime/server-file.ts";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export const registerBackup = (program: Command): void => {
  program
    .command("backup [path]")
    .description("Copy this machine's database to a file, consistently, even while claire serve runs")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nWithout PATH (or with a directory) the copy is claire-backup-<time>.db beside the database (or in\nthat directory). It is written readable by you only: it holds what the database holds.\nExamples:\n  claire backup\n  claire backup /mnt/backups/claire.db\nRestore it with: claire restore <file>",
    )
    .action(async (path: string | undefined, _o: unknown, cmd: Command) => {
      const { resolve, join, dirname } = await import("node:path");
      const { existsSync, statSync } = await import("node:fs");
      const { backupDatabase } = await import("../../store/backup.ts");
      // A path as one shell word, so the printed commands can be pasted as they are.
      const { shellQuote: shellWord } = await import("../../agent/hooks-settings.ts");
      const paths = localPaths();
      const named = path ? resolve(path) : null;
      // A directory gets a dated file inside it, as the data dir does without PATH.
      // A path written with a trailing slash means a directory, there or not.
      const intoDir =
        named === null || /[\\/]$/.test(path ?? "") || (existsSync(named) && statSync(named).isDirectory());
      const dest = intoDir ? join(named ?? paths.dataDir, `claire-backup-${stamp()}.db`) : named;
      if (!existsSync(dirname(dest)))
        throw new CliError(`there is no directory ${dirname(dest)} to write the backup in`, EXIT.user, [
          `make it first: mkdir -p ${shellWord(dirname(dest))}`,
        ]);
      const r = await backupDatabase(paths.dbPath, dest);
      if (!r.ok) throw new CliError(r.error.message, EXIT.user);
      output(
        cmd,
        r.value,
        (v) =>
          `backed up ${v.events} events (${mib(v.bytes)}) to ${v.path}\nrestore with: claire restore ${shellWord(v.path)}`,
      );
    });

  program
    .command("restore <backup>")
    .description(
      "Install a backup as this machine's database, with a new log id and writer epoch (stop claire serve first)",
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nThe database it replaces is kept beside it as claire.db.before-restore-<time>. After a restore,\npeers read this machine's log again from the start and send back what it lost since the backup.",
    )
    .action(async (backup: string, _o: unknown, cmd: Command) => {
      const { resolve } = await import("node:path");
      const { randomUUID } = await import("node:crypto");
      const { hostname } = await import("node:os");
      const { existsSync } = await import("node:fs");
      const { describeConfigError, initConfig, loadConfig } = await import("../../config/index.ts");
      const { backupMachineId, restoreDatabase } = await import("../../store/backup.ts");
      const paths = localPaths();
      const { takeServeLock } = await import("../../runtime/serve-lock.ts");
      // Held while it runs: no server may start under a restore.
      const lock = takeServeLock(paths.dataDir);
      if (lock === null) {
        const running = await answeringServer(paths.dataDir);
        throw new CliError(
          `a server is running${running ? ` (pid ${running.pid}, ${running.url})` : ""}; stop it before restoring`,
          EXIT.user,
        );
      }
      const file = resolve(backup);
      let r: ReturnType<typeof restoreDatabase>;
      try {
        if (!existsSync(file)) throw new CliError(`there is no backup at ${file}`, EXIT.user);
        // No claire.toml (a machine rebuilt from scratch): make one with the backup's machine id.
        let machineId: string;
        if (existsSync(paths.configPath)) {
          const loaded = loadConfig(paths.configPath);
          if (!loaded.ok) throw new CliError(describeConfigError(loaded.error), EXIT.user);
          machineId = loaded.value.machineId;
        } else {
          const owner = backupMachineId(file);
          if (!owner) throw new CliError(`${file} is not a readable Claire database`, EXIT.user);
          const made = initConfig(paths, { hostname: hostname(), randomUUID: () => owner });
          if (!made.ok) throw new CliError(describeConfigError(made.error), EXIT.user);
          machineId = made.value.config.machineId;
        }
        r = restoreDatabase({
          backup: file,
          dbPath: paths.dbPath,
          machineId,
          now: Date.now,
          newLogId: randomUUID,
        });
        if (!r.ok) throw new CliError(r.error.message, EXIT.user);
      } finally {
        lock.release();
      }
      output(cmd, r.value, (v) =>
        [
          `restored ${v.events} events from ${file}`,
          `  log id   ${v.logId} (was ${v.previousLogId})`,
          `  epoch    ${v.epoch} (was ${v.previousEpoch}): new events cannot collide with ones peers already have`,
          v.replacedPath ? `  kept the replaced database as ${v.replacedPath}` : "",
          "Next: claire serve; peers send back what this machine wrote after the backup.",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });
};
