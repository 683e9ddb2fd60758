// All read queries of the store, grouped by entity.
import type Database from "better-sqlite3";
import { createAssignmentQueries } from "./assignments.ts";
import { createDashboardQueries } from "./dashboard.ts";
import { createDiscoveryQueries } from "./discovery.ts";
import { createEventQueries } from "./events.ts";
import { createGroupQueries } from "./groups.ts";
import { createMachineQueries } from "./machines.ts";
import { createMessageQueries } from "./messages.ts";
import { createOpsQueries } from "./ops.ts";
import { createProjectQueries } from "./projects.ts";
import { createResolver } from "./resolve.ts";
import { createSessionQueries } from "./sessions.ts";
import { createStatsQueries } from "./stats.ts";
import { createSyncQueries } from "./sync.ts";
import { createTaskQueries } from "./tasks.ts";
import { createUpdateQueries } from "./updates.ts";

/**
 * An object whose properties are each made on first read. Why: every group prepares its
 * statements when made (~70 in all, ~1.5 ms), and a command run in-process reads with two or three
 * groups before it exits; a server makes each once and keeps it.
 */
const madeOnFirstUse = <T extends Record<string, () => object>>(
  makers: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } => {
  const groups = {} as { -readonly [K in keyof T]: ReturnType<T[K]> };
  for (const key of Object.keys(makers) as (keyof T)[]) {
    Object.defineProperty(groups, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const made = makers[key]!() as ReturnType<T[typeof key]>;
        // From now on a plain property: no getter on the way to a statement.
        Object.defineProperty(groups, key, { value: made, enumerable: true });
        return made;
      },
    });
  }
  return groups;
};

export const createQueries = (db: Database.Database, localMachineId: string) =>
  madeOnFirstUse({
    resolve: () => createResolver(db),
    projects: () => createProjectQueries(db),
    tasks: () => createTaskQueries(db),
    assignments: () => createAssignmentQueries(db),
    sessions: () => createSessionQueries(db),
    groups: () => createGroupQueries(db),
    updates: () => createUpdateQueries(db),
    messages: () => createMessageQueries(db),
    machines: () => createMachineQueries(db, localMachineId),
    events: () => createEventQueries(db),
    stats: () => createStatsQueries(db),
    sync: () => createSyncQueries(db),
    discovery: () => createDiscoveryQueries(db),
    dashboard: () => createDashboardQueries(db),
    ops: () => createOpsQueries(db),
  });

export type Queries = ReturnType<typeof createQueries>;
