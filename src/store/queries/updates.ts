// Update (progress note) read queries.
import type Database from "better-sqlite3";
import type { Actor } from "../../domain/actor.ts";
import { shortHandle } from "../../domain/ids.ts";
import { hlcMs } from "../../domain/merge.ts";
import { parseSessionKey } from "../../domain/session-ref.ts";
import { msToIso } from "../../domain/text.ts";
import type { Update } from "../../domain/update.ts";

type Row = {
  id: string;
  hlc: string;
  kind: string;
  text: string;
  task_id: string | null;
  project_id: string | null;
  session_key: string | null;
  actor_kind: string;
  actor_id: string;
};

const toView = (r: Row): Update => ({
  id: r.id,
  handle: shortHandle(r.id),
  kind: r.kind as Update["kind"],
  text: r.text,
  taskId: r.task_id,
  projectId: r.project_id,
  session: r.session_key ? parseSessionKey(r.session_key) : null,
  actor: { kind: r.actor_kind as Actor["kind"], id: r.actor_id },
  createdAt: msToIso(hlcMs(r.hlc)),
});

export type UpdateFilter = {
  readonly taskId?: string | undefined;
  readonly projectId?: string | undefined;
  /** With projectId: only notes about the project itself, not about one of its tasks. */
  readonly projectOnly?: boolean | undefined;
  readonly sessionKey?: string | undefined;
  /** Only updates made after this HLC prefix (an ISO time is converted by the caller). */
  readonly sinceHlc?: string | undefined;
  readonly limit: number;
};

export const createUpdateQueries = (db: Database.Database) => {
  const get = db.prepare("SELECT * FROM updates WHERE id = ?");
  return {
    get: (id: string): Update | null => {
      const r = get.get(id) as Row | undefined;
      return r ? toView(r) : null;
    },
    list: (f: UpdateFilter): Update[] => {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (f.taskId) {
        where.push("task_id = ?");
        params.push(f.taskId);
      }
      if (f.projectId && f.projectOnly) {
        where.push("project_id = ? AND task_id IS NULL");
        params.push(f.projectId);
      } else if (f.projectId) {
        where.push("(project_id = ? OR task_id IN (SELECT id FROM tasks WHERE project_id = ?))");
        params.push(f.projectId, f.projectId);
      }
      if (f.sessionKey) {
        where.push("session_key = ?");
        params.push(f.sessionKey);
      }
      if (f.sinceHlc) {
        where.push("hlc > ?");
        params.push(f.sinceHlc);
      }
      const clause = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
      const rows = db
        .prepare(`SELECT * FROM updates${clause} ORDER BY hlc DESC, id DESC LIMIT ?`)
        .all(...params, f.limit) as Row[];
      return rows.map(toView);
    },
  };
};
