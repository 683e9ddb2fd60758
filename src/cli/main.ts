// Claire's CLI entry (bundled to dist/claire.cjs): runs the program; the one place errors become
// exit codes and messages.
import { type Command, CommanderError } from "commander";
import { CliError, EXIT } from "./exit-codes.ts";
import { terminalSafe } from "./format.ts";
import { buildProgram } from "./program.ts";

/** What to do about a damaged database, wherever the damage was found. */
const DAMAGED_RECOVERY = [
  "restore the latest backup: claire restore <backup file> (claire backup makes them)",
  "or move the file aside (with its -wal and -shm) to start afresh; peers send back what they hold",
  "claire doctor checks it",
];

const fail = (message: string, details: readonly string[], code: number): void => {
  process.stderr.write(terminalSafe(`claire: ${message}\n${details.map((d) => `  ${d}\n`).join("")}`));
  process.exitCode = code;
};

/** Every command, at any depth (`task dep add` too), throws instead of exiting, so usage errors exit 2. */
const overrideExits = (cmd: Command): void => {
  cmd.exitOverride();
  for (const sub of cmd.commands) overrideExits(sub);
};

const main = async (argv: readonly string[]): Promise<void> => {
  const program = buildProgram(argv);
  overrideExits(program);
  try {
    await program.parseAsync(argv as string[], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and --version "fail" with code 0; everything else commander raises is a usage error.
      process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (e instanceof CliError) return fail(e.message, e.details, e.exitCode);
    const err = e as Error;
    const code = String((e as { code?: unknown })?.code ?? "");
    if (code === "CLAIRE_DAMAGED_DATABASE") return fail(err.message, DAMAGED_RECOVERY, EXIT.user);
    if (code === "CLAIRE_SCHEMA_TOO_NEW" || code === "CLAIRE_MACHINE_MISMATCH")
      return fail(err.message, [], EXIT.user);
    if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB")
      return fail(`Claire's database is damaged (${err.message})`, DAMAGED_RECOVERY, EXIT.user);
    if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code))
      return fail(
        `cannot use Claire's database: ${err.message}`,
        [
          "check that the data directory, claire.db, claire.db-wal and claire.db-shm belong to you and are writable (ls -l; claire doctor names the directory)",
          "a disk remounted read-only after I/O errors does this too (dmesg)",
        ],
        EXIT.user,
      );
    const debug = (process.env.CLAIRE_LOG_LEVEL ?? "").toLowerCase() === "debug";
    fail(
      `internal error: ${err?.message ?? String(e)}`,
      debug && err?.stack ? [err.stack] : ["run again with CLAIRE_LOG_LEVEL=debug for details"],
      EXIT.internal,
    );
  }
};

// No top-level await: bin/claire.cjs loads this bundle with require(), which refuses async module graphs.
void main(process.argv.slice(2));
