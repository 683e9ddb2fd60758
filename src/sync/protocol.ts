// The peer protocol's wire shapes (DESIGN: pull by the serving peer's own seq, push as an
// optimisation, a version-vector summary). Validated on both sides: a hostile peer's reply is
// data, never trusted structure.
import { z } from "zod";

export const MAX_PULL_LIMIT = 5_000;
export const MAX_PUSH_EVENTS = 5_000;
/**
 * A push body stays below this many bytes: the server refuses bodies over 1 MiB (413), and a
 * refused push would fail the whole round again on every interval.
 */
export const MAX_PUSH_BYTES = 768 * 1024;

/** Events stay `unknown` here: each is validated on its own by the store, so one bad event is rejected alone. */
export const EventsPageSchema = z.strictObject({
  protocol: z.number().int(),
  logId: z.uuid(),
  machineId: z.uuid(),
  events: z.array(z.unknown()).max(MAX_PULL_LIMIT),
  nextAfter: z.number().int().min(0),
  hasMore: z.boolean(),
  maxSeq: z.number().int().min(0),
  // Optional: a page from a Claire before it was added is still a page.
  now: z.iso.datetime().optional(),
});
export type EventsPageWire = z.infer<typeof EventsPageSchema>;

export const PushBodySchema = z.strictObject({ events: z.array(z.unknown()).min(1).max(MAX_PUSH_EVENTS) });

export const PushResultSchema = z.strictObject({
  accepted: z.number().int().min(0),
  duplicate: z.number().int().min(0),
  quarantined: z.number().int().min(0),
  rejected: z.number().int().min(0),
  results: z.array(
    z.strictObject({
      id: z.string().nullable(),
      status: z.enum(["accepted", "duplicate", "quarantined", "rejected"]),
      reason: z.string().optional(),
    }),
  ),
});
export type PushResult = z.infer<typeof PushResultSchema>;

/** GET /sync/contacts (a peer before it answers 404: nothing is known through it). */
export const ContactsSchema = z.strictObject({
  protocol: z.number().int(),
  machineId: z.uuid(),
  contacts: z
    .array(
      z.strictObject({
        machineId: z.uuid(),
        // Up to a year: older is "never" for every purpose here.
        agoMs: z
          .number()
          .int()
          .min(0)
          .max(365 * 86_400_000),
      }),
    )
    .max(10_000),
});

/** GET /auth: whether the caller's token is accepted, and whether it needed one. */
export const AuthCheckSchema = z.strictObject({
  token: z
    .enum(["accepted", "refused", "none"])
    .describe("accepted: a valid token; refused: revoked or unknown here; none: no token sent"),
  needed: z
    .boolean()
    .describe("whether this request needed a token (off loopback, or auth.require = always)"),
});

export const VectorEntrySchema = z.strictObject({
  machineId: z.string(),
  epoch: z.number().int(),
  contiguous: z.number().int(),
  count: z.number().int(),
  maxOriginSeq: z.number().int(),
});

export const SummarySchema = z.strictObject({
  protocol: z.number().int(),
  logId: z.uuid(),
  machineId: z.uuid(),
  now: z.string(),
  vector: z.array(VectorEntrySchema),
});
export type SummaryWire = z.infer<typeof SummarySchema>;
