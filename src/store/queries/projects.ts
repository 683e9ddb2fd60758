// Project read queries.
import type Database from "better-sqlite3";
import { shortHandle } from "../../domain/ids.ts";
import { hlcMs } from "../../domain/merge.ts";
import type { Project } from "../../domain/project.ts";
import { msToIso } from "../../domain/text.ts";
import { lazyStatement } from "../lazy-statement.ts";

type Row = {
  id: string;
  name: string | null;
  description: string | null;
  archived: number | null;
  created_ms: number | null;
  updated_s: string | null;
};

const COUNTS = `(SELECT json_object(
    'todo', COUNT(*) FILTER (WHERE status = 'todo'),
    'in_progress', COUNT(*) FILTER (WHERE status = 'in_progress'),
    'blocked', COUNT(*) FILTER (WHERE status = 'blocked'),
    'done', COUNT(*) FILTER (WHERE status = 'done'),
    'cancelled', COUNT(*) FILTER (WHERE status = 'cancelled'))
  FROM tasks WHERE tasks.project_id = p.id) AS counts`;

const SELECT = `SELECT p.id, p.name, p.description, p.archived, p.created_ms,
  MAX(COALESCE(p.name_s, ''), COALESCE(p.description_s, ''), COALESCE(p.archived_s, '')) AS updated_s, ${COUNTS}
  FROM projects p`;

export const stampToIso = (stamp: string | null | undefined): string | null =>
  stamp ? msToIso(hlcMs(stamp)) : null;

const toView = (r: Row & { counts: string }): Project => ({
  id: r.id,
  handle: shortHandle(r.id),
  name: r.name ?? "(pending)",
  description: r.description ?? "",
  archived: r.archived === 1,
  createdAt: r.created_ms === null ? null : msToIso(r.created_ms),
  updatedAt: stampToIso(r.updated_s),
  taskCounts: JSON.parse(r.counts),
});

export const createProjectQueries = (db: Database.Database) => {
  const get = lazyStatement(db, `${SELECT} WHERE p.id = ?`);
  const list = lazyStatement(
    db,
    `${SELECT} WHERE (@all = 1 OR COALESCE(p.archived, 0) = 0) ORDER BY p.name COLLATE NOCASE, p.id`,
  );
  const archived = lazyStatement(db, "SELECT archived FROM projects WHERE id = ?");
  const byName = lazyStatement(
    db,
    "SELECT id FROM projects WHERE name = ? COLLATE NOCASE AND COALESCE(archived, 0) = 0",
  );
  const archivedByName = lazyStatement(
    db,
    "SELECT id FROM projects WHERE name = ? COLLATE NOCASE AND archived = 1 ORDER BY id",
  );
  return {
    get: (id: string): Project | null => {
      const r = get.get(id) as (Row & { counts: string }) | undefined;
      return r ? toView(r) : null;
    },
    exists: (id: string): boolean => archived.get(id) !== undefined,
    /** Without the task counts (a scan of the project's tasks) that get() computes. */
    isArchived: (id: string): boolean =>
      (archived.get(id) as { archived: number | null } | undefined)?.archived === 1,
    list: (includeArchived: boolean): Project[] =>
      (list.all({ all: includeArchived ? 1 : 0 }) as (Row & { counts: string })[]).map(toView),
    /** Active projects of that name (any case): one, unless machines named two alike apart. */
    idsByName: (name: string): string[] => (byName.all(name) as { id: string }[]).map((r) => r.id),
    archivedIdsByName: (name: string): string[] =>
      (archivedByName.all(name) as { id: string }[]).map((r) => r.id),
  };
};
