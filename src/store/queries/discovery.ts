// What session discovery keeps and reads locally: the transcript scanner's per-file state (the
// `scan_state` table, never synced) and this machine's own session rows.
import type Database from "better-sqlite3";
import { lazyStatement } from "../lazy-statement.ts";
import type { SessionRow } from "./sessions.ts";

export type ScanStateRow = { readonly path: string; readonly state: string };

// The title rule of src/sessions/session-facts.ts (custom, AI, summary, first prompt), read from the
// stored aggregate: it backs the local display of titles kept out of events (sessions.share_titles).
const LOCAL_TITLE = `COALESCE(json_extract(state, '$.agg.customTitle'), json_extract(state, '$.agg.aiTitle'),
  json_extract(state, '$.agg.summary'), json_extract(state, '$.agg.firstPrompt'))`;

const CHUNK = 500;

export const createDiscoveryQueries = (db: Database.Database) => {
  const get = lazyStatement(db, "SELECT state FROM scan_state WHERE path = ?", true);
  const all = lazyStatement(db, "SELECT path, state FROM scan_state");
  const put = lazyStatement(
    db,
    "INSERT INTO scan_state (path, state) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET state = excluded.state",
  );
  const del = lazyStatement(db, "DELETE FROM scan_state WHERE path = ?");
  const local = lazyStatement(db, "SELECT * FROM sessions WHERE machine_id = ?");
  const titles = new Map<number, Database.Statement>();
  const titleQuery = (n: number): Database.Statement => {
    let s = titles.get(n);
    if (!s) {
      s = db.prepare(
        `SELECT path, ${LOCAL_TITLE} AS title FROM scan_state WHERE path IN (${Array(n).fill("?").join(",")})`,
      );
      titles.set(n, s);
    }
    return s;
  };
  return {
    scanState: (path: string): string | undefined => get.get(path) as string | undefined,
    scanStates: (): ScanStateRow[] => all.all() as ScanStateRow[],
    /** Call inside a write transaction. */
    putScanState: (path: string, state: string): void => {
      put.run(path, state);
    },
    /** Call inside a write transaction. */
    deleteScanState: (path: string): void => {
      del.run(path);
    },
    /** Every session row hosted by this machine (the ones discovery writes). */
    localSessionRows: (machineId: string): SessionRow[] => local.all(machineId) as SessionRow[],
    /** Titles of the transcripts at these paths, from the local scanner state. */
    localTitles: (paths: readonly string[]): Map<string, string> => {
      const out = new Map<string, string>();
      for (let i = 0; i < paths.length; i += CHUNK) {
        const chunk = paths.slice(i, i + CHUNK);
        for (const r of titleQuery(chunk.length).all(...chunk) as { path: string; title: unknown }[]) {
          if (typeof r.title === "string") out.set(r.path, r.title);
        }
      }
      return out;
    },
  };
};
