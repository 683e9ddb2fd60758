// A fast path for the envelope check of an incoming event. WireEventSchema (zod) costs about 3 µs
// per event, a third of a pulled event's whole cost; this hand-written check costs a tenth of that.
// It is deliberately narrower than the schema: it answers an event only when the schema would
// accept it as is (lowercase ids, a plain JSON object with exactly the envelope's keys) and
// otherwise answers null, so the caller asks the schema, which then refuses or accepts with its
// own words. Refusals are therefore exactly what they were; wire-envelope.test.ts checks the
// narrower-than claim against the schema on generated and mutated events.
import { ACTOR_KINDS } from "./actor.ts";
import {
  EVENT_TYPE_RE,
  MAX_ENTITY_ID_LENGTH,
  MAX_EPOCH,
  MAX_EVENT_DATA_BYTES,
  MAX_EVENT_TYPE_LENGTH,
  type WireEvent,
} from "./events.ts";
import { isPlainObject, LOWER_UUID_RE } from "./fast-accept.ts";

const ENVELOPE_KEYS = 9;

/** Exactly these keys, own and enumerable (a strict object), and nothing else. */
const hasExactKeys = (o: Record<string, unknown>, count: number, keys: readonly string[]): boolean => {
  let n = 0;
  for (const k in o) {
    if (!Object.hasOwn(o, k)) return false;
    n++;
  }
  if (n !== count) return false;
  for (const k of keys) if (!Object.hasOwn(o, k)) return false;
  return true;
};

const ENVELOPE = [
  "id",
  "hlc",
  "machineId",
  "epoch",
  "originSeq",
  "actor",
  "type",
  "entityId",
  "data",
] as const;
const ACTOR = ["kind", "id"] as const;

const inRange = (x: unknown, min: number, max: number): x is number =>
  Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max;

const isString = (x: unknown, min: number, max: number): x is string =>
  typeof x === "string" && x.length >= min && x.length <= max;

/** The envelope as WireEventSchema would return it, or null: "ask the schema". */
export const fastWireEnvelope = (raw: unknown): WireEvent | null => {
  if (!isPlainObject(raw) || !hasExactKeys(raw, ENVELOPE_KEYS, ENVELOPE)) return null;
  const { id, hlc, machineId, epoch, originSeq, actor, type, entityId, data } = raw;
  if (typeof id !== "string" || !LOWER_UUID_RE.test(id)) return null;
  if (typeof hlc !== "string" || hlc.length !== 34) return null;
  if (typeof machineId !== "string" || !LOWER_UUID_RE.test(machineId)) return null;
  if (!inRange(epoch, 0, MAX_EPOCH) || !inRange(originSeq, 1, Number.MAX_SAFE_INTEGER)) return null;
  if (!isPlainObject(actor) || !hasExactKeys(actor, 2, ACTOR)) return null;
  const kind = actor.kind;
  const actorId = actor.id;
  if (typeof kind !== "string" || !(ACTOR_KINDS as readonly string[]).includes(kind)) return null;
  if (!isString(actorId, 1, 200)) return null;
  if (!isString(type, 3, MAX_EVENT_TYPE_LENGTH) || !EVENT_TYPE_RE.test(type)) return null;
  if (!isString(entityId, 1, MAX_ENTITY_ID_LENGTH) || !isString(data, 0, MAX_EVENT_DATA_BYTES)) return null;
  // Every key was checked and there are no others, so the (JSON-parsed) object is the envelope
  // itself: no copy.
  return raw as WireEvent;
};
