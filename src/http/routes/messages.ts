// /api/v1/messages, /broadcast and /inbox: send to a session, a group, a machine or everyone; read
// and acknowledge a session's inbox. Messages carry their sender; see docs on trust.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { InboxItemSchema, MessageSchema, SendMessageInputSchema } from "../../domain/message.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { respond } from "../respond.ts";
import { booleanQuery, IdParam, json, limitQuery, ok, RefQuery } from "../schemas.ts";

const tags = ["messages"];

const SentMessageSchema = z.strictObject({
  message: MessageSchema,
  /** How many of this machine's sessions it reached (other machines deliver to theirs). */
  localTargets: z.number().int(),
  /** Sessions, on any machine this one knows of, that have not ended and will get it. */
  reaches: z.number().int(),
  /** The session has ended, or a broadcast reaches no running session: said to the sender. */
  warning: z.string().nullable(),
});

/** A broadcast reaches many sessions; one session is a message (the seed's command name kept). */
export const isBroadcastTarget = (to: string): boolean => {
  const t = to.trim();
  return t === "all" || t === "*" || /^(group|machine):./s.test(t);
};

const BroadcastInputSchema = SendMessageInputSchema.extend({
  to: SendMessageInputSchema.shape.to
    .refine(
      isBroadcastTarget,
      "a broadcast goes to all, group:<name> or machine:<id|name>; to one session, send a message (POST /api/v1/messages, claire msg)",
    )
    .describe("'all', 'group:<name>' or 'machine:<id|name>'"),
});

const AckInputSchema = z.strictObject({
  session: RefQuery,
  messages: z
    .union([z.literal("all"), z.array(z.string().min(1).max(200)).min(1).max(1000)])
    .describe("message ids or handles, or 'all'"),
});

export const messageRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/messages",
      tags,
      summary: "Send a message to a session, a group, a machine or all sessions",
      request: { body: json(SendMessageInputSchema) },
      responses: { 201: ok(SentMessageSchema, "The message and its local reach"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.sendMessage(c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/messages",
      tags,
      summary: "List messages, newest first",
      request: { query: z.strictObject({ limit: limitQuery(1000, 100) }) },
      responses: { 200: ok(z.array(MessageSchema), "Messages with their deliveries"), ...PROBLEM_RESPONSES },
    }),
    (c) => c.json(c.var.service.listMessages(c.req.valid("query").limit), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/messages/{id}",
      tags,
      summary: "Get a message by id or short handle",
      request: { params: IdParam },
      responses: { 200: ok(MessageSchema, "The message with its deliveries"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.getMessage(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/broadcast",
      tags,
      summary: "Broadcast to all sessions, a group or a machine",
      request: { body: json(BroadcastInputSchema) },
      responses: { 201: ok(SentMessageSchema, "The message and its local reach"), ...PROBLEM_RESPONSES },
    }),
    (c) => respond(c, c.var.service.sendMessage(c.var.actor, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/inbox",
      tags,
      summary: "A session's inbox: unacknowledged messages (all of them with all=true)",
      request: { query: z.strictObject({ session: RefQuery, all: booleanQuery.optional() }) },
      responses: {
        200: ok(z.array(InboxItemSchema), "Messages with this session's delivery"),
        ...PROBLEM_RESPONSES,
      },
    }),
    (c) => {
      const { session, all } = c.req.valid("query");
      return respond(c, c.var.service.inbox(session, { all }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/inbox/ack",
      tags,
      summary: "Acknowledge messages in a session's inbox",
      request: { body: json(AckInputSchema) },
      responses: { 200: ok(z.array(InboxItemSchema), "The deliveries that changed"), ...PROBLEM_RESPONSES },
    }),
    (c) => {
      const { session, messages } = c.req.valid("json");
      return respond(c, c.var.service.acknowledge(c.var.actor, session, messages), 200);
    },
  );
