// /api/v1/sessions: the Claude Code sessions of the whole fleet (each machine records its own).
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { SessionSchema, SessionStateSchema } from "../../domain/session.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { commaList, limitQuery, offsetQuery, ok, RefQuery } from "../schemas.ts";

const tags = ["sessions"];

const SessionPageSchema = z.strictObject({ sessions: z.array(SessionSchema), total: z.number().int() });

export const sessionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "get",
      path: "/sessions",
      tags,
      summary: "List sessions, most recently active first",
      request: {
        query: z.strictObject({
          machine: RefQuery.optional().describe("machine id, handle or name"),
          state: commaList.pipe(z.array(SessionStateSchema)).optional().describe("comma-separated states"),
          cwd: z.string().min(1).max(4096).optional().describe("this directory or below"),
          project: RefQuery.optional().describe("sessions owning a task of this project"),
          limit: limitQuery(5000, 200),
          offset: offsetQuery,
        }),
      },
      responses: {
        200: ok(SessionPageSchema, "A page of sessions and the total matching"),
        ...PROBLEM_RESPONSES,
      },
    }),
    (c) => respond(c, c.var.service.listSessions(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sessions/{id}",
      tags,
      summary: "Get a session by id, prefix or machine/session key (the slash sent as %2F)",
      request: { params: z.object({ id: RefQuery }) },
      responses: { 200: ok(SessionSchema, "The session"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.getSession(c.req.valid("param").id), 200),
  );
