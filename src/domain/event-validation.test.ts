import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventsArb, knownEvent, MACHINES, toWire } from "../../test/support/core-events.ts";
import { HLC_RE, validateWireEvent } from "./event-validation.ts";
import { EVENT_DEFS, EVENT_TYPE_RE, EVENT_TYPES, MAX_EVENT_TYPE_LENGTH, type WireEvent } from "./events.ts";

const base = (): WireEvent =>
  toWire(
    knownEvent(
      "task.status_changed",
      "01900000-0000-7000-8000-0000000000a1",
      { status: "done" },
      {
        id: "01900000-0000-7000-8000-0000000000b1",
        machineId: MACHINES[0],
        ms: 1_700_000_000_000,
        counter: 3,
        originSeq: 1,
      },
    ),
  );

const reason = (raw: unknown): string => {
  const r = validateWireEvent(raw);
  if (r.ok) throw new Error("expected a rejection");
  return r.error.reason;
};

describe("validateWireEvent", () => {
  it("accepts every event the generators make and parses it back to the same event", () => {
    fc.assert(
      fc.property(eventsArb(30), (events) => {
        for (const e of events) {
          const r = validateWireEvent(toWire(e));
          expect(r).toEqual({ ok: true, value: { event: toWire(e), known: e } });
        }
      }),
      { numRuns: 100 },
    );
  });

  it("keeps fields a newer peer added to known data (loose schemas)", () => {
    const wire = { ...base(), data: JSON.stringify({ status: "done", reason: "from v2", extra: { a: 1 } }) };
    const r = validateWireEvent(wire);
    expect(r.ok && r.value.known?.data).toEqual({ status: "done", reason: "from v2", extra: { a: 1 } });
    // The wire form (what is stored and relayed) is the original text.
    expect(r.ok && r.value.event.data).toBe(wire.data);
  });

  it("passes an unknown but well-formed type through with known = null, any entity id", () => {
    const wire = { ...base(), type: "future.thing.v2", entityId: "not/a-uuid", data: '{"x":[1]}' };
    expect(validateWireEvent(wire)).toEqual({ ok: true, value: { event: wire, known: null } });
    // Still needs a JSON object as data.
    expect(reason({ ...wire, data: "1" })).toBe("data must be a JSON object");
    expect(reason({ ...wire, data: "null" })).toBe("data must be a JSON object");
  });

  it("checks the entity id shape per type: a UUID, or machine/session for session events", () => {
    const session = {
      ...base(),
      type: "session.observed",
      entityId: `${MACHINES[0]}/sess-1`,
      data: JSON.stringify({ title: "t" }),
    };
    expect(validateWireEvent(session).ok).toBe(true);
    expect(reason({ ...session, entityId: MACHINES[0] })).toBe("invalid entityId for session.observed");
    expect(reason({ ...session, entityId: `${MACHINES[0]}/has space` })).toMatch(/invalid entityId/);
    expect(reason({ ...base(), entityId: "01900000-0000-7000-8000-0000000000A1" })).toMatch(
      /invalid entityId/,
    );
  });

  it.each<[string, (w: WireEvent) => unknown, string | RegExp]>([
    ["hlc with uppercase hex", (w) => ({ ...w, hlc: w.hlc.toUpperCase() }), /^invalid hlc '/],
    ["hlc too short", (w) => ({ ...w, hlc: w.hlc.slice(2) }), /^invalid event: hlc: /],
    [
      "hlc node of another machine",
      (w) => ({ ...w, machineId: MACHINES[1] }),
      "hlc node does not match machineId",
    ],
    [
      "type with a capital",
      (w) => ({ ...w, type: "Task.Created" }),
      "invalid event: type: not a valid event type name",
    ],
    [
      "type without a dot",
      (w) => ({ ...w, type: "task" }),
      "invalid event: type: not a valid event type name",
    ],
    ["type of one letter", (w) => ({ ...w, type: "a" }), /^invalid event: type: /],
    ["type with a trailing dot", (w) => ({ ...w, type: "task." }), /not a valid event type name/],
    ["type over 64 characters", (w) => ({ ...w, type: `a.${"b".repeat(63)}` }), /^invalid event: type: /],
    ["id that is not a UUID", (w) => ({ ...w, id: "e1" }), /^invalid event: id: /],
    ["origin seq 0", (w) => ({ ...w, originSeq: 0 }), /^invalid event: originSeq: /],
    ["negative epoch", (w) => ({ ...w, epoch: -1 }), /^invalid event: epoch: /],
    [
      "actor of an unknown kind",
      (w) => ({ ...w, actor: { kind: "robot", id: "r" } }),
      /^invalid event: actor.kind: /,
    ],
    ["an extra envelope field", (w) => ({ ...w, extra: true }), /^invalid event: /],
    ["a missing field", ({ data: _d, ...w }) => w, /^invalid event: data: /],
    ["data as an object, not text", (w) => ({ ...w, data: { status: "done" } }), /^invalid event: data: /],
    ["data that is not JSON", (w) => ({ ...w, data: "{" }), "data is not valid JSON"],
    ["data that is an array", (w) => ({ ...w, data: "[]" }), "data must be a JSON object"],
    [
      "data breaking the schema",
      (w) => ({ ...w, data: '{"status":"finished"}' }),
      /^invalid task.status_changed data: status: /,
    ],
    [
      "data missing a required field",
      (w) => ({ ...w, data: "{}" }),
      /^invalid task.status_changed data: status: /,
    ],
    ["null", () => null, /^invalid event: \(root\): /],
    ["a string", () => "event", /^invalid event: \(root\): /],
  ])("refuses %s", (_, make, expected) => {
    const r = validateWireEvent(make(base()));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.type).toBe("EventRejection");
      if (typeof expected === "string") expect(r.error.reason).toBe(expected);
      else expect(r.error.reason).toMatch(expected);
    }
  });

  it("names the event in a rejection when it has a string id, truncated to 64 characters", () => {
    const r1 = validateWireEvent({ ...base(), type: "Bad" });
    expect(!r1.ok && r1.error.eventId).toBe(base().id);
    const r2 = validateWireEvent({ ...base(), id: "x".repeat(100) });
    expect(!r2.ok && r2.error.eventId).toBe("x".repeat(64));
    const r3 = validateWireEvent({ ...base(), id: 7 });
    expect(!r3.ok && r3.error.eventId).toBeNull();
    const r4 = validateWireEvent(undefined);
    expect(!r4.ok && r4.error.eventId).toBeNull();
  });

  it("accepts a type name of exactly 64 characters", () => {
    const type = `a.${"b".repeat(MAX_EVENT_TYPE_LENGTH - 2)}`;
    expect(validateWireEvent({ ...base(), type }).ok).toBe(true);
  });

  it("accepts any string of the type grammar as a type (unknown ones quarantine later)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){1,3}$/), (type) => {
        expect(validateWireEvent({ ...base(), type, entityId: "x" }).ok).toBe(true);
      }),
    );
  });
});

describe("the event type names Claire defines", () => {
  it("all follow the grammar and the length limit", () => {
    for (const t of EVENT_TYPES) {
      expect(t).toMatch(EVENT_TYPE_RE);
      expect(t.length).toBeLessThanOrEqual(MAX_EVENT_TYPE_LENGTH);
    }
  });
});

describe("HLC_RE", () => {
  it("matches the clock's encoding and nothing looser", () => {
    expect(HLC_RE.test("0190f2a3b4c5-0000-9f8e7d6c5b4a3928")).toBe(true);
    for (const bad of [
      "0190f2a3b4c5-0000-9f8e7d6c5b4a392",
      "0190F2A3B4C5-0000-9f8e7d6c5b4a3928",
      "0190f2a3b4c50000-9f8e7d6c5b4a3928-",
      "0190f2a3b4c5-0000-9f8e7d6c5b4a3928\n",
    ]) {
      expect(HLC_RE.test(bad)).toBe(false);
    }
  });
});

describe("EVENT_DEFS", () => {
  it("builds each type's data schema once, when first asked for, and checks data with it", () => {
    const def = EVENT_DEFS["task.status_changed"];
    expect(def.entity).toBe("uuid");
    expect(def.data).toBe(def.data);
    expect(def.data.safeParse({ status: "done" }).success).toBe(true);
    expect(def.data.safeParse({ status: "finished" }).success).toBe(false);
    // Loose: a newer peer's extra fields are kept.
    expect(def.data.parse({ status: "done", extra: 1 })).toEqual({ status: "done", extra: 1 });
  });
});
