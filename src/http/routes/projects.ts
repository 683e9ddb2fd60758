// /api/v1/projects: create, list, get, update, archive, unarchive.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { CreateProjectInputSchema, ProjectSchema, UpdateProjectInputSchema } from "../../domain/project.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { booleanQuery, IdParam, json, ok } from "../schemas.ts";

const tags = ["projects"];

export const projectRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/projects",
      tags,
      summary: "Create a project",
      request: { body: json(CreateProjectInputSchema) },
      responses: { 201: ok(ProjectSchema, "The new project"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.createProject(c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/projects",
      tags,
      summary: "List projects",
      request: { query: z.strictObject({ archived: booleanQuery.optional() }) },
      responses: {
        200: ok(z.array(ProjectSchema), "Projects, archived ones only when asked"),
        ...PROBLEM_RESPONSES,
      },
    }),
    (c) =>
      c.json(c.var.service.listProjects({ includeArchived: c.req.valid("query").archived ?? false }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/projects/{id}",
      tags,
      summary: "Get a project by id, short handle or name",
      request: { params: IdParam },
      responses: { 200: ok(ProjectSchema, "The project"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.getProject(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/projects/{id}",
      tags,
      summary: "Change a project's name or description",
      request: { params: IdParam, body: json(UpdateProjectInputSchema) },
      responses: { 200: ok(ProjectSchema, "The changed project"), ...PROBLEM_RESPONSES },
    }),
    (c) =>
      respond(c, c.var.service.updateProject(c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/projects/{id}/archive",
      tags,
      summary: "Archive a project",
      request: { params: IdParam },
      responses: { 200: ok(ProjectSchema, "The archived project"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.archiveProject(c.var.actor, c.req.valid("param").id, true), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/projects/{id}/unarchive",
      tags,
      summary: "Bring an archived project back",
      request: { params: IdParam },
      responses: { 200: ok(ProjectSchema, "The active project"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.archiveProject(c.var.actor, c.req.valid("param").id, false), 200),
  );
