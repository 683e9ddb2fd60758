// /api/v1/sync/*: the peer protocol (pull a page of events by seq, push a batch, the version
// vector summary) and the controls behind `claire sync` (run a round now, verify, peer health).
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import { WireEventSchema } from "../../domain/events.ts";
import {
  ContactsSchema,
  MAX_PULL_LIMIT,
  PushBodySchema,
  PushResultSchema,
  SummarySchema,
} from "../../sync/protocol.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_JSON, PROBLEM_RESPONSES, ProblemSchema, problem } from "../problem.ts";
import { intQuery, json, ok, PeerHealthSchema } from "../schemas.ts";

const tags = ["sync"];

const EventsPageResponse = z.strictObject({
  protocol: z.number().int(),
  logId: z.string(),
  machineId: z.string(),
  events: z.array(WireEventSchema),
  nextAfter: z.number().int(),
  hasMore: z.boolean(),
  maxSeq: z.number().int(),
  now: z.string().describe("the serving machine's clock as it answered (ISO)"),
});

const Counts = z.strictObject({
  accepted: z.number().int(),
  duplicate: z.number().int(),
  quarantined: z.number().int(),
  rejected: z.number().int(),
});
const PeerRoundSchema = z.strictObject({
  peer: z.string(),
  ok: z.boolean(),
  pulled: Counts,
  pushed: Counts,
  behind: z.number().int().nullable(),
  error: z.string().nullable(),
  ms: z.number(),
});
const VerificationSchema = z.strictObject({
  equal: z.boolean(),
  machineId: z.string(),
  peers: z.array(
    z.strictObject({
      peer: z.string(),
      reachable: z.boolean(),
      equal: z.boolean(),
      gaps: z.array(z.string()),
      clockOffsetMs: z.number().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
const noSync = {
  503: {
    description: "This process does not run sync",
    content: { "application/problem+json": { schema: ProblemSchema } },
  },
};
/** Typed as never: the 503 is declared above, outside what the typed client needs to know. */
const unavailable = (c: Context): never =>
  c.json(problem(503, "sync is not running in this process; start `claire serve`"), 503, {
    ...PROBLEM_JSON,
  }) as never;

/** A peer as `claire sync --peer` names it: its URL or its name in claire.toml. */
const PeerNameSchema = z.string().trim().min(1).max(2048).describe("a configured peer's URL or name");

/** 404 for a peer that is not in claire.toml, naming the ones that are. */
const unknownPeer = (c: Context, sync: NonNullable<AppEnv["Variables"]["sync"]>, peer: string): never => {
  const known = sync.peers().map((p) => (p.name ? `${p.name} (${p.url})` : p.url));
  return c.json(
    problem(
      404,
      `no peer '${peer.slice(0, 200)}' in claire.toml; ${known.length > 0 ? `its peers: ${known.join(", ")}` : "it has no peers: claire peer add <url> --token <token>"}`,
    ),
    404,
    { ...PROBLEM_JSON },
  ) as never;
};

export const syncRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "get",
      path: "/sync/events",
      tags,
      summary: "A page of this machine's event log after a seq cursor (the serving peer's own local order)",
      request: {
        query: z.strictObject({
          after: intQuery(0, Number.MAX_SAFE_INTEGER, 0),
          limit: intQuery(1, MAX_PULL_LIMIT, 1000),
        }),
      },
      responses: {
        200: ok(EventsPageResponse, "Events after the cursor, in seq order"),
        ...PROBLEM_RESPONSES,
      },
    }),
    (c) => {
      const q = c.req.valid("query");
      return c.json(c.var.service.eventsPage(q.after, q.limit), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/sync/events",
      tags,
      summary:
        "Push a batch of events (idempotent); each is accepted, a duplicate, quarantined or rejected with its reason",
      request: { body: json(PushBodySchema) },
      responses: { 200: ok(PushResultSchema, "Per-event outcome"), ...PROBLEM_RESPONSES },
    }),
    (c) => {
      // Name the pusher in the rejected table: its actor header, else its address.
      const remote = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
        ?.socket?.remoteAddress;
      const source = `push from ${c.req.header("x-claire-actor") ?? remote ?? "this machine"}`.slice(0, 200);
      const { outcomes, ...counts } = c.var.service.ingestEvents(c.req.valid("json").events, source);
      return c.json(
        {
          ...counts,
          results: outcomes.map((o) => ({
            id: o.id,
            status: o.status,
            ...("reason" in o ? { reason: o.reason } : {}),
          })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sync/summary",
      tags,
      summary: "Version vector: per (machine, writer epoch), the highest contiguous origin_seq and the count",
      responses: { 200: ok(SummarySchema, "Summary"), ...PROBLEM_RESPONSES },
    }),
    (c) => c.json(c.var.service.syncSummary(), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sync/contacts",
      tags,
      summary:
        "How long ago this machine last knew each other machine in contact (its own sync rounds, and its peers' reports): a puller's sign of life for machines it hears of only through it",
      responses: { 200: ok(ContactsSchema, "Contacts, as ages in milliseconds"), ...PROBLEM_RESPONSES },
    }),
    (c) => c.json(c.var.service.syncContacts(), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/sync/run",
      tags,
      summary: "Run one sync round now with every peer (or one), and report what moved",
      request: { body: json(z.strictObject({ peer: PeerNameSchema.optional() })) },
      responses: {
        200: ok(z.strictObject({ rounds: z.array(PeerRoundSchema) }), "One entry per peer"),
        ...PROBLEM_RESPONSES,
        ...noSync,
      },
    }),
    async (c) => {
      const sync = c.var.sync;
      if (!sync) return unavailable(c);
      const { peer } = c.req.valid("json");
      if (peer !== undefined && !sync.findPeer(peer)) return unknownPeer(c, sync, peer);
      return c.json({ rounds: await sync.runNow(peer) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sync/verify",
      tags,
      summary: "Compare this machine's summary with each peer's and name any gap",
      request: { query: z.strictObject({ peer: PeerNameSchema.optional() }) },
      responses: { 200: ok(VerificationSchema, "Per-peer comparison"), ...PROBLEM_RESPONSES, ...noSync },
    }),
    async (c) => {
      const sync = c.var.sync;
      if (!sync) return unavailable(c);
      const { peer } = c.req.valid("query");
      if (peer !== undefined && !sync.findPeer(peer)) return unknownPeer(c, sync, peer);
      return c.json((await sync.verify(peer)) as z.infer<typeof VerificationSchema>, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/sync/peers",
      tags,
      summary: "Sync health per peer: last success, events behind, last error",
      responses: {
        200: ok(z.array(PeerHealthSchema), "Peers this machine has synced with"),
        ...PROBLEM_RESPONSES,
      },
    }),
    (c) => c.json(c.var.service.peerHealth(), 200),
  );
