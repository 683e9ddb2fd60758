// The fast data checks never accept what a type's schema refuses, and never pass data the schema
// would change; refusals stay the schema's own (event-validation.test.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastDataAccepted } from "./event-data-fast.ts";
import { EVENT_DEFS, type EventType } from "./events.ts";

const TYPES = ["update.posted", "task.created", "task.updated", "task.status_changed"] as const;

const agrees = (type: EventType, data: Record<string, unknown>): void => {
  if (!fastDataAccepted(type, data)) return;
  const slow = EVENT_DEFS[type].data.safeParse(data);
  expect(slow.success).toBe(true);
  expect(slow.data).toEqual(data);
};

const VALID: Record<(typeof TYPES)[number], Record<string, unknown>> = {
  "update.posted": { kind: "progress", text: "hi", taskId: "t", projectId: null, session: null },
  "task.created": {
    projectId: "p",
    title: "t",
    description: "",
    priority: "normal",
    status: "todo",
    labels: ["a"],
    dependsOn: [],
  },
  "task.updated": { title: "t" },
  "task.status_changed": { status: "done" },
};

const ODD: readonly unknown[] = [
  null,
  undefined,
  0,
  true,
  "",
  "todo",
  "progress",
  "normal",
  "a".repeat(64),
  "a".repeat(65),
  "a".repeat(301),
  "a".repeat(20_001),
  "a".repeat(50_001),
  [],
  ["a"],
  [1],
  ["a".repeat(65)],
  Array.from({ length: 51 }, () => "x"),
  Array.from({ length: 101 }, () => "x"),
  {},
  { machineId: "00000000-0000-4000-8000-000000000000", sessionId: "s" },
];
const FIELDS = [
  "kind",
  "text",
  "taskId",
  "projectId",
  "session",
  "title",
  "description",
  "priority",
  "status",
  "labels",
  "dependsOn",
  "extra",
] as const;

const mutated = (type: (typeof TYPES)[number], field: string, remove: boolean, value: unknown) => {
  const data: Record<string, unknown> = { ...VALID[type] };
  if (remove) delete data[field];
  else data[field] = value;
  return data;
};

describe("fastDataAccepted", () => {
  it("accepts the valid data of each fast type", () => {
    for (const t of TYPES) expect(fastDataAccepted(t, VALID[t])).toBe(true);
  });

  it("never accepts what the schema refuses: every field removed or set to a near miss", () => {
    for (const type of TYPES)
      for (const field of FIELDS) {
        agrees(type, mutated(type, field, true, undefined));
        for (const value of ODD) {
          agrees(type, mutated(type, field, false, value));
          agrees(type, JSON.parse(JSON.stringify(mutated(type, field, false, value))));
        }
      }
  });

  it("never accepts what the schema refuses: arbitrary strings and numbers", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.constantFrom(...FIELDS),
        fc.oneof(fc.string(), fc.integer(), fc.array(fc.string())),
        (type, field, value) => agrees(type, mutated(type, field, false, value)),
      ),
      { numRuns: 2_000 },
    );
  });

  it("leaves every other type to the schema", () => {
    expect(fastDataAccepted("group.created", { name: "g", description: "" })).toBe(false);
  });
});
