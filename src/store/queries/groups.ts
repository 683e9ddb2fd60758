// Group read queries.
import type Database from "better-sqlite3";
import type { Group } from "../../domain/group.ts";
import { parseSessionKey, type SessionRef } from "../../domain/session-ref.ts";
import { msToIso } from "../../domain/text.ts";
import { lazyStatement } from "../lazy-statement.ts";

type Row = {
  id: string;
  name: string | null;
  description: string | null;
  created_ms: number | null;
  rules: string;
  members: string;
};

const SELECT = `SELECT g.id, g.name, g.description, g.created_ms,
  (SELECT json_group_array(element) FROM (SELECT element FROM group_rules WHERE id = g.id AND present = 1 ORDER BY element)) AS rules,
  (SELECT json_group_array(element) FROM (SELECT element FROM group_members WHERE id = g.id AND present = 1 ORDER BY element)) AS members
  FROM groups g`;

const toView = (r: Row): Omit<Group, "reaches"> => ({
  id: r.id,
  name: r.name ?? "(pending)",
  description: r.description ?? "",
  rules: JSON.parse(r.rules),
  members: (JSON.parse(r.members) as string[])
    .map(parseSessionKey)
    .filter((s): s is SessionRef => s !== null),
  createdAt: r.created_ms === null ? null : msToIso(r.created_ms),
});

export const createGroupQueries = (db: Database.Database) => {
  const get = lazyStatement(db, `${SELECT} WHERE g.id = ?`);
  const list = lazyStatement(db, `${SELECT} ORDER BY g.name, g.id`);
  return {
    get: (id: string): Omit<Group, "reaches"> | null => {
      const r = get.get(id) as Row | undefined;
      return r ? toView(r) : null;
    },
    list: (): Omit<Group, "reaches">[] => (list.all() as Row[]).map(toView),
    /** Members with the stamp at which each became present, for "member at the message's HLC". */
    memberStamps: (groupId: string): { key: string; stamp: string }[] =>
      db
        .prepare("SELECT element AS key, stamp FROM group_members WHERE id = ? AND present = 1")
        .all(groupId) as {
        key: string;
        stamp: string;
      }[],
  };
};
