// Backup and restore of this machine's database (DESIGN section 5).
//
// Backup: an online, consistent copy made with SQLite's backup API in one step (one read
// transaction), so it is safe while `claire serve` writes: WAL readers never block the writer.
//
// Restore: the backup becomes this machine's database with a NEW log_id and a NEW writer epoch
// (origin_seq starts again at 0). Peers already hold events this machine wrote after the backup
// was taken, under the old epoch; new writes under a new epoch can never collide with them, and
// the new log_id makes every peer's cursor for this machine start again from 0 (dedup by id makes
// the re-read harmless). Push positions start over too. Tokens are this machine's current ones,
// not the backup's, so a token revoked since the backup stays revoked.
import { chmodSync, existsSync, renameSync, rmSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { encodeHlc, parseHlc } from "../clock/index.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { SCHEMA_VERSION } from "../version.ts";
import { openDatabase } from "./database.ts";

export type BackupError = { readonly type: "BackupError"; readonly message: string };
const fail = (message: string): BackupError => ({ type: "BackupError", message });

export type BackupInfo = {
  readonly path: string;
  readonly bytes: number;
  readonly events: number;
  readonly machineId: string;
  readonly logId: string;
  readonly epoch: number;
};

type WriterRow = { machine_id: string; epoch: number; origin_seq: number; hlc: string };
type TokenRow = {
  id: string;
  name: string;
  hash: string;
  created_ms: number;
  revoked_ms: number | null;
  last_used_ms: number | null;
};

const SIDE_FILES = ["-wal", "-shm", "-journal"] as const;
const removeWithSideFiles = (path: string) => {
  for (const suffix of ["", ...SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
};

/** Opens a file read-only; side files SQLite makes for it (a WAL-mode file) are removed after. */
const readOnly = <T>(path: string, fn: (db: Database.Database) => T): T => {
  const had = SIDE_FILES.filter((suffix) => existsSync(`${path}${suffix}`));
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    return fn(db);
  } finally {
    db.close();
    for (const suffix of SIDE_FILES) {
      const side = `${path}${suffix}`;
      // Made by this read (a WAL-mode file gets a -shm of 32 KiB): not left behind.
      if (!had.includes(suffix)) rmSync(side, { force: true });
    }
  }
};

/** Reads what a Claire database says about itself; null when it is not one. */
const describe = (db: Database.Database): { writer: WriterRow; logId: string; events: number } | null => {
  try {
    const writer = db.prepare("SELECT machine_id, epoch, origin_seq, hlc FROM writer WHERE id = 1").get() as
      | WriterRow
      | undefined;
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'log_id'").get() as
      | { value: string }
      | undefined;
    if (!writer || !meta) return null;
    const events = (db.prepare("SELECT COUNT(*) AS n FROM events").get() as { n: number }).n;
    return { writer, logId: meta.value, events };
  } catch {
    return null;
  }
};

/**
 * Copies the live database at `source` to `dest` (which must not exist). Written to a side file
 * and renamed into place once checked, so `dest` is either a complete backup or absent.
 */
export const backupDatabase = async (
  source: string,
  dest: string,
): Promise<Result<BackupInfo, BackupError>> => {
  if (!existsSync(source)) return err(fail(`there is no database at ${source} to back up`));
  if (existsSync(dest)) return err(fail(`${dest} exists; choose another path (a backup never overwrites)`));
  const partial = `${dest}.partial`;
  removeWithSideFiles(partial);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    // Every page in one step: one read transaction, so the copy is one consistent snapshot even
    // while another process commits (a step-by-step copy would restart on every commit).
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (e) {
    removeWithSideFiles(partial);
    return err(fail(`backup failed: ${(e as Error).message}`));
  } finally {
    db.close();
  }
  const copy = new Database(partial, { fileMustExist: true });
  let info: ReturnType<typeof describe>;
  try {
    const check = copy.pragma("quick_check", { simple: true });
    info = check === "ok" ? describe(copy) : null;
    // One self-contained file: no -wal beside it to forget when the backup is copied elsewhere.
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
  if (!info) {
    removeWithSideFiles(partial);
    return err(fail(`the copy of ${source} did not check out; nothing was written`));
  }
  // Private, as the database is (its directory is): titles, prompts, token hashes.
  chmodSync(partial, 0o600);
  renameSync(partial, dest);
  removeWithSideFiles(partial);
  return ok({
    path: dest,
    bytes: statSync(dest).size,
    events: info.events,
    machineId: info.writer.machine_id,
    logId: info.logId,
    epoch: info.writer.epoch,
  });
};

/** The machine a backup belongs to, or null when the file is not a readable Claire database. */
export const backupMachineId = (path: string): string | null => {
  try {
    return readOnly(path, (db) => describe(db)?.writer.machine_id ?? null);
  } catch {
    return null;
  }
};

export type RestoreOptions = {
  readonly backup: string;
  /** This machine's database path; the file there (if any) is kept beside it, renamed. */
  readonly dbPath: string;
  /** This machine's id (claire.toml): a backup of another machine is refused. */
  readonly machineId: string;
  readonly now: () => number;
  readonly newLogId: () => string;
};

export type RestoreInfo = {
  readonly dbPath: string;
  /** Where the database that was replaced now is; null when there was none. */
  readonly replacedPath: string | null;
  readonly machineId: string;
  readonly logId: string;
  readonly previousLogId: string;
  readonly epoch: number;
  readonly previousEpoch: number;
  readonly events: number;
  readonly tokensKept: number;
};

/** Facts from the database being replaced: its epoch and clock (never go back) and its tokens. */
const currentState = (dbPath: string): { writer: WriterRow | null; tokens: TokenRow[] | null } => {
  if (!existsSync(dbPath)) return { writer: null, tokens: null };
  try {
    const db = new Database(dbPath, { fileMustExist: true });
    try {
      db.pragma("busy_timeout = 10000");
      const writer = describe(db)?.writer ?? null;
      const tokens = db.prepare("SELECT * FROM api_tokens").all() as TokenRow[];
      // Fold the WAL into the file, so the copy kept aside is complete on its own.
      db.pragma("wal_checkpoint(TRUNCATE)");
      return { writer, tokens };
    } finally {
      db.close();
    }
  } catch {
    // A damaged database (the usual reason to restore) tells us nothing; it is still kept aside.
    return { writer: null, tokens: null };
  }
};

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[:.]/g, "-");

/**
 * Installs `backup` as this machine's database with a new log_id and writer epoch. The caller
 * makes sure no server runs on this database.
 */
export const restoreDatabase = (o: RestoreOptions): Result<RestoreInfo, BackupError> => {
  if (!existsSync(o.backup)) return err(fail(`there is no backup at ${o.backup}`));
  const staging = `${o.dbPath}.restoring`;
  removeWithSideFiles(staging);
  // Work on a copy: the backup file itself stays untouched, and can be restored again.
  try {
    const refusal = readOnly(o.backup, (src) => {
      const version = src.pragma("user_version", { simple: true }) as number;
      if (version > SCHEMA_VERSION)
        return `${o.backup} has schema ${version}, newer than this Claire (${SCHEMA_VERSION})`;
      src.exec(`VACUUM INTO '${staging.replaceAll("'", "''")}'`);
      return null;
    });
    if (refusal) return err(fail(refusal));
  } catch (e) {
    removeWithSideFiles(staging);
    return err(fail(`${o.backup} is not a readable Claire database: ${(e as Error).message}`));
  }
  const current = currentState(o.dbPath);
  let info: RestoreInfo | BackupError;
  const db = openDatabase(staging);
  try {
    info = db
      .transaction((): RestoreInfo | BackupError => {
        if (db.pragma("integrity_check", { simple: true }) !== "ok")
          return fail(`${o.backup} fails PRAGMA integrity_check`);
        const d = describe(db);
        if (!d) return fail(`${o.backup} is not a Claire database (no writer or log id)`);
        if (d.writer.machine_id !== o.machineId)
          return fail(
            `${o.backup} belongs to machine ${d.writer.machine_id}, but claire.toml says ${o.machineId}; restore it on that machine, or with that machine's claire.toml`,
          );
        // Above every epoch this machine is known to have written under, here or in the backup.
        const seen = db
          .prepare("SELECT COALESCE(MAX(epoch), 0) AS e FROM events WHERE machine_id = ?")
          .get(o.machineId) as { e: number };
        const epoch = Math.max(d.writer.epoch, seen.e, current.writer?.epoch ?? 0) + 1;
        // The clock never goes back: the newer of the backup's and the replaced database's.
        let hlc = d.writer.hlc;
        const replacedHlc = current.writer ? parseHlc(current.writer.hlc) : null;
        if (replacedHlc?.ok && current.writer!.hlc > hlc) hlc = encodeHlc(replacedHlc.value);
        db.prepare("UPDATE writer SET epoch = ?, origin_seq = 0, hlc = ? WHERE id = 1").run(epoch, hlc);
        const logId = o.newLogId();
        db.prepare("UPDATE meta SET value = ? WHERE key = 'log_id'").run(logId);
        db.prepare("UPDATE peer_status SET push_seq = 0").run();
        if (current.tokens) {
          db.prepare("DELETE FROM api_tokens").run();
          const insert = db.prepare(
            "INSERT INTO api_tokens (id, name, hash, created_ms, revoked_ms, last_used_ms) VALUES (@id, @name, @hash, @created_ms, @revoked_ms, @last_used_ms)",
          );
          for (const t of current.tokens) insert.run(t);
        }
        return {
          dbPath: o.dbPath,
          replacedPath: null,
          machineId: o.machineId,
          logId,
          previousLogId: d.logId,
          epoch,
          previousEpoch: d.writer.epoch,
          events: d.events,
          tokensKept: current.tokens?.length ?? 0,
        };
      })
      .immediate();
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  if ("type" in info) {
    removeWithSideFiles(staging);
    return err(info);
  }
  let replacedPath: string | null = null;
  if (existsSync(o.dbPath)) {
    replacedPath = `${o.dbPath}.before-restore-${stamp(o.now())}`;
    renameSync(o.dbPath, replacedPath);
    for (const suffix of SIDE_FILES) {
      if (existsSync(`${o.dbPath}${suffix}`)) renameSync(`${o.dbPath}${suffix}`, `${replacedPath}${suffix}`);
    }
  }
  renameSync(staging, o.dbPath);
  removeWithSideFiles(staging);
  return ok({ ...info, replacedPath });
};
