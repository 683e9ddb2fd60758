// Hand-written checks of the data of the event types a log is mostly made of (notes and task
// changes), for ingest: zod's data check is about 1 µs per event. Like the envelope's fast path
// (wire-envelope.ts) each check is narrower than the type's schema in events.ts and answers only
// "the schema accepts this as is" (true) or "ask the schema" (false), so refusals and their
// reasons stay the schema's. None of these schemas transforms a value, so data the check passes
// is what the schema would return. event-data-fast.test.ts compares them on generated data.
import type { EventType } from "./events.ts";
import { str } from "./fast-accept.ts";
import { PRIORITIES, TASK_STATUSES } from "./task.ts";
import { UPDATE_KINDS } from "./update.ts";

type Data = Record<string, unknown>;

const nullableStr = (x: unknown, max: number): boolean => x === null || str(x, max);
/** JSON data has no undefined values: undefined means the key is absent, as zod's optional allows. */
const optionalStr = (x: unknown, max: number): boolean => x === undefined || str(x, max);
const among = (values: readonly string[], x: unknown): boolean => typeof x === "string" && values.includes(x);
const strings = (x: unknown, maxItems: number, maxLength: number): boolean =>
  Array.isArray(x) && x.length <= maxItems && x.every((s) => str(s, maxLength));

const CHECKS: Partial<Record<EventType, (d: Data) => boolean>> = {
  "update.posted": (d) =>
    among(UPDATE_KINDS, d.kind) &&
    str(d.text, 20_000) &&
    nullableStr(d.taskId, 64) &&
    nullableStr(d.projectId, 64) &&
    d.session === null,
  "task.created": (d) =>
    str(d.projectId, 64) &&
    str(d.title, 300) &&
    str(d.description, 50_000) &&
    among(PRIORITIES, d.priority) &&
    among(TASK_STATUSES, d.status) &&
    strings(d.labels, 50, 64) &&
    strings(d.dependsOn, 100, 64),
  "task.updated": (d) =>
    optionalStr(d.title, 300) &&
    optionalStr(d.description, 50_000) &&
    (d.priority === undefined || among(PRIORITIES, d.priority)) &&
    optionalStr(d.projectId, 64),
  "task.status_changed": (d) => among(TASK_STATUSES, d.status),
};

/** True when the data schema of `type` surely accepts `data` unchanged; false: ask the schema. */
export const fastDataAccepted = (type: EventType, data: Data): boolean => CHECKS[type]?.(data) ?? false;
