// The fast envelope check never accepts what WireEventSchema refuses, and what it accepts it
// returns exactly as the schema would; refusals stay the schema's own (event-validation.test.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventsArb, toWire } from "../../test/support/core-events.ts";
import { ACTOR_KINDS } from "./actor.ts";
import { WireEventSchema } from "./events.ts";
import { fastWireEnvelope } from "./wire-envelope.ts";

/** What the fast path says must be what the schema says, whenever the fast path says anything. */
const agrees = (raw: unknown): boolean => {
  const fast = fastWireEnvelope(raw);
  if (fast === null) return true;
  const slow = WireEventSchema.safeParse(raw);
  expect(slow.success).toBe(true);
  expect(fast).toEqual(slow.data);
  return true;
};

const FIELDS = ["id", "hlc", "machineId", "epoch", "originSeq", "actor", "type", "entityId", "data"];

/** Values that are near misses for one field or another. */
const oddValue = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    0,
    -1,
    1.5,
    1_000_001,
    Number.MAX_SAFE_INTEGER + 1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "",
    "x",
    "00000000-0000-0000-0000-000000000000",
    "01900000-0000-7000-8000-0000000000A1",
    "01900000-0000-0000-8000-0000000000a1",
    "01900000-0000-7000-c000-0000000000a1",
    "task",
    "Task.created",
    "task.created ",
    "a".repeat(65),
    "a".repeat(301),
    [],
    {},
    { kind: "human", id: "" },
    { kind: "robot", id: "x" },
    { kind: "human", id: "x", extra: 1 },
    { kind: "human" },
    { kind: "human", id: "a".repeat(201) },
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
);

describe("fastWireEnvelope", () => {
  it("accepts the events Claire makes, equal to the schema's output", () => {
    fc.assert(
      fc.property(eventsArb(20), (events) => {
        for (const e of events) {
          const w = toWire(e);
          expect(fastWireEnvelope(w)).toEqual(WireEventSchema.parse(w));
        }
      }),
      { numRuns: 50 },
    );
  });

  it("never accepts what the schema refuses: one field changed, removed or added", () => {
    fc.assert(
      fc.property(
        eventsArb(3),
        fc.constantFrom(...FIELDS, "extra", "__proto__", "constructor"),
        fc.constantFrom("set", "delete"),
        oddValue,
        (events, field, op, value) => {
          for (const e of events) {
            const raw: Record<string, unknown> = JSON.parse(JSON.stringify(toWire(e)));
            if (op === "delete") delete raw[field];
            else
              Object.defineProperty(raw, field, {
                value,
                enumerable: true,
                writable: true,
                configurable: true,
              });
            agrees(raw);
            agrees(JSON.parse(JSON.stringify(raw)));
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("never accepts an actor the schema refuses", () => {
    const actorArb = fc.record(
      {
        kind: fc.oneof(fc.constantFrom(...ACTOR_KINDS, "robot", "Human", ""), fc.string()),
        id: fc.oneof(fc.constantFrom("", "x", "a".repeat(200), "a".repeat(201)), fc.string()),
        extra: fc.constant(1),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(eventsArb(1), actorArb, (events, actor) => {
        for (const e of events) agrees({ ...toWire(e), actor });
      }),
      { numRuns: 1_000 },
    );
  });

  it("answers null for anything but a plain object", () => {
    for (const raw of [null, undefined, 1, "x", [], new Map(), Object.create(null)]) {
      expect(fastWireEnvelope(raw)).toBeNull();
    }
    const proto = Object.assign(Object.create({ inherited: 1 }), JSON.parse(JSON.stringify({})));
    expect(fastWireEnvelope(proto)).toBeNull();
  });
});
