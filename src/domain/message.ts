// Message: text sent to one session, a group, a machine or every session; delivery is tracked per
// target session. Delivery state only grows (pending < delivered < acknowledged), so it merges
// by maximum rather than by last writer.
import { z } from "zod";
import { ActorSchema } from "./actor.ts";
import { derivedId } from "./ids.ts";
import { lazySchema } from "./lazy-schema.ts";
import { type SessionRef, SessionRefSchema, sessionKey } from "./session-ref.ts";
import { longText } from "./text.ts";

export const MessageTargetSchema = lazySchema(() =>
  z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("session"), session: SessionRefSchema }),
    z.strictObject({ kind: z.literal("group"), groupId: z.string().min(1) }),
    z.strictObject({ kind: z.literal("machine"), machineId: z.uuid() }),
    z.strictObject({ kind: z.literal("all") }),
  ]),
);
export type MessageTarget = z.infer<typeof MessageTargetSchema>;

export const DELIVERY_STATES = ["pending", "delivered", "acknowledged"] as const;
export const DeliveryStateSchema = lazySchema(() => z.enum(DELIVERY_STATES));
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;
export const deliveryRank = (s: DeliveryState): number => DELIVERY_STATES.indexOf(s);

/** Deterministic, so the same delivery made twice (or on two machines) merges into one. */
export const deliveryId = (messageId: string, session: SessionRef): string =>
  derivedId("delivery", messageId, sessionKey(session));

export const DeliverySchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    messageId: z.string(),
    session: SessionRefSchema,
    state: DeliveryStateSchema,
    updatedAt: z.string().nullable(),
  }),
);
export type Delivery = z.infer<typeof DeliverySchema>;

export const MessageSchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    handle: z.string(),
    body: z.string(),
    target: MessageTargetSchema,
    sender: ActorSchema,
    createdAt: z.string(),
    deliveries: z.array(DeliverySchema),
  }),
);
export type Message = z.infer<typeof MessageSchema>;

export const SendMessageInputSchema = lazySchema(() =>
  z.strictObject({
    to: z
      .string()
      .min(1)
      .describe(
        "'all', 'group:<name>', 'machine:<id|name>' or 'session:<id|handle>' (a bare id means a session)",
      ),
    body: longText(20_000).refine((s) => s.trim().length > 0, "must not be empty"),
  }),
);
export type SendMessageInput = z.input<typeof SendMessageInputSchema>;

/** One message in a session's inbox, with that session's delivery of it. */
export const InboxItemSchema = lazySchema(() =>
  z.strictObject({
    message: MessageSchema.omit({ deliveries: true }),
    delivery: DeliverySchema,
  }),
);
export type InboxItem = z.infer<typeof InboxItemSchema>;
