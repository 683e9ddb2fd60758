// The service: every business operation of Claire, once. http/, cli/ (through the API), agent/,
// sync/ and sessions/ all call these; none of them writes the store directly.
import { createAgentCore } from "./agent-core.ts";
import { createAssignmentOps } from "./assignments.ts";
import type { ServiceDeps } from "./context.ts";
import { createDashboardOps } from "./dashboard.ts";
import { createGroupOps } from "./groups.ts";
import { createIngestOps } from "./ingest.ts";
import { createOpsOps } from "./ops.ts";
import { createProjectOps } from "./projects.ts";
import { createStatusOps } from "./status.ts";
import { createSyncOps } from "./sync.ts";
import { createTaskOps } from "./tasks.ts";
import { createTokenOps } from "./tokens.ts";
import { createUpdateOps } from "./updates.ts";

export const createService = (deps: ServiceDeps) => {
  const { resolve, messages, sessions, agent } = createAgentCore(deps);
  const ingest = createIngestOps(deps, messages.localDeliveries, agent.afterOwnerChanges);
  return {
    ...createProjectOps(deps, resolve),
    ...createTaskOps(deps, resolve),
    ...createAssignmentOps(deps, resolve, agent.claimLossNotices),
    ...sessions,
    ...agent,
    ...createGroupOps(deps, resolve),
    ...createUpdateOps(deps, resolve),
    ...messages,
    ...ingest,
    ...createSyncOps(deps, ingest.ingestEvents),
    ...createOpsOps(deps, ingest.ingestEvents),
    ...createTokenOps(deps),
    ...createStatusOps(deps),
    ...createDashboardOps(deps, resolve),
    resolve,
    machine: deps.machine,
  };
};

export type Service = ReturnType<typeof createService>;

/** Thrown by a write when a clone of this machine took its next origin slot (the API answers 409). */
export { OriginSlotTakenError } from "../store/event-log.ts";
export type { MachineIdentity, ServiceDeps } from "./context.ts";
