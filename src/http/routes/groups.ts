// /api/v1/groups: named sets of sessions, by rules (machine, cwd glob, project) and members.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { CreateGroupInputSchema, EditGroupInputSchema, GroupSchema } from "../../domain/group.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { IdParam, json, ok } from "../schemas.ts";

const tags = ["groups"];

export const groupRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/groups",
      tags,
      summary: "Create a group (its id derives from its name, so machines agree)",
      request: { body: json(CreateGroupInputSchema) },
      responses: { 201: ok(GroupSchema, "The new group"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.createGroup(c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/groups",
      tags,
      summary: "List groups",
      responses: { 200: ok(z.array(GroupSchema), "Groups by name"), ...PROBLEM_RESPONSES },
    }),
    (c) => c.json(c.var.service.listGroups(), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/groups/{id}",
      tags,
      summary: "Get a group by name, id or short handle",
      request: { params: IdParam },
      responses: { 200: ok(GroupSchema, "The group"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.getGroup(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/groups/{id}",
      tags,
      summary: "Change a group's description, rules or members",
      request: { params: IdParam, body: json(EditGroupInputSchema) },
      responses: { 200: ok(GroupSchema, "The changed group"), ...PROBLEM_RESPONSES },
    }),
    (c) =>
      respond(c, c.var.service.editGroup(c.var.actor, c.req.valid("param").id, c.req.valid("json")), 200),
  );
