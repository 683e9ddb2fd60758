// Resolving what people type (a full id, a unique prefix of it, or of its short handle) to an id.
import type Database from "better-sqlite3";
import { type AmbiguousIdError, type NotFoundError, notFound } from "../../domain/errors.ts";
import { shortHandle } from "../../domain/ids.ts";
import { err, ok, type Result } from "../../domain/result.ts";

export type ResolveError = NotFoundError | AmbiguousIdError;

/** Tables whose `id` people may abbreviate, with the noun used in messages. */
export const RESOLVABLE = {
  projects: "project",
  tasks: "task",
  groups: "group",
  updates: "update",
  messages: "message",
  assignments: "assignment",
  machines: "machine",
} as const;
export type ResolvableTable = keyof typeof RESOLVABLE;

export const createResolver = (db: Database.Database) => {
  const stmts = new Map<string, Database.Statement>();
  const stmt = (table: ResolvableTable) => {
    let s = stmts.get(table);
    if (!s) {
      // The handle of a UUIDv7 is its last 8 hex digits (characters 29-36).
      s = db.prepare(
        `SELECT id FROM ${table} WHERE id = @q OR id LIKE @q || '%' OR (substr(id, 15, 1) = '7' AND substr(id, 29) LIKE @q || '%') LIMIT 11`,
      );
      stmts.set(table, s);
    }
    return s;
  };
  return (table: ResolvableTable, input: string): Result<string, ResolveError> => {
    const q = input.trim().toLowerCase();
    const entity = RESOLVABLE[table];
    if (!/^[0-9a-f-]{1,36}$/.test(q)) return err(notFound(entity, input));
    const ids = (stmt(table).all({ q }) as { id: string }[]).map((r) => r.id);
    if (ids.includes(q)) return ok(q);
    if (ids.length === 1) return ok(ids[0]!);
    if (ids.length === 0) return err(notFound(entity, input));
    return err({
      type: "AmbiguousIdError",
      entity,
      prefix: input,
      matches: ids.slice(0, 10).map(shortHandle),
    });
  };
};
