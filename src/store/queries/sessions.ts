// Session read queries.
import type Database from "better-sqlite3";
import { shortHandle } from "../../domain/ids.ts";
import type { Session, SessionState } from "../../domain/session.ts";
import { lazyStatement } from "../lazy-statement.ts";
import { stampToIso } from "./projects.ts";

export type SessionRow = {
  id: string;
  machine_id: string | null;
  session_id: string | null;
  machine_name: string | null;
  cwd: string | null;
  git_branch: string | null;
  version: string | null;
  title: string | null;
  model: string | null;
  transcript_path: string | null;
  source: string | null;
  pid: number | null;
  parent_pid: number | null;
  first_activity: string | null;
  last_activity: string | null;
  user_messages: number | null;
  assistant_messages: number | null;
  tokens_input: number | null;
  tokens_output: number | null;
  tokens_cache_creation: number | null;
  tokens_cache_read: number | null;
  cost_usd: number | null;
  state: string | null;
  state_s: string | null;
  last_activity_s: string | null;
  state_reason: string | null;
  predecessor: string | null;
  successor: string | null;
};

const SELECT = `SELECT s.*, m.name AS machine_name FROM sessions s LEFT JOIN machines m ON m.id = s.machine_id`;

/**
 * Since when a session is in its state. One found already ended (by a first scan, or a machine
 * that joined late) was recorded just now, but it ended when its last line was written: the same
 * answer for the CLI, the API and the dashboard.
 */
const stateSince = (r: SessionRow): string | null => {
  const since = stampToIso(r.state_s);
  return r.state === "ended" && r.last_activity !== null && (since === null || r.last_activity < since)
    ? r.last_activity
    : since;
};

export const sessionRowToView = (r: SessionRow): Session => {
  const sessionId = r.session_id ?? r.id.slice(r.id.indexOf("/") + 1);
  return {
    machineId: r.machine_id ?? r.id.slice(0, r.id.indexOf("/")),
    machineName: r.machine_name,
    sessionId,
    handle: shortHandle(sessionId),
    cwd: r.cwd,
    gitBranch: r.git_branch,
    version: r.version,
    title: r.title,
    model: r.model,
    transcriptPath: r.transcript_path,
    source: r.source,
    pid: r.pid,
    firstActivity: r.first_activity,
    lastActivity: r.last_activity,
    userMessages: r.user_messages ?? 0,
    assistantMessages: r.assistant_messages ?? 0,
    tokens: {
      input: r.tokens_input ?? 0,
      output: r.tokens_output ?? 0,
      cacheCreation: r.tokens_cache_creation ?? 0,
      cacheRead: r.tokens_cache_read ?? 0,
    },
    costUsd: r.cost_usd,
    state: (r.state ?? "unknown") as SessionState,
    stateReason: r.state_reason,
    stateSince: stateSince(r),
    predecessor: r.predecessor,
    successor: r.successor,
  };
};

export type SessionFilter = {
  readonly machineId?: string | undefined;
  readonly states?: readonly SessionState[] | undefined;
  readonly cwdPrefix?: string | undefined;
  readonly limit: number;
  readonly offset: number;
};

export const createSessionQueries = (db: Database.Database) => {
  const get = lazyStatement(db, `${SELECT} WHERE s.id = ?`);
  const find = lazyStatement(
    db,
    "SELECT id FROM sessions WHERE id = @q OR session_id = @q OR session_id LIKE @q || '%' OR id LIKE @q || '%' LIMIT 11",
  );
  return {
    getRow: (key: string): SessionRow | null => (get.get(key) as SessionRow | undefined) ?? null,
    get: (key: string): Session | null => {
      const r = get.get(key) as SessionRow | undefined;
      return r ? sessionRowToView(r) : null;
    },
    /** Keys of sessions matching a typed id: full key, session id, or a prefix of either. */
    findKeys: (input: string): string[] => (find.all({ q: input }) as { id: string }[]).map((r) => r.id),
    list: (f: SessionFilter): { sessions: Session[]; total: number } => {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (f.machineId) {
        where.push("s.machine_id = ?");
        params.push(f.machineId);
      }
      if (f.states && f.states.length > 0) {
        where.push(`COALESCE(s.state, 'unknown') IN (${f.states.map(() => "?").join(", ")})`);
        params.push(...f.states);
      }
      if (f.cwdPrefix) {
        // The directory or one below it, compared exactly: LIKE would take '%' and '_' in a path as
        // wildcards and ignore case.
        const dir = f.cwdPrefix.length > 1 ? f.cwdPrefix.replace(/\/+$/, "") || "/" : f.cwdPrefix;
        const below = dir.endsWith("/") ? dir : `${dir}/`;
        where.push("(s.cwd = ? OR substr(s.cwd, 1, length(?)) = ?)");
        params.push(dir, below, below);
      }
      const clause = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
      const total = (
        db.prepare(`SELECT COUNT(*) AS n FROM sessions s${clause}`).get(...params) as { n: number }
      ).n;
      const rows = db
        .prepare(`${SELECT}${clause} ORDER BY COALESCE(s.last_activity, '') DESC, s.id LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset) as SessionRow[];
      return { sessions: rows.map(sessionRowToView), total };
    },
    all: (): SessionRow[] => db.prepare(`${SELECT}`).all() as SessionRow[],
  };
};
