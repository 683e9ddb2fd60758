// The operations agents work through, composed once for the whole service (index.ts) and for the
// service a hook makes for itself with no server running (hook-service.ts).
import { createAgentOps } from "./agent.ts";
import type { ServiceDeps } from "./context.ts";
import { createMessageOps } from "./messages.ts";
import { createResolvers } from "./resolve.ts";
import { createSessionOps } from "./sessions.ts";

export const createAgentCore = (deps: ServiceDeps) => {
  const resolve = createResolvers(deps.store);
  const messages = createMessageOps(deps, resolve);
  const sessions = createSessionOps(deps, resolve);
  // Hooks and MCP; it also tells sessions hosted here when their claim stops owning a task.
  const agent = createAgentOps(deps, resolve, { ...sessions, ...messages });
  return { resolve, messages, sessions, agent };
};
