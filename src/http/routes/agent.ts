// /api/v1/agent: what Claude Code's hooks and Claire's MCP server call. A hook event registers the
// session, records its state and succession and answers with the agent's briefing; the hook marks
// the messages it printed whole as delivered; the MCP server asks which session it serves now
// (following successions) and completes tasks.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { InboxItemSchema } from "../../domain/message.ts";
import { SessionSchema } from "../../domain/session.ts";
import { TaskSchema } from "../../domain/task.ts";
import { UpdateSchema } from "../../domain/update.ts";
import {
  CompleteTaskInputSchema,
  HookEventInputSchema,
  RegisterSessionInputSchema,
} from "../../service/agent-inputs.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { json, ok, RefQuery } from "../schemas.ts";

const tags = ["agent"];

const HookResultSchema = z.strictObject({
  session: z.strictObject({ machineId: z.string(), sessionId: z.string(), handle: z.string() }),
  context: z.string().nullable().describe("the hook's additionalContext; null: print nothing"),
  messages: z.array(z.string()).describe("messages included whole: mark them delivered once printed"),
  tasks: z.array(z.string()).describe("open tasks the session owns now"),
  predecessor: z.string().nullable().describe("the session this one continues, recorded by this event"),
});

const DeliveredInputSchema = z.strictObject({
  session: RefQuery,
  messages: z
    .union([z.literal("all"), z.array(z.string().min(1).max(200)).min(1).max(1000)])
    .describe("message ids or handles shown to the agent whole, or 'all'"),
});

const WhoAmISchema = z.strictObject({
  session: SessionSchema.describe(
    "the session the one asked about stands for now (its successor once it has ended)",
  ),
  asked: z.string().describe("the machine/session key asked about"),
  followed: z.array(z.string()).describe("successions followed, oldest first"),
});

const CompletedSchema = z.strictObject({ task: TaskSchema, update: UpdateSchema.nullable() });

export const agentRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/agent/hook",
      tags,
      summary: "A Claude Code hook event: register the session, record its state, brief the agent",
      request: { body: json(HookEventInputSchema) },
      responses: { 200: ok(HookResultSchema, "What the hook prints and remembers"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.hookEvent(c.var.actor, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/agent/delivered",
      tags,
      summary: "Mark messages delivered: shown to the agent whole (never lowers a state)",
      request: { body: json(DeliveredInputSchema) },
      responses: { 200: ok(z.array(InboxItemSchema), "The deliveries that changed"), ...PROBLEM_RESPONSES },
    }),
    (c) => {
      const { session, messages } = c.req.valid("json");
      return respond(c, c.var.service.markDelivered(c.var.actor, session, messages), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/agent/sessions",
      tags,
      summary: "Register a session of this machine that calls Claire without hooks (idempotent)",
      request: { body: json(RegisterSessionInputSchema) },
      responses: { 200: ok(SessionSchema, "The session"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.registerSession(c.var.actor, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/agent/whoami",
      tags,
      summary: "The session an id stands for now: its successor once it has ended (after /clear)",
      request: { query: z.strictObject({ session: RefQuery }) },
      responses: { 200: ok(WhoAmISchema, "The current session"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.whoAmI(c.req.valid("query").session), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/agent/complete",
      tags,
      summary: "A session completes a task: status done, its assignment done, a 'done' update",
      request: { body: json(CompleteTaskInputSchema) },
      responses: { 200: ok(CompletedSchema, "The finished task and the update"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.completeTask(c.var.actor, c.req.valid("json")), 200),
  );
