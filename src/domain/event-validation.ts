// Validation of an event that arrives from elsewhere (a peer, an import file): structure, HLC
// format, type grammar, entity id shape, data size and, for known types, the data schema. The zod
// schemas are the rule; hand-written fast paths (wire-envelope.ts, event-data-fast.ts) answer first
// when they can vouch that a schema would accept, and otherwise leave the answer to the schema.
import { fastDataAccepted } from "./event-data-fast.ts";
import {
  EVENT_DEFS,
  type EventType,
  isKnownEventType,
  type KnownEvent,
  type WireEvent,
  WireEventSchema,
} from "./events.ts";
import { UUID_RE } from "./ids.ts";
import { err, ok, type Result } from "./result.ts";
import { fastWireEnvelope } from "./wire-envelope.ts";

/** Same format the clock encodes: 12 hex ms, 4 hex counter, 16 hex node. */
export const HLC_RE = /^[0-9a-f]{12}-[0-9a-f]{4}-[0-9a-f]{16}$/;
const SESSION_KEY_RE =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[A-Za-z0-9_.:-]{1,128}$/;

export type EventRejection = {
  readonly type: "EventRejection";
  readonly reason: string;
  readonly eventId: string | null;
};

const reject = (reason: string, eventId: string | null): EventRejection => ({
  type: "EventRejection",
  reason,
  eventId,
});

export type ValidatedEvent = { readonly event: WireEvent; readonly known: KnownEvent | null };

export const validateWireEvent = (raw: unknown): Result<ValidatedEvent, EventRejection> => {
  const eventId =
    typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string"
      ? ((raw as { id: string }).id.slice(0, 64) as string)
      : null;
  let event = fastWireEnvelope(raw);
  if (event === null) {
    const parsed = WireEventSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return err(reject(`invalid event: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, eventId));
    }
    event = parsed.data;
  }
  if (!HLC_RE.test(event.hlc)) return err(reject(`invalid hlc '${event.hlc.slice(0, 40)}'`, event.id));
  if (event.hlc.slice(18) !== event.machineId.replaceAll("-", "").slice(0, 16)) {
    return err(reject("hlc node does not match machineId", event.id));
  }
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return err(reject("data is not valid JSON", event.id));
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return err(reject("data must be a JSON object", event.id));
  }
  if (!isKnownEventType(event.type)) return ok({ event, known: null });
  const def = EVENT_DEFS[event.type as EventType];
  const entityOk = def.entity === "uuid" ? UUID_RE.test(event.entityId) : SESSION_KEY_RE.test(event.entityId);
  if (!entityOk) return err(reject(`invalid entityId for ${event.type}`, event.id));
  if (fastDataAccepted(event.type as EventType, data as Record<string, unknown>)) {
    return ok({ event, known: { ...event, data } as KnownEvent });
  }
  const dataParsed = def.data.safeParse(data);
  if (!dataParsed.success) {
    const issue = dataParsed.error.issues[0];
    return err(
      reject(`invalid ${event.type} data: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`, event.id),
    );
  }
  return ok({ event, known: { ...event, data: dataParsed.data } as KnownEvent });
};
