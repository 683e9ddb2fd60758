// /api/v1/status, /machines and /health: the fleet at a glance, the machines heard of, liveness.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { MachineSchema } from "../../domain/machine.ts";
import { SESSION_STATES, type SessionState, TokensSchema } from "../../domain/session.ts";
import { TASK_STATUSES, type TaskStatus } from "../../domain/task.ts";
import { UpdateSchema } from "../../domain/update.ts";
import { AuthCheckSchema } from "../../sync/protocol.ts";
import type { AppEnv } from "../env.ts";
import { PROBLEM_RESPONSES } from "../problem.ts";
import { ok, PeerHealthSchema } from "../schemas.ts";

const tags = ["status"];

/** A closed object with one integer count per key. */
const countsOf = <K extends string>(keys: readonly K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<K, z.ZodNumber>);

const FleetStatusSchema = z.strictObject({
  machine: z.strictObject({
    id: z.string(),
    name: z.string(),
    clockAheadMs: z
      .number()
      .int()
      .describe(
        "how far this machine's clock state (HLC) is ahead of its wall clock; beyond max drift peers hold its events back",
      ),
  }),
  machines: z.array(MachineSchema).readonly(),
  sessions: z.strictObject({
    total: z.number().int(),
    byState: countsOf<SessionState>(SESSION_STATES),
    tokens: TokensSchema,
    costUsd: z.number().describe("the sessions' estimated cost; a lower bound when unpricedSessions > 0"),
    unpricedSessions: z
      .number()
      .int()
      .describe("sessions with tokens of a model that has no price: their cost is not in costUsd"),
  }),
  tasks: z.strictObject({ total: z.number().int(), byStatus: countsOf<TaskStatus>(TASK_STATUSES) }),
  projects: z.number().int(),
  recentUpdates: z.array(UpdateSchema).readonly(),
  events: z.strictObject({
    total: z.number().int(),
    quarantined: z.number().int(),
    rejected: z.number().int(),
  }),
  peers: z.array(PeerHealthSchema).readonly(),
});

const HealthSchema = z.strictObject({ ok: z.literal(true), version: z.string(), machineId: z.string() });

export const statusRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "get",
      path: "/status",
      tags,
      summary: "The fleet: machines, sessions by state, tasks by status, recent updates, event log",
      responses: { 200: ok(FleetStatusSchema, "Fleet status"), ...PROBLEM_RESPONSES },
    }),
    (c) => {
      const status = c.var.service.fleetStatus();
      // Peers by the names claire.toml gives them (the log knows only their URLs).
      const names = new Map((c.var.sync?.peers() ?? []).map((p) => [p.url, p.name ?? null]));
      return c.json(
        { ...status, peers: status.peers.map((p) => ({ ...p, name: names.get(p.peer) ?? null })) },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/machines",
      tags,
      summary: "Machines this one has heard of, itself first",
      responses: { 200: ok(z.array(MachineSchema), "Machines"), ...PROBLEM_RESPONSES },
    }),
    (c) => c.json(c.var.service.listMachines(), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags,
      summary: "Liveness: this server's version and machine",
      responses: { 200: ok(HealthSchema, "The server is up"), ...PROBLEM_RESPONSES },
    }),
    (c) =>
      c.json({ ok: true as const, version: c.var.version, machineId: c.var.service.machine.machineId }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/auth",
      tags,
      summary:
        "Whether this request's bearer token is accepted here, and whether it needed one (a peer over loopback gets in without; its token is checked all the same)",
      responses: { 200: ok(AuthCheckSchema, "The token's standing"), ...PROBLEM_RESPONSES },
    }),
    (c) => c.json({ token: c.var.token ?? "none", needed: c.var.tokenNeeded ?? false }, 200),
  );
