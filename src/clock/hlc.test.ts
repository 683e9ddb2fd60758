// Tests for the HLC value: zero state, node derivation and the total order.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareHlc, type Hlc, hlcZero, isHlcNode, nodeFromMachineId } from "./hlc.ts";
import { hlcArb } from "./hlc-arbitraries.ts";

const NODE = "9f8e7d6c5b4a3928";
const at = (ms: number, counter: number, node = NODE): Hlc => ({ ms, counter, node });

describe("hlcZero", () => {
  it("starts at ms 0, counter 0 on the given node", () => {
    expect(hlcZero(NODE)).toEqual({ ms: 0, counter: 0, node: NODE });
  });

  it("sorts before any reading of any node", () => {
    fc.assert(fc.property(hlcArb, (h) => compareHlc(hlcZero(h.node), h) <= 0));
  });

  it("throws on a node that is not 16 lowercase hex digits", () => {
    expect(() => hlcZero("9F8E7D6C5B4A3928")).toThrow(RangeError);
    expect(() => hlcZero("abc")).toThrow(RangeError);
  });
});

describe("nodeFromMachineId", () => {
  it("takes the first 16 hex digits of the UUID without dashes", () => {
    expect(nodeFromMachineId("0190f2a3-b4c5-4d6e-8f70-123456789abc")).toEqual({
      ok: true,
      value: "0190f2a3b4c54d6e",
    });
  });

  it("lowercases an uppercase UUID", () => {
    expect(nodeFromMachineId("9F8E7D6C-5B4A-3928-8F70-123456789ABC")).toEqual({ ok: true, value: NODE });
  });

  it.each(["", "not-a-uuid", "9f8e7d6c5b4a49288f70123456789abc", "9f8e7d6c-5b4a-4928-8f70-123456789abz"])(
    "refuses %j with an HlcNodeError",
    (input) => {
      const r = nodeFromMachineId(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ type: "HlcNodeError", input });
    },
  );

  it("always yields a valid node from a UUID", () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const r = nodeFromMachineId(id);
        return r.ok && isHlcNode(r.value);
      }),
    );
  });
});

describe("compareHlc", () => {
  it("orders by ms, then counter, then node", () => {
    expect(compareHlc(at(1, 9), at(2, 0))).toBe(-1);
    expect(compareHlc(at(2, 1), at(2, 0))).toBe(1);
    expect(compareHlc(at(2, 1, "0000000000000001"), at(2, 1, "000000000000000a"))).toBe(-1);
    expect(compareHlc(at(2, 1), at(2, 1))).toBe(0);
  });

  it("is antisymmetric and reflexive", () => {
    fc.assert(
      fc.property(hlcArb, hlcArb, (a, b) => {
        expect(compareHlc(a, a)).toBe(0);
        expect(compareHlc(a, b)).toBe(-compareHlc(b, a) || 0);
      }),
    );
  });

  it("is transitive", () => {
    fc.assert(
      fc.property(hlcArb, hlcArb, hlcArb, (a, b, c) => {
        if (compareHlc(a, b) <= 0 && compareHlc(b, c) <= 0) expect(compareHlc(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it("is zero only for deep-equal readings", () => {
    fc.assert(
      fc.property(
        hlcArb,
        hlcArb,
        (a, b) =>
          (compareHlc(a, b) === 0) === (a.ms === b.ms && a.counter === b.counter && a.node === b.node),
      ),
    );
  });
});
