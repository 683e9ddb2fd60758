// /api/v1/assignments and claims: a person assigns or unassigns a task (a new epoch), an agent
// claims one (on the epoch it saw), assignment states move on.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import {
  AssignInputSchema,
  AssignmentSchema,
  AssignmentStateSchema,
  ClaimInputSchema,
} from "../../domain/assignment.ts";
import { TaskSchema } from "../../domain/task.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { booleanQuery, IdParam, json, limitQuery, ok, RefQuery } from "../schemas.ts";

const tags = ["assignments"];

const AssignResultSchema = z.strictObject({
  task: TaskSchema,
  /** The assignment that now owns the task; null after an unassignment. */
  assignment: AssignmentSchema.nullable(),
});

export const assignmentRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/assignments",
      tags,
      summary: "Assign a task to a session (a person's decision: a new epoch, last writer wins)",
      request: { body: json(AssignInputSchema) },
      responses: { 201: ok(AssignResultSchema, "The task and its new assignment"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.assignTask(c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/assignments",
      tags,
      summary: "List assignments, newest first",
      request: {
        query: z.strictObject({
          task: RefQuery.optional(),
          session: RefQuery.optional(),
          current: booleanQuery.optional().describe("only assignments that own their task now"),
          limit: limitQuery(1000, 200),
        }),
      },
      responses: { 200: ok(z.array(AssignmentSchema), "Assignments"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.listAssignments(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/assignments/{id}",
      tags,
      summary: "Change an assignment's state (accepted, done, released)",
      request: { params: IdParam, body: json(z.strictObject({ state: AssignmentStateSchema })) },
      responses: { 200: ok(AssignmentSchema, "The assignment in its new state"), ...PROBLEM_RESPONSES },
    }),
    (c) =>
      respond(
        c,
        c.var.service.changeAssignmentState(c.var.actor, c.req.valid("param").id, c.req.valid("json").state),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/tasks/{id}/unassign",
      tags,
      summary: "Take a task away from its owner (a new, empty epoch)",
      request: { params: IdParam },
      responses: { 200: ok(AssignResultSchema, "The task, now without owner"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.unassignTask(c.var.actor, c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/claims",
      tags,
      summary: "A session claims a task (the earliest claim on an epoch wins after sync)",
      request: { body: json(ClaimInputSchema) },
      responses: {
        201: ok(AssignResultSchema, "The task and the claiming assignment"),
        ...PROBLEM_RESPONSES,
      },
    }),
    (c) => respond(c, c.var.service.claimTask(c.var.actor, c.req.valid("json")), 201),
  );
