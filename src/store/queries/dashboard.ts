// Read queries behind the web dashboard: board cards with their newest note, each session's current
// task, a sortable and filterable session table, the session picker (live first), quarantined events.
import type Database from "better-sqlite3";
import type { Actor } from "../../domain/actor.ts";
import { shortHandle } from "../../domain/ids.ts";
import { hlcMs } from "../../domain/merge.ts";
import type { Session, SessionState } from "../../domain/session.ts";
import { type Priority, TASK_STATUSES, type TaskStatus } from "../../domain/task.ts";
import { msToIso } from "../../domain/text.ts";
import type { Update } from "../../domain/update.ts";
import { stampToIso } from "./projects.ts";
import { type SessionRow, sessionRowToView } from "./sessions.ts";
import { TASK_UPDATED_S } from "./tasks.ts";

export type CardRow = {
  readonly id: string;
  readonly handle: string;
  readonly title: string | null;
  readonly status: TaskStatus;
  readonly priority: Priority;
  readonly labels: readonly string[];
  readonly dependsOn: readonly string[];
  readonly owner: { readonly machineId: string; readonly sessionId: string; readonly via: string } | null;
  readonly updatedAt: string | null;
  readonly lastUpdate: {
    readonly text: string;
    readonly kind: Update["kind"];
    readonly at: string;
    readonly actor: Actor;
  } | null;
};

export type TaskBrief = {
  readonly id: string;
  readonly handle: string;
  readonly title: string | null;
  readonly status: TaskStatus;
};

export type QuarantinedRow = {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly machineId: string;
  readonly entityId: string;
  readonly at: string;
};

/** Columns the session table sorts by (never interpolated from input: looked up here). */
export const SESSION_SORTS = {
  activity: "COALESCE(s.last_activity, '')",
  state: `CASE COALESCE(s.state, 'unknown') WHEN 'working' THEN 0 WHEN 'waiting' THEN 1 WHEN 'idle' THEN 2 WHEN 'unknown' THEN 3 ELSE 4 END`,
  machine: "COALESCE(m.name, s.machine_id)",
  cwd: "COALESCE(s.cwd, '')",
  branch: "COALESCE(s.git_branch, '')",
  title: "COALESCE(s.title, '')",
  tokens:
    "COALESCE(s.tokens_input, 0) + COALESCE(s.tokens_output, 0) + COALESCE(s.tokens_cache_creation, 0) + COALESCE(s.tokens_cache_read, 0)",
  cost: "COALESCE(s.cost_usd, 0)",
} as const;
export type SessionSort = keyof typeof SESSION_SORTS;

export type SessionTableFilter = {
  readonly text?: string | undefined;
  readonly machineId?: string | undefined;
  readonly states?: readonly SessionState[] | undefined;
  readonly sort: SessionSort;
  readonly descending: boolean;
  readonly limit: number;
  readonly offset: number;
};

const STATE_RANK = SESSION_SORTS.state;

// A board reads a column's tasks (through the (project_id, status) index), then the labels,
// dependencies and newest notes of the cards shown, and joins them here: 2,000 cards cost half of
// what per-row JSON subqueries do. Open columns show the most urgent first; the finished ones the
// most recently finished first, since those grow for as long as the project lives.
const CARD_COLUMNS = `t.id, t.title, t.status, t.priority, ${TASK_UPDATED_S} AS updated_s,
  t.owner_machine, t.owner_session, t.owner_via`;
const URGENT_FIRST = `CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, t.created_ms, t.id`;
const cardTasksSql = (finished: boolean) => `SELECT ${CARD_COLUMNS} FROM tasks t
  WHERE t.project_id = ? AND t.created_ms IS NOT NULL AND (t.status = ? OR (? = 'todo' AND t.status IS NULL))
  ORDER BY ${finished ? "t.status_s DESC, t.id" : URGENT_FIRST} LIMIT ?`;
// Counted as the columns read them (tasks seen created, a missing status as todo), not like a
// project's taskCounts, which also count tasks known only from later events (pending).
const BOARD_COUNTS = `SELECT COALESCE(t.status, 'todo') AS status, COUNT(*) AS n FROM tasks t
  WHERE t.project_id = ? AND t.created_ms IS NOT NULL GROUP BY 1`;
const inList = (n: number) => Array(n).fill("?").join(",");
const cardSetSql = (table: "task_labels" | "task_deps", n: number) =>
  `SELECT s.id, s.element FROM ${table} s WHERE s.id IN (${inList(n)}) AND s.present = 1 ORDER BY s.id, s.element`;
// The newest note of each task, found through the (task_id, hlc) index.
const cardNotesSql = (n: number) => `SELECT u.task_id, u.text, u.kind, u.hlc, u.actor_kind, u.actor_id
  FROM updates u WHERE u.task_id IN (${inList(n)})
  AND u.hlc = (SELECT MAX(x.hlc) FROM updates x WHERE x.task_id = u.task_id)`;

/** How many cards of each column a board shows; null: all of them. */
export type BoardLimits = Readonly<Record<TaskStatus, number | null>>;

type CardSqlRow = {
  id: string;
  title: string | null;
  status: string | null;
  priority: string | null;
  updated_s: string | null;
  owner_machine: string | null;
  owner_session: string | null;
  owner_via: string | null;
};

type NoteRow = {
  task_id: string;
  text: string;
  kind: string;
  hlc: string;
  actor_kind: string;
  actor_id: string;
};

const groupSet = (rows: readonly { id: string; element: string }[]): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.id);
    if (list) list.push(r.element);
    else out.set(r.id, [r.element]);
  }
  return out;
};

const noteOf = (n: NoteRow | undefined): CardRow["lastUpdate"] =>
  n
    ? {
        text: n.text,
        kind: n.kind as Update["kind"],
        at: msToIso(hlcMs(n.hlc)),
        actor: { kind: n.actor_kind as Actor["kind"], id: n.actor_id },
      }
    : null;

const CHUNK = 500;

export const createDashboardQueries = (db: Database.Database) => {
  const openCards = db.prepare(cardTasksSql(false));
  const finishedCards = db.prepare(cardTasksSql(true));
  const columnCounts = db.prepare(BOARD_COUNTS);
  /** Statements for an IN list of n ids, made once per size. */
  const byIds = new Map<string, Database.Statement>();
  const idsQuery = (kind: "labels" | "deps" | "notes", n: number) => {
    const key = `${kind}:${n}`;
    let st = byIds.get(key);
    if (!st) {
      st = db.prepare(
        kind === "notes" ? cardNotesSql(n) : cardSetSql(kind === "labels" ? "task_labels" : "task_deps", n),
      );
      byIds.set(key, st);
    }
    return st;
  };
  const allByIds = <T>(kind: "labels" | "deps" | "notes", ids: readonly string[]): T[] => {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      out.push(...(idsQuery(kind, chunk.length).all(...chunk) as T[]));
    }
    return out;
  };
  const current = db.prepare(
    `SELECT id, title, status FROM tasks
     WHERE owner_machine = ? AND owner_session = ? AND created_ms IS NOT NULL AND status IN ('in_progress', 'blocked', 'todo')
     ORDER BY CASE status WHEN 'in_progress' THEN 0 WHEN 'blocked' THEN 1 ELSE 2 END, created_ms, id LIMIT 1`,
  );
  const openCurrent = db.prepare(
    // CROSS JOIN keeps sessions as the outer loop, so tasks are reached through their owner index
    // (the planner otherwise scans every task: 10x slower at 20,000 tasks).
    `SELECT s.id AS key, t.id, t.title, t.status FROM sessions s
     CROSS JOIN tasks t ON t.owner_machine = s.machine_id AND t.owner_session = s.session_id
     WHERE COALESCE(s.state, 'unknown') != 'ended' AND t.created_ms IS NOT NULL AND t.status IN ('in_progress', 'blocked', 'todo')
     ORDER BY CASE t.status WHEN 'in_progress' THEN 0 WHEN 'blocked' THEN 1 ELSE 2 END, t.created_ms, t.id`,
  );
  const names = db.prepare("SELECT id, name FROM projects WHERE name IS NOT NULL");
  // Through projects, so each project's (project_id, status) index finds its blocked tasks; there
  // is no index on status alone, and scanning every task costs 15x more.
  const blocked = db.prepare(
    `SELECT t.id, t.title, t.status, t.project_id FROM projects p
     CROSS JOIN tasks t ON t.project_id = p.id AND t.status = 'blocked' WHERE t.created_ms IS NOT NULL
     ORDER BY COALESCE(t.status_s, '') DESC, t.id LIMIT ?`,
  );
  const blockedCount = db.prepare(
    `SELECT COUNT(*) AS n FROM projects p CROSS JOIN tasks t ON t.project_id = p.id AND t.status = 'blocked'
     WHERE t.created_ms IS NOT NULL`,
  );
  const picker = db.prepare(
    `SELECT s.*, m.name AS machine_name FROM sessions s LEFT JOIN machines m ON m.id = s.machine_id
     ORDER BY ${STATE_RANK}, COALESCE(s.last_activity, '') DESC, s.id LIMIT ?`,
  );
  const live = db.prepare(
    `SELECT s.*, m.name AS machine_name FROM sessions s LEFT JOIN machines m ON m.id = s.machine_id
     WHERE COALESCE(s.state, 'unknown') != 'ended' ORDER BY ${STATE_RANK}, COALESCE(s.last_activity, '') DESC, s.id`,
  );
  const recentEnded = db.prepare(
    `SELECT s.*, m.name AS machine_name FROM sessions s LEFT JOIN machines m ON m.id = s.machine_id
     WHERE s.state = 'ended' ORDER BY COALESCE(s.last_activity, '') DESC, s.id LIMIT ?`,
  );
  const stateCounts = db.prepare(
    "SELECT machine_id AS machineId, COALESCE(state, 'unknown') AS state, COUNT(*) AS n FROM sessions GROUP BY 1, 2",
  );
  const quarantined = db.prepare(
    "SELECT seq, id, type, machine_id, entity_id, hlc FROM events WHERE applied = 0 ORDER BY seq DESC LIMIT ?",
  );
  const briefs = new Map<number, Database.Statement>();
  const briefQuery = (n: number) => {
    let s = briefs.get(n);
    if (!s) {
      s = db.prepare(
        `SELECT id, title, status FROM tasks WHERE id IN (${Array(n).fill("?").join(",")}) AND created_ms IS NOT NULL`,
      );
      briefs.set(n, s);
    }
    return s;
  };
  return {
    /** How many tasks of a project are in each status (every status present, zero or more). */
    boardCounts: (projectId: string): Record<TaskStatus, number> => {
      const out = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
      for (const r of columnCounts.all(projectId) as { status: string; n: number }[]) {
        if (r.status in out) out[r.status as TaskStatus] = r.n;
      }
      return out;
    },

    /** A project's tasks as board cards, column by column, each column cut at its limit. */
    boardCards: (projectId: string, limits: BoardLimits): CardRow[] => {
      const rows: CardSqlRow[] = [];
      for (const status of TASK_STATUSES) {
        const finished = status === "done" || status === "cancelled";
        const limit = limits[status] ?? -1; // SQLite: a negative LIMIT is no limit
        rows.push(
          ...((finished ? finishedCards : openCards).all(projectId, status, status, limit) as CardSqlRow[]),
        );
      }
      const ids = rows.map((r) => r.id);
      const labels = groupSet(allByIds<{ id: string; element: string }>("labels", ids));
      const deps = groupSet(allByIds<{ id: string; element: string }>("deps", ids));
      const notes = new Map(allByIds<NoteRow>("notes", ids).map((n) => [n.task_id, n]));
      return rows.map((r) => ({
        id: r.id,
        handle: shortHandle(r.id),
        title: r.title,
        status: (r.status ?? "todo") as TaskStatus,
        priority: (r.priority ?? "normal") as Priority,
        labels: labels.get(r.id) ?? [],
        dependsOn: deps.get(r.id) ?? [],
        owner:
          r.owner_machine && r.owner_session
            ? { machineId: r.owner_machine, sessionId: r.owner_session, via: r.owner_via ?? "assigned" }
            : null,
        updatedAt: stampToIso(r.updated_s),
        lastUpdate: noteOf(notes.get(r.id)),
      }));
    },

    /** Id, title and status of these tasks (those that exist). */
    taskBriefs: (ids: readonly string[]): Map<string, TaskBrief> => {
      const out = new Map<string, TaskBrief>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        for (const r of briefQuery(chunk.length).all(...chunk) as {
          id: string;
          title: string | null;
          status: string | null;
        }[]) {
          out.set(r.id, {
            id: r.id,
            handle: shortHandle(r.id),
            title: r.title,
            status: (r.status ?? "todo") as TaskStatus,
          });
        }
      }
      return out;
    },

    /** The open task a session works on (in progress first, then blocked, then to do), if any. */
    currentTask: (machineId: string, sessionId: string): TaskBrief | null => {
      const r = current.get(machineId, sessionId) as
        | { id: string; title: string | null; status: string }
        | undefined;
      return r
        ? { id: r.id, handle: shortHandle(r.id), title: r.title, status: r.status as TaskStatus }
        : null;
    },

    /** The current task of every session that has not ended, by session key (one query). */
    currentTasksOfOpenSessions: (): Map<string, TaskBrief> => {
      const out = new Map<string, TaskBrief>();
      for (const r of openCurrent.all() as {
        key: string;
        id: string;
        title: string | null;
        status: string;
      }[]) {
        if (!out.has(r.key))
          out.set(r.key, {
            id: r.id,
            handle: shortHandle(r.id),
            title: r.title,
            status: r.status as TaskStatus,
          });
      }
      return out;
    },

    /** The most recently blocked tasks and how many are blocked. */
    blockedTasks: (
      limit: number,
    ): { tasks: (TaskBrief & { projectId: string | null })[]; total: number } => ({
      tasks: (
        blocked.all(limit) as {
          id: string;
          title: string | null;
          status: string;
          project_id: string | null;
        }[]
      ).map((r) => ({
        id: r.id,
        handle: shortHandle(r.id),
        title: r.title,
        status: r.status as TaskStatus,
        projectId: r.project_id,
      })),
      total: (blockedCount.get() as { n: number }).n,
    }),

    /** Every project's name by id (no task counts, unlike projects.list). */
    projectNames: (): Map<string, string> =>
      new Map((names.all() as { id: string; name: string }[]).map((r) => [r.id, r.name])),

    /** Sessions that have not ended, working first, then waiting, idle, unknown; newest activity first. */
    openSessions: (): Session[] => (live.all() as SessionRow[]).map(sessionRowToView),

    recentEndedSessions: (limit: number): Session[] =>
      (recentEnded.all(limit) as SessionRow[]).map(sessionRowToView),

    /** How many sessions each machine has in each recorded state. */
    sessionCounts: (): { machineId: string; state: SessionState; n: number }[] =>
      stateCounts.all() as { machineId: string; state: SessionState; n: number }[],

    /** Sessions for a picker: live ones first, then the rest by recent activity. */
    sessionPicker: (limit: number): Session[] => (picker.all(limit) as SessionRow[]).map(sessionRowToView),

    sessionTable: (f: SessionTableFilter): { sessions: Session[]; total: number } => {
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
      if (f.text) {
        // instr() rather than LIKE: the text is matched literally ('%' and '_' are not wildcards).
        where.push(
          `(instr(lower(COALESCE(s.cwd, '')), ?) > 0 OR instr(lower(COALESCE(s.title, '')), ?) > 0
            OR instr(lower(COALESCE(s.git_branch, '')), ?) > 0 OR instr(lower(s.id), ?) > 0
            OR instr(lower(COALESCE(m.name, '')), ?) > 0)`,
        );
        const t = f.text.toLowerCase();
        params.push(t, t, t, t, t);
      }
      const from = "FROM sessions s LEFT JOIN machines m ON m.id = s.machine_id";
      const clause = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
      const total = (db.prepare(`SELECT COUNT(*) AS n ${from}${clause}`).get(...params) as { n: number }).n;
      const order = `${SESSION_SORTS[f.sort]} ${f.descending ? "DESC" : "ASC"}, s.id`;
      const rows = db
        .prepare(`SELECT s.*, m.name AS machine_name ${from}${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset) as SessionRow[];
      return { sessions: rows.map(sessionRowToView), total };
    },

    /** Events held back because they cannot apply yet (newest first). */
    quarantined: (limit: number): QuarantinedRow[] =>
      (
        quarantined.all(limit) as {
          seq: number;
          id: string;
          type: string;
          machine_id: string;
          entity_id: string;
          hlc: string;
        }[]
      ).map((r) => ({
        seq: r.seq,
        id: r.id,
        type: r.type,
        machineId: r.machine_id,
        entityId: r.entity_id,
        at: msToIso(hlcMs(r.hlc)),
      })),
  };
};
