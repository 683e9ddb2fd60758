// Opening a Claire database: WAL (readers never block the single writer), a busy timeout so
// short-lived processes wait for each other instead of failing, and migrations to the latest schema.
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations.ts";

export type Db = Database.Database;

export type OpenOptions = { readonly readonly?: boolean; readonly busyTimeoutMs?: number };

/**
 * The file is not a SQLite database, or SQLite found it damaged. Recognised by its code, not by
 * class: the CLI's bundle and the store's are separate (src/domain/brand.ts).
 */
export class DamagedDatabaseError extends Error {
  readonly code = "CLAIRE_DAMAGED_DATABASE";
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`the database ${path} is damaged (${reason})`);
    this.name = "DamagedDatabaseError";
    this.path = path;
  }
}

const DAMAGED = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT"]);

export const openDatabase = (path: string, options: OpenOptions = {}): Db => {
  if (path !== ":memory:" && !options.readonly) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Made private, as claire.toml is (titles, first prompts, token hashes): in a CLAIRE_HOME the
  // user made the directory may be readable by others. SQLite gives -wal and -shm the same mode.
  if (path !== ":memory:" && !options.readonly && !existsSync(path)) closeSync(openSync(path, "a", 0o600));
  const db = new Database(path, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  try {
    return prepare(db, options);
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code;
    if (code && DAMAGED.has(code)) throw new DamagedDatabaseError(path, (e as Error).message);
    throw e;
  }
};

const prepare = (db: Db, options: OpenOptions): Db => {
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
  if (!options.readonly) {
    db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode: a power cut may lose the last commits but never corrupts; an acknowledged
    // write survives a process crash (kill -9), which is what the API promises.
    db.pragma("synchronous = NORMAL");
    // A 64 MB page cache keeps the indexes' hot pages in memory during bursts of appends, and a
    // larger checkpoint window writes each hot page to the database file once instead of often.
    db.pragma("cache_size = -65536");
    db.pragma("wal_autocheckpoint = 10000");
    migrate(db);
  }
  return db;
};

/**
 * The machine id a database was written under, or null when there is no readable database at
 * `path`: what a lost claire.toml is made again from.
 */
export const storedMachineId = (path: string): string | null => {
  if (!existsSync(path)) return null;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT machine_id FROM writer WHERE id = 1").get() as
        | { machine_id: string }
        | undefined;
      return row?.machine_id ?? null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
};
