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

export const TaskTimelineEntrySchema = z.discriminatedUnion(
  "type",
  TASK_TIMELINE_TYPES.map(entrySchema) as unknown as [EntrySchema, ...EntrySchema[]],
);
export type TimelineEntry = z.infer<typeof TaskTimelineEntrySchema>;

const STRIPPED = new Map<EventType, z.ZodType<Record<string, unknown>>>(
  EVENT_TYPES.map((t) => [t, z.object(EVENT_DEFS[t].data.shape)]),
);

/** Parses stored event data down to the known fields of its type (strips unknown keys). */
export const knownEventData = (type: EventType, data: unknown): Record<string, unknown> | null => {
  const r = STRIPPED.get(type)!.safeParse(data);
  return r.success ? r.data : null;
};
