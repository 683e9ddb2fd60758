// /api/v1/updates: progress notes about a task, a project or a session.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { PostUpdateInputSchema, UpdateSchema } from "../../domain/update.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { json, limitQuery, ok, RefQuery } from "../schemas.ts";

const tags = ["updates"];

export const updateRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/updates",
      tags,
      summary: "Post an update about a task, a project or a session",
      request: { body: json(PostUpdateInputSchema) },
      responses: { 201: ok(UpdateSchema, "The posted update"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.postUpdate(c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/updates",
      tags,
      summary: "List updates, newest first",
      request: {
        query: z.strictObject({
          task: RefQuery.optional(),
          project: RefQuery.optional(),
          session: RefQuery.optional(),
          since: z
            .union([z.iso.datetime({ offset: true, local: true }), z.iso.date()])
            .optional()
            .describe("only updates at or after this ISO-8601 time or date"),
          limit: limitQuery(1000, 100),
        }),
      },
      responses: { 200: ok(z.array(UpdateSchema), "Updates"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.listUpdates(c.req.valid("query")), 200),
  );
