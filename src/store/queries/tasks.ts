// Task read queries: views with labels, dependencies and owner; filtered lists; the ready queue.
import type Database from "better-sqlite3";
import { shortHandle } from "../../domain/ids.ts";
import type { Priority, Task, TaskStatus } from "../../domain/task.ts";
import { msToIso } from "../../domain/text.ts";
import { lazyStatement } from "../lazy-statement.ts";
import { stampToIso } from "./projects.ts";

type Row = {
  id: string;
  project_id: string | null;
  title: string | null;
  description: string | null;
  status: string | null;
  priority: string | null;
  created_ms: number | null;
  updated_s: string | null;
  owner_assignment: string | null;
  owner_machine: string | null;
  owner_session: string | null;
  owner_via: string | null;
  labels: string;
  deps: string;
};

/**
 * When task `t` last changed: the newest stamp of its fields, labels and dependencies, and of its
 * assignments (a person's assignment, an agent's claim, either's state), so that a task an agent
 * claimed or finished reads as changed then. Notes are shown with their own time.
 */
export const TASK_UPDATED_S = `MAX(COALESCE(t.title_s, ''), COALESCE(t.description_s, ''), COALESCE(t.status_s, ''),
      COALESCE(t.priority_s, ''), COALESCE(t.project_id_s, ''), COALESCE(t.epoch_s, ''),
      COALESCE((SELECT MAX(stamp) FROM task_labels WHERE id = t.id), ''),
      COALESCE((SELECT MAX(stamp) FROM task_deps WHERE id = t.id), ''),
      COALESCE((SELECT MAX(MAX(a.hlc, COALESCE(a.state_s, ''))) FROM assignments a WHERE a.task_id = t.id), ''))`;

const SELECT = `SELECT t.id, t.project_id, t.title, t.description, t.status, t.priority, t.created_ms,
  ${TASK_UPDATED_S} AS updated_s,
  t.owner_assignment, t.owner_machine, t.owner_session, t.owner_via,
  (SELECT json_group_array(element) FROM (SELECT element FROM task_labels WHERE id = t.id AND present = 1 ORDER BY element)) AS labels,
  (SELECT json_group_array(element) FROM (SELECT element FROM task_deps WHERE id = t.id AND present = 1 ORDER BY element)) AS deps
  FROM tasks t`;

const PRIORITY_RANK =
  "CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 WHEN 'low' THEN 3 ELSE 4 END";

const toView = (r: Row): Task => ({
  id: r.id,
  handle: shortHandle(r.id),
  projectId: r.project_id,
  title: r.title,
  description: r.description ?? "",
  status: (r.status ?? "todo") as TaskStatus,
  priority: (r.priority ?? "normal") as Priority,
  labels: JSON.parse(r.labels),
  dependsOn: JSON.parse(r.deps),
  owner:
    r.owner_assignment && r.owner_machine && r.owner_session
      ? {
          session: { machineId: r.owner_machine, sessionId: r.owner_session },
          via: r.owner_via === "claimed" ? "claimed" : "assigned",
          assignmentId: r.owner_assignment,
        }
      : null,
  pending: r.created_ms === null,
  createdAt: r.created_ms === null ? null : msToIso(r.created_ms),
  updatedAt: stampToIso(r.updated_s),
});

export type TaskFilter = {
  readonly projectId?: string | undefined;
  readonly statuses?: readonly TaskStatus[] | undefined;
  readonly owner?: { readonly machineId: string; readonly sessionId: string } | undefined;
  readonly label?: string | undefined;
  readonly limit: number;
  readonly offset: number;
};

/** Tasks on a dependency cycle (strongly connected components of size > 1, or self-loops). */
export const tasksOnCycles = (edges: ReadonlyMap<string, readonly string[]>): Set<string> => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Set<string>();
  let next = 0;
  // Iterative Tarjan: deep dependency chains must not overflow the call stack.
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i === 0) {
        index.set(v, next);
        low.set(v, next);
        next++;
        stack.push(v);
        onStack.add(v);
      }
      const out = edges.get(v) ?? [];
      if (i < out.length) {
        frame[1] = i + 1;
        const w = out[i]!;
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || (edges.get(v) ?? []).includes(v)) for (const c of comp) result.add(c);
      }
    }
  }
  return result;
};

export const createTaskQueries = (db: Database.Database) => {
  const get = lazyStatement(db, `${SELECT} WHERE t.id = ?`);
  const epoch = lazyStatement(db, "SELECT epoch FROM tasks WHERE id = ?");
  const allDeps = lazyStatement(db, "SELECT id, element FROM task_deps WHERE present = 1");
  const readyCandidates = lazyStatement(
    db,
    `${SELECT} WHERE t.status = 'todo' AND t.created_ms IS NOT NULL AND (@project IS NULL OR t.project_id = @project)
     AND NOT EXISTS (SELECT 1 FROM projects pr WHERE pr.id = t.project_id AND COALESCE(pr.archived, 0) = 1)
     AND NOT EXISTS (SELECT 1 FROM task_deps d LEFT JOIN tasks x ON x.id = d.element
                     WHERE d.id = t.id AND d.present = 1 AND (x.status IS NOT 'done' OR x.created_ms IS NULL))
     ORDER BY ${PRIORITY_RANK}, t.created_ms, t.id`,
  );

  const depGraph = (): Map<string, string[]> => {
    const edges = new Map<string, string[]>();
    for (const { id, element } of allDeps.all() as { id: string; element: string }[]) {
      const list = edges.get(id);
      if (list) list.push(element);
      else edges.set(id, [element]);
    }
    return edges;
  };

  return {
    get: (id: string): Task | null => {
      const r = get.get(id) as Row | undefined;
      return r ? toView(r) : null;
    },
    list: (f: TaskFilter): { tasks: Task[]; total: number } => {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (f.projectId) {
        where.push("t.project_id = ?");
        params.push(f.projectId);
      }
      if (f.statuses && f.statuses.length > 0) {
        where.push(`t.status IN (${f.statuses.map(() => "?").join(", ")})`);
        params.push(...f.statuses);
      }
      if (f.owner) {
        where.push("t.owner_machine = ? AND t.owner_session = ?");
        params.push(f.owner.machineId, f.owner.sessionId);
      }
      if (f.label) {
        where.push(
          "EXISTS (SELECT 1 FROM task_labels l WHERE l.id = t.id AND l.element = ? AND l.present = 1)",
        );
        params.push(f.label);
      }
      const clause = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM tasks t${clause}`).get(...params) as { n: number })
        .n;
      const rows = db
        .prepare(`${SELECT}${clause} ORDER BY ${PRIORITY_RANK}, t.created_ms, t.id LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset) as Row[];
      return { tasks: rows.map(toView), total };
    },
    depGraph,
    /** The task's current assignment epoch (null: never assigned). */
    epoch: (id: string): string | null =>
      (epoch.get(id) as { epoch: string | null } | undefined)?.epoch ?? null,
    /**
     * Todo tasks whose dependencies are all done, excluding tasks on a dependency cycle and the
     * tasks of archived projects (archived is inactive: no new tasks, no work offered).
     */
    ready: (projectId: string | null): Task[] => {
      const candidates = (readyCandidates.all({ project: projectId }) as Row[]).map(toView);
      if (candidates.length === 0) return candidates;
      const cyclic = tasksOnCycles(depGraph());
      return candidates.filter((t) => !cyclic.has(t.id));
    },
  };
};
