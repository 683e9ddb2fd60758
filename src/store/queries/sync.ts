// Sync read/write helpers on local (never synced) tables: pull cursors, peer health, the version
// vector summary of the event log, and accepted API tokens.
import type Database from "better-sqlite3";

export type VectorEntry = {
  machineId: string;
  epoch: number;
  contiguous: number;
  count: number;
  maxOriginSeq: number;
};

export type ContactRow = { machine_id: string; heard_ms: number };

export type PeerStatusRow = {
  peer: string;
  machine_id: string | null;
  log_id: string | null;
  last_attempt_ms: number | null;
  last_success_ms: number | null;
  last_error: string | null;
  behind: number | null;
  pulled: number;
  pushed: number;
  push_seq: number;
  clock_offset_ms: number | null;
};

export type TokenRow = {
  id: string;
  name: string;
  hash: string;
  created_ms: number;
  revoked_ms: number | null;
  last_used_ms: number | null;
};

export const createSyncQueries = (db: Database.Database) => {
  const groups = db.prepare(
    "SELECT machine_id AS machineId, epoch, COUNT(*) AS count, MAX(origin_seq) AS maxOriginSeq FROM events GROUP BY machine_id, epoch ORDER BY machine_id, epoch",
  );
  // First origin_seq after which the next one is missing (the end of the contiguous prefix).
  const firstGapEnd = db.prepare(
    `SELECT e.origin_seq AS s FROM events e WHERE e.machine_id = ? AND e.epoch = ? AND NOT EXISTS
       (SELECT 1 FROM events f WHERE f.machine_id = e.machine_id AND f.epoch = e.epoch AND f.origin_seq = e.origin_seq + 1)
     ORDER BY e.origin_seq LIMIT 1`,
  );
  const hasFirst = db.prepare("SELECT 1 FROM events WHERE machine_id = ? AND epoch = ? AND origin_seq = 1");
  const cursor = db.prepare("SELECT after_seq FROM peer_cursors WHERE peer = ? AND log_id = ?");
  const setCursor = db.prepare(
    "INSERT INTO peer_cursors (peer, log_id, after_seq, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT (peer, log_id) DO UPDATE SET after_seq = excluded.after_seq, updated_ms = excluded.updated_ms",
  );
  const status = db.prepare("SELECT * FROM peer_status WHERE peer = ?");
  const allStatus = db.prepare("SELECT * FROM peer_status ORDER BY peer");
  const upsertStatus = db.prepare(
    `INSERT INTO peer_status (peer, machine_id, log_id, last_attempt_ms, last_success_ms, last_error, behind, pulled, pushed, push_seq, clock_offset_ms)
     VALUES (@peer, @machine_id, @log_id, @last_attempt_ms, @last_success_ms, @last_error, @behind, @pulled, @pushed, @push_seq, @clock_offset_ms)
     ON CONFLICT (peer) DO UPDATE SET machine_id = excluded.machine_id, log_id = excluded.log_id, last_attempt_ms = excluded.last_attempt_ms,
       last_success_ms = excluded.last_success_ms, last_error = excluded.last_error, behind = excluded.behind, pulled = excluded.pulled,
       pushed = excluded.pushed, push_seq = excluded.push_seq, clock_offset_ms = excluded.clock_offset_ms`,
  );
  const contacts = db.prepare("SELECT machine_id, heard_ms FROM machine_contacts");
  const upsertContact = db.prepare(
    `INSERT INTO machine_contacts (machine_id, heard_ms, via) VALUES (?, ?, ?)
     ON CONFLICT (machine_id) DO UPDATE SET heard_ms = excluded.heard_ms, via = excluded.via
     WHERE excluded.heard_ms > machine_contacts.heard_ms`,
  );
  return {
    /** The last contact with each machine that a peer reported (the newest report wins). */
    contacts: (): ContactRow[] => contacts.all() as ContactRow[],
    recordContact: (machineId: string, heardMs: number, via: string) =>
      upsertContact.run(machineId, heardMs, via),
    vector: (): VectorEntry[] =>
      (groups.all() as Omit<VectorEntry, "contiguous">[]).map((g) => {
        let contiguous = g.count === g.maxOriginSeq ? g.maxOriginSeq : 0;
        if (contiguous === 0 && hasFirst.get(g.machineId, g.epoch)) {
          contiguous = (firstGapEnd.get(g.machineId, g.epoch) as { s: number }).s;
        }
        return { ...g, contiguous };
      }),
    cursor: (peer: string, logId: string): number =>
      (cursor.get(peer, logId) as { after_seq: number } | undefined)?.after_seq ?? 0,
    setCursor: (peer: string, logId: string, after: number, nowMs: number) =>
      setCursor.run(peer, logId, after, nowMs),
    peerStatus: (peer: string): PeerStatusRow | null =>
      (status.get(peer) as PeerStatusRow | undefined) ?? null,
    allPeerStatus: (): PeerStatusRow[] => allStatus.all() as PeerStatusRow[],
    savePeerStatus: (row: PeerStatusRow) => upsertStatus.run(row),
    deletePeerStatus: (peer: string) => db.prepare("DELETE FROM peer_status WHERE peer = ?").run(peer),
    tokens: (): TokenRow[] => db.prepare("SELECT * FROM api_tokens ORDER BY created_ms").all() as TokenRow[],
    activeTokenHashes: (): { id: string; hash: string }[] =>
      db.prepare("SELECT id, hash FROM api_tokens WHERE revoked_ms IS NULL").all() as {
        id: string;
        hash: string;
      }[],
    insertToken: (row: Omit<TokenRow, "revoked_ms" | "last_used_ms">) =>
      db
        .prepare(
          "INSERT INTO api_tokens (id, name, hash, created_ms) VALUES (@id, @name, @hash, @created_ms)",
        )
        .run(row),
    revokeToken: (id: string, nowMs: number) =>
      db.prepare("UPDATE api_tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL").run(nowMs, id)
        .changes,
    touchToken: (id: string, nowMs: number) =>
      db.prepare("UPDATE api_tokens SET last_used_ms = ? WHERE id = ?").run(nowMs, id),
    /** A dashboard sign-in with the token it was bought with, while that token is active. */
    signIn: (credentialHash: string): { token_id: string; expires_ms: number; active: number } | null =>
      (db
        .prepare(
          `SELECT s.token_id, s.expires_ms, (t.id IS NOT NULL) AS active FROM dashboard_sign_ins s
           LEFT JOIN api_tokens t ON t.id = s.token_id AND t.revoked_ms IS NULL WHERE s.credential_hash = ?`,
        )
        .get(credentialHash) as { token_id: string; expires_ms: number; active: number } | undefined) ?? null,
    insertSignIn: (credentialHash: string, tokenId: string, expiresMs: number) =>
      db
        .prepare("INSERT INTO dashboard_sign_ins (credential_hash, token_id, expires_ms) VALUES (?, ?, ?)")
        .run(credentialHash, tokenId, expiresMs),
    deleteSignIn: (credentialHash: string) =>
      db.prepare("DELETE FROM dashboard_sign_ins WHERE credential_hash = ?").run(credentialHash),
    /** Drops expired sign-ins, and the oldest beyond `keep`. */
    pruneSignIns: (nowMs: number, keep: number) => {
      db.prepare("DELETE FROM dashboard_sign_ins WHERE expires_ms < ?").run(nowMs);
      db.prepare(
        `DELETE FROM dashboard_sign_ins WHERE credential_hash IN
           (SELECT credential_hash FROM dashboard_sign_ins ORDER BY expires_ms DESC LIMIT -1 OFFSET ?)`,
      ).run(keep);
    },
  };
};
