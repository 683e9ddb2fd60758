// /api/v1/tasks: create, list, the ready queue, next for a session, get, edit, status,
// dependencies, timeline.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import {
  CreateTaskInputSchema,
  TaskSchema,
  TaskStatusSchema,
  UpdateTaskInputSchema,
} from "../../domain/task.ts";
import { taskTimelineEntrySchema } from "../../domain/timeline.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { commaList, IdParam, json, limitQuery, offsetQuery, ok, RefQuery } from "../schemas.ts";

const tags = ["tasks"];

const TaskPageSchema = z.strictObject({
  tasks: z.array(TaskSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

const NextTaskInputSchema = z.strictObject({
  session: z.string().min(1).max(300).describe("the asking session: id, handle or machine/session key"),
  claim: z.boolean().default(false).describe("claim the task found, when it has no owner"),
  project: z.string().min(1).max(200).optional(),
});

const NextResultSchema = z.strictObject({
  task: TaskSchema.nullable(),
  claimed: z.boolean(),
  reason: z.string(),
});

const DependencyParams = z.object({ id: IdParam.shape.id, dep: IdParam.shape.id });

export const taskRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/tasks",
      tags,
      summary: "Create a task in a project",
      request: { body: json(CreateTaskInputSchema) },
      responses: { 201: ok(TaskSchema, "The new task"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.createTask(c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tasks",
      tags,
      summary: "List tasks, filtered and paged",
      request: {
        query: z.strictObject({
          project: RefQuery.optional(),
          status: commaList.pipe(z.array(TaskStatusSchema)).optional().describe("comma-separated statuses"),
          session: RefQuery.optional().describe("tasks owned by this session"),
          label: z.string().min(1).max(64).optional(),
          limit: limitQuery(1000, 100),
          offset: offsetQuery,
        }),
      },
      responses: { 200: ok(TaskPageSchema, "A page of tasks and the total matching"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.listTasks(c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tasks/ready",
      tags,
      summary: "The ready queue: open tasks whose dependencies are all done",
      request: { query: z.strictObject({ project: RefQuery.optional() }) },
      responses: { 200: ok(z.array(TaskSchema), "Ready tasks, most urgent first"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.readyTasks(c.req.valid("query").project), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/tasks/next",
      tags,
      summary: "What a session should work on next, optionally claiming it",
      request: { body: json(NextTaskInputSchema) },
      responses: {
        200: ok(NextResultSchema, "The session's own open task, else a ready one (or none)"),
        ...PROBLEM_RESPONSES,
      },
    }),
    (c) => {
      const { session, claim, project } = c.req.valid("json");
      return respond(c, c.var.service.nextTask(c.var.actor, session, { claim, project }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tasks/{id}",
      tags,
      summary: "Get a task by id or short handle",
      request: { params: IdParam },
      responses: { 200: ok(TaskSchema, "The task"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.getTask(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/tasks/{id}",
      tags,
      summary: "Change a task's title, description, priority, project or labels",
      request: { params: IdParam, body: json(UpdateTaskInputSchema) },
      responses: { 200: ok(TaskSchema, "The changed task"), ...PROBLEM_RESPONSES },
    }),
    (c) =>
      respond(c, c.var.service.updateTask(c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/tasks/{id}/status",
      tags,
      summary: "Move a task to another status (finished tasks go back to todo first)",
      request: { params: IdParam, body: json(z.strictObject({ status: TaskStatusSchema })) },
      responses: { 200: ok(TaskSchema, "The task in its new status"), ...PROBLEM_RESPONSES },
    }),
    (c) =>
      respond(
        c,
        c.var.service.changeTaskStatus(c.var.actor, c.req.valid("param").id, c.req.valid("json").status),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/tasks/{id}/dependencies",
      tags,
      summary: "Make a task depend on another (never a cycle)",
      request: {
        params: IdParam,
        body: json(
          z.strictObject({ dependsOn: z.string().min(1).max(200).describe("the task it waits for") }),
        ),
      },
      responses: { 201: ok(TaskSchema, "The task with its new dependency"), ...PROBLEM_RESPONSES },
    }),
    (c) =>
      respond(
        c,
        c.var.service.addDependency(c.var.actor, c.req.valid("param").id, c.req.valid("json").dependsOn),
        201,
      ),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/tasks/{id}/dependencies/{dep}",
      tags,
      summary: "Remove a dependency",
      request: { params: DependencyParams },
      responses: { 200: ok(TaskSchema, "The task without that dependency"), ...PROBLEM_RESPONSES },
    }),
    (c) => {
      const { id, dep } = c.req.valid("param");
      return respond(c, c.var.service.removeDependency(c.var.actor, id, dep), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tasks/{id}/timeline",
      tags,
      summary: "A task's history: its events and its assignments' state changes, oldest first",
      request: { params: IdParam, query: z.strictObject({ limit: limitQuery(5000, 1000) }) },
      responses: { 200: ok(z.array(taskTimelineEntrySchema()), "Timeline entries"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.taskTimeline(c.req.valid("param").id, c.req.valid("query").limit), 200),
  );
