// Assignment: a task given to a session, by a person (an epoch) or taken by an agent (a claim).
//
// Assign/unassign by a person starts a new assignment epoch for the task (last writer wins). A
// claim records the epoch its agent saw; among claims on the current epoch the earliest HLC wins,
// and a claim on an epoch that a person gave to a session loses. Owner is therefore a pure
// function of the merged facts, so every machine agrees after sync.
import { z } from "zod";
import { ActorSchema } from "./actor.ts";
import { lazySchema } from "./lazy-schema.ts";
import { SessionRefSchema } from "./session-ref.ts";

export const ASSIGNMENT_STATES = ["active", "accepted", "done", "released"] as const;
export const AssignmentStateSchema = lazySchema(() => z.enum(ASSIGNMENT_STATES));
export type AssignmentState = z.infer<typeof AssignmentStateSchema>;

export const AssignmentSchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    handle: z.string(),
    taskId: z.string(),
    session: SessionRefSchema,
    via: z.enum(["assigned", "claimed"]),
    /** The epoch this assignment belongs to (a person's assignment is its own epoch). */
    epoch: z.string().nullable(),
    state: AssignmentStateSchema,
    /** Whether this assignment currently owns its task. */
    current: z.boolean(),
    by: ActorSchema,
    createdAt: z.string(),
  }),
);
export type Assignment = z.infer<typeof AssignmentSchema>;

export const AssignInputSchema = lazySchema(() =>
  z.strictObject({
    taskId: z.string().min(1),
    session: z.string().min(1).describe("session id, handle or machine/session key"),
  }),
);
export type AssignInput = z.input<typeof AssignInputSchema>;

export const ClaimInputSchema = lazySchema(() =>
  z.strictObject({
    taskId: z.string().min(1),
    session: z.string().min(1),
  }),
);
export type ClaimInput = z.input<typeof ClaimInputSchema>;
