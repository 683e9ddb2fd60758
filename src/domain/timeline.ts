// Timeline entries: the applied events about an entity, oldest first, each with its data parsed and
// limited to the fields this version knows (a newer peer's extra fields stay in the log, verbatim).
import { z } from "zod";
import { ActorSchema } from "./actor.ts";
import { EVENT_DEFS, EVENT_TYPES, type EventType } from "./events.ts";

const entrySchema = <T extends EventType>(type: T) =>
  z.strictObject({
    id: z.string(),
    type: z.literal(type),
    hlc: z.string(),
    /** The event's time (the physical part of its HLC), ISO-8601. */
    at: z.string(),
    actor: ActorSchema,
    data: z.strictObject(EVENT_DEFS[type].data.shape),
  });

type EntrySchema = ReturnType<typeof entrySchema<EventType>>;

/** The event types that make up a task's timeline: its own events and its assignments' states. */
export const TASK_TIMELINE_TYPES = [
  ...EVENT_TYPES.filter((t) => t.startsWith("task.")),
  "assignment.state_changed",
] as readonly EventType[];

const makeTimelineEntrySchema = () =>
  z.discriminatedUnion(
    "type",
    TASK_TIMELINE_TYPES.map(entrySchema) as unknown as [EntrySchema, ...EntrySchema[]],
  );
let timelineEntrySchema: ReturnType<typeof makeTimelineEntrySchema> | undefined;

/** The schema of a task timeline's entries (for the API's description), built when first asked for. */
export const taskTimelineEntrySchema = () => {
  timelineEntrySchema ??= makeTimelineEntrySchema();
  return timelineEntrySchema;
};
export type TimelineEntry = z.infer<ReturnType<typeof makeTimelineEntrySchema>>;

// Built per type when first used, like the event data schemas they derive from (events.ts).
const stripped = new Map<EventType, z.ZodType<Record<string, unknown>>>();

/** Parses stored event data down to the known fields of its type (strips unknown keys). */
export const knownEventData = (type: EventType, data: unknown): Record<string, unknown> | null => {
  let schema = stripped.get(type);
  if (!schema) {
    schema = z.object(EVENT_DEFS[type].data.shape);
    stripped.set(type, schema);
  }
  const r = schema.safeParse(data);
  return r.success ? r.data : null;
};
