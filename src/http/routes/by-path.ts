// The route groups that serve a request path, loaded on first use. A process that runs the API
// in-process for one command (the CLI with no server running, a hook) builds the routes that
// command calls instead of all of them: every group is a module of zod schemas and OpenAPI
// definitions, and building them all cost `claire status` ~5 ms of its start-up. The routes
// themselves are the very ones `claire serve` mounts (routes/index.ts);
// test/api-routes-by-path.test.ts checks that every route of the full app is found here.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";

type Group = () => Promise<OpenAPIHono<AppEnv>>;

const projects: Group = async () => (await import("./projects.ts")).projectRoutes;
const tasks: Group = async () => (await import("./tasks.ts")).taskRoutes;
const assignments: Group = async () => (await import("./assignments.ts")).assignmentRoutes;
const sessions: Group = async () => (await import("./sessions.ts")).sessionRoutes;
const groups: Group = async () => (await import("./groups.ts")).groupRoutes;
const updates: Group = async () => (await import("./updates.ts")).updateRoutes;
const messages: Group = async () => (await import("./messages.ts")).messageRoutes;
const status: Group = async () => (await import("./status.ts")).statusRoutes;
const sync: Group = async () => (await import("./sync.ts")).syncRoutes;
const agent: Group = async () => (await import("./agent.ts")).agentRoutes;

/** By the first segment after /api/v1, in the order routes/index.ts mounts them. */
const BY_SEGMENT: Readonly<Record<string, readonly Group[]>> = {
  projects: [projects],
  tasks: [tasks, assignments], // POST /tasks/{id}/unassign is an assignment route
  assignments: [assignments],
  claims: [assignments],
  sessions: [sessions],
  groups: [groups],
  updates: [updates],
  messages: [messages],
  broadcast: [messages],
  inbox: [messages],
  status: [status],
  health: [status],
  auth: [status],
  machines: [status],
  sync: [sync],
  agent: [agent],
};

/** The key of the routes a path needs: requests with the same key are served by the same routes. */
export const routeKey = (path: string): string => {
  const segment = /^\/api\/v1\/([^/?#]+)/.exec(path)?.[1];
  return segment !== undefined && Object.hasOwn(BY_SEGMENT, segment) ? segment : "*";
};

/**
 * The routes for requests of `key` (from routeKey), mounted as routes/index.ts mounts them; every
 * route for any other path (the OpenAPI document, the dashboard, a path no route serves, which
 * then gets the same 404 as from the server).
 */
export const routesFor = async (key: string): Promise<OpenAPIHono<AppEnv>> => {
  const wanted = Object.hasOwn(BY_SEGMENT, key) ? BY_SEGMENT[key] : undefined;
  if (!wanted) return (await import("./index.ts")).apiRoutes as unknown as OpenAPIHono<AppEnv>;
  const routes = new OpenAPIHono<AppEnv>();
  for (const group of wanted) routes.route("/", await group());
  return routes;
};
