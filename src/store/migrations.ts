// Versioned schema migrations, tracked in PRAGMA user_version. Each migration runs once, inside a
// transaction, in order; a database from a newer Claire is refused rather than misread.
import type Database from "better-sqlite3";
import { nodeCrypto } from "../domain/lazy-crypto.ts";
import { SCHEMA_VERSION } from "../version.ts";
import { projectionIndexesDdl, projectionTablesDdl } from "./projection-schema.ts";
import { TIMELINE_TYPES } from "./timeline-types.ts";

export { SCHEMA_VERSION };

type Migration = (db: Database.Database) => void;

const MIGRATIONS: readonly Migration[] = [
  // 1: event log, rejected events, local metadata, projections.
  (db) => {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
      CREATE TABLE writer (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        machine_id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        origin_seq INTEGER NOT NULL,
        hlc TEXT NOT NULL
      );
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        hlc TEXT NOT NULL,
        machine_id TEXT NOT NULL,
        epoch INTEGER NOT NULL,
        origin_seq INTEGER NOT NULL,
        actor_kind TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        type TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        data TEXT NOT NULL,
        applied INTEGER NOT NULL DEFAULT 1,
        UNIQUE (machine_id, epoch, origin_seq)
      );
      CREATE INDEX events_unapplied ON events (seq) WHERE applied = 0;
      CREATE INDEX events_entity ON events (entity_id);
      CREATE TABLE rejected (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        event_id TEXT,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL
      );
      CREATE TABLE peer_cursors (
        peer TEXT NOT NULL,
        log_id TEXT NOT NULL,
        after_seq INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        PRIMARY KEY (peer, log_id)
      );
      CREATE TABLE scan_state (path TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL);
      -- Tokens this machine accepts: only a SHA-256 of each is kept. Local, never synced.
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL,
        revoked_ms INTEGER,
        last_used_ms INTEGER
      );
      -- Sync health per peer URL, and how far our own events have been pushed to it.
      CREATE TABLE peer_status (
        peer TEXT PRIMARY KEY NOT NULL,
        machine_id TEXT,
        log_id TEXT,
        last_attempt_ms INTEGER,
        last_success_ms INTEGER,
        last_error TEXT,
        behind INTEGER,
        pulled INTEGER NOT NULL DEFAULT 0,
        pushed INTEGER NOT NULL DEFAULT 0,
        push_seq INTEGER NOT NULL DEFAULT 0,
        clock_offset_ms INTEGER
      );
    `);
    for (const ddl of projectionTablesDdl("")) db.exec(ddl);
    for (const ddl of projectionIndexesDdl()) db.exec(ddl);
    db.prepare("INSERT INTO meta (key, value) VALUES ('log_id', ?)").run(nodeCrypto().randomUUID());
  },
  // 2: the entity index leaves notes out. A note is its own entity and never has a timeline; its
  // entry only interleaved with the tasks' entries (both are UUIDv7s of the same minutes), so every
  // append dirtied pages all over the index. Timelines ask with the same condition (TIMELINE_TYPES).
  (db) => {
    db.exec(
      `DROP INDEX events_entity; CREATE INDEX events_entity ON events (entity_id) WHERE ${TIMELINE_TYPES}`,
    );
  },
  // 3: dashboard sign-ins kept in the database, so a restart of `claire serve` (an upgrade, systemd)
  // no longer signs every browser out. Only a SHA-256 of each cookie's credential is kept, with the
  // token it was bought with. Local, never synced.
  (db) => {
    db.exec(`
      CREATE TABLE dashboard_sign_ins (
        credential_hash TEXT PRIMARY KEY NOT NULL,
        token_id TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
      );
      CREATE INDEX dashboard_sign_ins_expiry ON dashboard_sign_ins (expires_ms);
    `);
  },
  // 4: when a machine this one does not sync with itself was last in contact with the fleet, as
  // its peers report it (GET /sync/contacts), so a dead machine heard of only through a relay turns
  // "unknown" too. Local, never synced.
  (db) => {
    db.exec(`
      CREATE TABLE machine_contacts (
        machine_id TEXT PRIMARY KEY NOT NULL,
        heard_ms INTEGER NOT NULL,
        via TEXT NOT NULL
      );
    `);
  },
];

// Kept as a constant in version.ts so `claire --version` needs no database code.
if (SCHEMA_VERSION !== MIGRATIONS.length) {
  throw new Error(`version.ts says schema ${SCHEMA_VERSION} but there are ${MIGRATIONS.length} migrations`);
}

export class SchemaTooNewError extends Error {
  /** Recognised by code in the CLI (its bundle is not the store's: src/domain/brand.ts). */
  readonly code = "CLAIRE_SCHEMA_TOO_NEW";
  readonly found: number;
  constructor(found: number) {
    super(
      `this database has schema version ${found}, newer than this Claire understands (${SCHEMA_VERSION}); upgrade Claire`,
    );
    this.found = found;
  }
}

/** Migrates to `target` (the latest unless a test builds an older database to migrate). */
export const migrate = (db: Database.Database, target = SCHEMA_VERSION): void => {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(current);
  for (let v = current; v < target; v++) {
    db.transaction(() => {
      // Re-check inside the write lock: another process may have migrated meanwhile.
      const now = db.pragma("user_version", { simple: true }) as number;
      if (now > v) return;
      MIGRATIONS[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
};
