// Assignment read queries.
import type Database from "better-sqlite3";
import type { Actor } from "../../domain/actor.ts";
import type { Assignment, AssignmentState } from "../../domain/assignment.ts";
import { shortHandle } from "../../domain/ids.ts";
import { hlcMs } from "../../domain/merge.ts";
import { msToIso } from "../../domain/text.ts";
import { lazyStatement } from "../lazy-statement.ts";

type Row = {
  id: string;
  task_id: string;
  machine_id: string;
  session_id: string;
  via: string;
  epoch: string | null;
  hlc: string;
  by_kind: string;
  by_id: string;
  state: string | null;
  owner_assignment: string | null;
};

const SELECT = `SELECT a.id, a.task_id, a.machine_id, a.session_id, a.via, a.epoch, a.hlc, a.by_kind, a.by_id, a.state,
  t.owner_assignment FROM assignments a LEFT JOIN tasks t ON t.id = a.task_id`;

const toView = (r: Row): Assignment => ({
  id: r.id,
  handle: shortHandle(r.id),
  taskId: r.task_id,
  session: { machineId: r.machine_id, sessionId: r.session_id },
  via: r.via === "claimed" ? "claimed" : "assigned",
  epoch: r.epoch,
  state: (r.state ?? "active") as AssignmentState,
  current: r.owner_assignment === r.id,
  by: { kind: r.by_kind as Actor["kind"], id: r.by_id },
  createdAt: msToIso(hlcMs(r.hlc)),
});

export type AssignmentFilter = {
  readonly taskId?: string | undefined;
  readonly session?: { readonly machineId: string; readonly sessionId: string } | undefined;
  readonly currentOnly?: boolean | undefined;
  readonly limit: number;
};

export const createAssignmentQueries = (db: Database.Database) => {
  const get = lazyStatement(db, `${SELECT} WHERE a.id = ? AND a.task_id IS NOT NULL`);
  return {
    get: (id: string): Assignment | null => {
      const r = get.get(id) as Row | undefined;
      return r ? toView(r) : null;
    },
    list: (f: AssignmentFilter): Assignment[] => {
      const where = ["a.task_id IS NOT NULL"];
      const params: (string | number)[] = [];
      if (f.taskId) {
        where.push("a.task_id = ?");
        params.push(f.taskId);
      }
      if (f.session) {
        where.push("a.machine_id = ? AND a.session_id = ?");
        params.push(f.session.machineId, f.session.sessionId);
      }
      if (f.currentOnly) where.push("t.owner_assignment = a.id");
      const rows = db
        .prepare(`${SELECT} WHERE ${where.join(" AND ")} ORDER BY a.hlc DESC, a.id LIMIT ?`)
        .all(...params, f.limit) as Row[];
      return rows.map(toView);
    },
  };
};
