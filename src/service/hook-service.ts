// The part of the service a hook uses when no server runs (agent/hook-local.ts): a hook event,
// marking what it printed delivered, and this machine's announcement. Made from the same operations
// as the whole service (index.ts), without loading the modules of all the others: a hook starts on
// every prompt of every session, and each module it loads is read and compiled on each start.
import { createAgentCore } from "./agent-core.ts";
import type { ServiceDeps } from "./context.ts";
import { createGroupOps } from "./groups.ts";

export const createHookService = (deps: ServiceDeps) => {
  const { resolve, messages, agent } = createAgentCore(deps);
  const { announceMachine } = createGroupOps(deps, resolve);
  return { hookEvent: agent.hookEvent, markDelivered: messages.markDelivered, announceMachine };
};

export type HookService = ReturnType<typeof createHookService>;
