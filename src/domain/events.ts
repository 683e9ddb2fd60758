// Every event type Claire knows, with the schema of its data, as one discriminated union.
//
// Data schemas are loose (unknown keys kept): a newer peer may add fields, and events are stored
// and relayed verbatim so those fields survive. Names follow `^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`.
import { z } from "zod";
import { ActorSchema } from "./actor.ts";
import { AssignmentStateSchema } from "./assignment.ts";
import { GroupNameSchema, GroupRuleSchema } from "./group.ts";
import { lazySchema } from "./lazy-schema.ts";
import { DeliveryStateSchema, MessageTargetSchema } from "./message.ts";
import { SessionFactsSchema } from "./session.ts";
import { SessionRefSchema } from "./session-ref.ts";
import { PrioritySchema, TaskStatusSchema } from "./task.ts";
import { UpdateKindSchema } from "./update.ts";

export const EVENT_TYPE_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
export const MAX_EVENT_TYPE_LENGTH = 64;
/**
 * Cap on an event's data (its JSON text, in UTF-16 code units) when it arrives from elsewhere. It
 * must exceed the largest data the local schemas allow once JSON-escaped, or a peer would refuse
 * events this machine made: a 50,000-character task description of quotes doubles, of control
 * characters (\u0001) grows sixfold, to 300,000.
 */
export const MAX_EVENT_DATA_BYTES = 512 * 1024;
export const MAX_ENTITY_ID_LENGTH = 300;

const text = (max: number) => z.string().max(max);
const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

/** Which shape an event's entity_id has. */
export type EntityIdKind = "uuid" | "session";

/**
 * An event type: the shape of its entity id, and the schema of its data, built the first time it is
 * asked for. Most processes never check event data against these schemas (only events arriving
 * from elsewhere are), and building all of them cost a short-lived process ~3 ms of start-up.
 */
const def = <S extends z.ZodType>(
  entity: EntityIdKind,
  make: () => S,
): { readonly entity: EntityIdKind; readonly data: S } => {
  let data: S | undefined;
  return {
    entity,
    get data() {
      data ??= make();
      return data;
    },
  };
};

export const EVENT_DEFS = {
  "project.created": def("uuid", () => loose({ name: text(200), description: text(20_000) })),
  "project.updated": def("uuid", () =>
    loose({ name: text(200).optional(), description: text(20_000).optional() }),
  ),
  "project.archived": def("uuid", () => loose({ archived: z.boolean() })),
  "task.created": def("uuid", () =>
    loose({
      projectId: z.string().max(64),
      title: text(300),
      description: text(50_000),
      priority: PrioritySchema,
      status: TaskStatusSchema,
      labels: z.array(text(64)).max(50),
      dependsOn: z.array(z.string().max(64)).max(100),
    }),
  ),
  "task.updated": def("uuid", () =>
    loose({
      title: text(300).optional(),
      description: text(50_000).optional(),
      priority: PrioritySchema.optional(),
      projectId: z.string().max(64).optional(),
    }),
  ),
  "task.status_changed": def("uuid", () => loose({ status: TaskStatusSchema })),
  "task.label_added": def("uuid", () => loose({ label: text(64) })),
  "task.label_removed": def("uuid", () => loose({ label: text(64) })),
  "task.dependency_added": def("uuid", () => loose({ dependsOn: z.string().max(64) })),
  "task.dependency_removed": def("uuid", () => loose({ dependsOn: z.string().max(64) })),
  /** A person's assignment (session) or unassignment (null): a new epoch, whose id is this event's id. */
  "task.assigned": def("uuid", () => loose({ session: SessionRefSchema.nullable() })),
  /** An agent's claim on the epoch it saw (null: the task was never assigned). */
  "task.claimed": def("uuid", () =>
    loose({ epoch: z.string().max(64).nullable(), session: SessionRefSchema }),
  ),
  "assignment.state_changed": def("uuid", () => loose({ state: AssignmentStateSchema })),
  "session.observed": def("session", () => loose({ ...SessionFactsSchema.shape })),
  "session.succeeded": def("session", () => loose({ predecessor: SessionRefSchema })),
  "group.created": def("uuid", () => loose({ name: GroupNameSchema, description: text(2_000) })),
  "group.updated": def("uuid", () => loose({ description: text(2_000) })),
  "group.rule_added": def("uuid", () => loose({ rule: GroupRuleSchema })),
  "group.rule_removed": def("uuid", () => loose({ rule: GroupRuleSchema })),
  "group.member_added": def("uuid", () => loose({ session: SessionRefSchema })),
  "group.member_removed": def("uuid", () => loose({ session: SessionRefSchema })),
  "update.posted": def("uuid", () =>
    loose({
      kind: UpdateKindSchema,
      text: text(20_000),
      taskId: z.string().max(64).nullable(),
      projectId: z.string().max(64).nullable(),
      session: SessionRefSchema.nullable(),
    }),
  ),
  "message.sent": def("uuid", () => loose({ body: text(20_000), target: MessageTargetSchema })),
  "delivery.recorded": def("uuid", () =>
    loose({ messageId: z.string().max(64), session: SessionRefSchema, state: DeliveryStateSchema }),
  ),
  "machine.announced": def("uuid", () =>
    loose({ name: text(64), groups: z.array(GroupNameSchema).max(100) }),
  ),
} as const;

export type EventType = keyof typeof EVENT_DEFS;
export const EVENT_TYPES = Object.keys(EVENT_DEFS) as EventType[];
export const isKnownEventType = (t: string): t is EventType => Object.hasOwn(EVENT_DEFS, t);

export type EventData<T extends EventType> = z.infer<(typeof EVENT_DEFS)[T]["data"]>;

/** What the service asks the store to append: the store stamps id, HLC, origin and actor. */
export type EventDraft = {
  [T in EventType]: { readonly type: T; readonly entityId: string; readonly data: EventData<T> };
}[EventType];

/**
 * The highest writer epoch: restores count up by one; a database made for a machine with history
 * starts at the seconds since 2020 (runtime/local-claire.ts), which stay below this until 2088.
 */
export const MAX_EPOCH = 2 ** 31 - 1;

/** A stored event as it travels between machines. `data` is kept as the original JSON text. */
export const WireEventSchema = lazySchema(() =>
  z.strictObject({
    id: z.uuid(),
    hlc: z.string().length(34),
    machineId: z.uuid(),
    epoch: z.number().int().min(0).max(MAX_EPOCH),
    originSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    actor: ActorSchema,
    type: z.string().min(3).max(MAX_EVENT_TYPE_LENGTH).regex(EVENT_TYPE_RE, "not a valid event type name"),
    entityId: z.string().min(1).max(MAX_ENTITY_ID_LENGTH),
    data: z.string().max(MAX_EVENT_DATA_BYTES),
  }),
);
export type WireEvent = z.infer<typeof WireEventSchema>;

/** A stored event with its local position. */
export type StoredEvent = WireEvent & { readonly seq: number; readonly applied: boolean };

/** A known event, parsed. */
export type KnownEvent = {
  [T in EventType]: Omit<WireEvent, "type" | "data"> & { readonly type: T; readonly data: EventData<T> };
}[EventType];
