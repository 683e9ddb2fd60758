// One `claire serve` per Claire home, held by an operating-system lock rather than by serve.json
// alone: two servers started at the same moment both found no serve.json and both ran (and when
// one stopped, the other ran unseen, so `claire rebuild` ran under it). The lock is SQLite's own
// (an exclusive transaction on a small file beside the database: a POSIX advisory lock), so it is
// released by the kernel when its process ends however it ends; no stale lock to clear by hand.
// rebuild and restore take it too, so a server cannot start under them.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export type ServeLock = { readonly release: () => void };

export const serveLockPath = (dataDir: string): string => join(dataDir, "serve.lock");

/** Takes this home's serve lock, or null when another process holds it. */
export const takeServeLock = (dataDir: string): ServeLock | null => {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(serveLockPath(dataDir), { timeout: 0 });
  try {
    db.exec("BEGIN EXCLUSIVE");
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === "SQLITE_BUSY") return null;
    throw e;
  }
  return {
    release: () => {
      if (!db.open) return;
      try {
        db.exec("ROLLBACK");
      } finally {
        db.close();
      }
    },
  };
};
