// /api/v1/sessions: the Claude Code sessions of the whole fleet (each machine records its own).
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { SessionSchema, SessionStateSchema } from "../../domain/session.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_JSON, PROBLEM_RESPONSES, ProblemSchema, problem } from "../problem.ts";
import { respond } from "../respond.ts";
import { commaList, limitQuery, offsetQuery, ok, RefQuery } from "../schemas.ts";

const tags = ["sessions"];

const SessionPageSchema = z.strictObject({ sessions: z.array(SessionSchema), total: z.number().int() });

const count = z.number().int().nonnegative();
const RefreshReportSchema = z.strictObject({
  sessions: count.describe("sessions of this machine known after the refresh"),
  live: count.describe("of those, running now (working, waiting or idle)"),
  changed: count.describe("sessions whose recorded facts changed (an event was appended)"),
  ended: count.describe("sessions newly recorded as ended"),
  deferred: count.describe("activity-only changes held back by the 15 s throttle; recorded later"),
  filesRead: count,
  bytesRead: count,
  badLines: count.describe("transcript lines that could not be read (malformed, oversized)"),
  errors: z.array(z.string()).readonly().describe("problems that did not stop the refresh"),
  ms: z.number().nonnegative(),
  changes: z
    .array(
      z.strictObject({
        sessionId: z.string(),
        handle: z.string(),
        fields: z.array(z.string()).readonly(),
        isNew: z.boolean(),
        state: SessionStateSchema,
        cwd: z.string().nullable(),
        title: z.string().nullable(),
      }),
    )
    .readonly(),
});

const RefreshInputSchema = z.strictObject({
  agents: z
    .boolean()
    .optional()
    .describe("also ask `claude agents --json` (starts a process; serve does it on its periodic rescan)"),
});

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
      method: "post",
      path: "/sessions/refresh",
      tags,
      summary: "Look at this machine's Claude Code sessions now and record what changed",
      request: {
        body: {
          content: { "application/json": { schema: RefreshInputSchema } },
          required: false,
          description: "optional; an empty or absent body is a plain refresh",
        },
      },
      responses: {
        200: ok(RefreshReportSchema, "What the refresh found and recorded"),
        ...PROBLEM_RESPONSES,
        503: {
          description: "This process does not discover sessions",
          content: { "application/problem+json": { schema: ProblemSchema } },
        },
      },
    }),
    async (c) => {
      const refresher = c.var.sessions;
      if (!refresher) {
        return c.json(
          problem(503, "session discovery does not run in this Claire process"),
          503,
          PROBLEM_JSON,
        );
      }
      return c.json(await refresher.refresh(c.req.valid("json") ?? {}), 200);
    },
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
