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

export const createQueries = (db: Database.Database, localMachineId: string) => ({
  resolve: createResolver(db),
  projects: createProjectQueries(db),
  tasks: createTaskQueries(db),
  assignments: createAssignmentQueries(db),
  sessions: createSessionQueries(db),
  groups: createGroupQueries(db),
  updates: createUpdateQueries(db),
  messages: createMessageQueries(db),
  machines: createMachineQueries(db, localMachineId),
  events: createEventQueries(db),
  stats: createStatsQueries(db),
  sync: createSyncQueries(db),
  discovery: createDiscoveryQueries(db),
  dashboard: createDashboardQueries(db),
  ops: createOpsQueries(db),
});

export type Queries = ReturnType<typeof createQueries>;
