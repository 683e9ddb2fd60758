// Every /api/v1 resource, chained into one sub-app so the client type covers them all.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { projectRoutes } from "./projects.ts";

export const apiRoutes = new OpenAPIHono<AppEnv>().route("/", projectRoutes);
