// Every /api/v1 resource, chained into one sub-app so the client type covers them all.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { agentRoutes } from "./agent.ts";
import { assignmentRoutes } from "./assignments.ts";
import { groupRoutes } from "./groups.ts";
import { messageRoutes } from "./messages.ts";
import { projectRoutes } from "./projects.ts";
import { sessionRoutes } from "./sessions.ts";
import { statusRoutes } from "./status.ts";
import { syncRoutes } from "./sync.ts";
import { taskRoutes } from "./tasks.ts";
import { updateRoutes } from "./updates.ts";

export const apiRoutes = new OpenAPIHono<AppEnv>()
  .route("/", projectRoutes)
  .route("/", taskRoutes)
  .route("/", assignmentRoutes)
  .route("/", sessionRoutes)
  .route("/", groupRoutes)
  .route("/", updateRoutes)
  .route("/", messageRoutes)
  .route("/", statusRoutes)
  .route("/", syncRoutes)
  .route("/", agentRoutes);
