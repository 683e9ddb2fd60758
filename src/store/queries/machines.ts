// Machine read queries.
import type Database from "better-sqlite3";
import { shortHandle } from "../../domain/ids.ts";
import type { Machine } from "../../domain/machine.ts";
import { lazyStatement } from "../lazy-statement.ts";
import { stampToIso } from "./projects.ts";

type Row = { id: string; name: string | null; groups: string | null; last_hlc: string | null };

export const createMachineQueries = (db: Database.Database, localMachineId: string) => {
  const toView = (r: Row): Machine => ({
    id: r.id,
    handle: shortHandle(r.id),
    name: r.name,
    groups: r.groups ? JSON.parse(r.groups) : [],
    lastEventAt: stampToIso(r.last_hlc),
    isLocal: r.id === localMachineId,
  });
  const list = lazyStatement(
    db,
    "SELECT id, name, groups, last_hlc FROM machines ORDER BY id = ? DESC, name, id",
  );
  const get = lazyStatement(db, "SELECT id, name, groups, last_hlc FROM machines WHERE id = ?");
  const byName = lazyStatement(db, "SELECT id FROM machines WHERE name = ?");
  return {
    list: (): Machine[] => (list.all(localMachineId) as Row[]).map(toView),
    get: (id: string): Machine | null => {
      const r = get.get(id) as Row | undefined;
      return r ? toView(r) : null;
    },
    idsByName: (name: string): string[] => (byName.all(name) as { id: string }[]).map((r) => r.id),
  };
};
