// Tests for the HLC text form: exact round trip, string order equals clock order, strict parsing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareHlc, HLC_MAX_COUNTER, HLC_MAX_MS, type Hlc } from "./hlc.ts";
import { hlcArb } from "./hlc-arbitraries.ts";
import { encodeHlc, HLC_LENGTH, parseHlc } from "./hlc-codec.ts";

const NODE = "9f8e7d6c5b4a3928";
const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe("encodeHlc", () => {
  it("writes 12 hex of ms, 4 of counter and the node, zero-padded", () => {
    expect(encodeHlc({ ms: 0x0190f2a3b4c5, counter: 0, node: NODE })).toBe(
      "0190f2a3b4c5-0000-9f8e7d6c5b4a3928",
    );
    expect(encodeHlc({ ms: 0, counter: 0x1a, node: "0000000000000000" })).toBe(
      "000000000000-001a-0000000000000000",
    );
    expect(encodeHlc({ ms: HLC_MAX_MS, counter: HLC_MAX_COUNTER, node: "ffffffffffffffff" })).toBe(
      "ffffffffffff-ffff-ffffffffffffffff",
    );
  });

  it("always writes exactly 34 characters", () => {
    fc.assert(fc.property(hlcArb, (h) => encodeHlc(h).length === HLC_LENGTH));
  });

  it.each<[string, Hlc]>([
    ["ms beyond 12 hex digits", { ms: HLC_MAX_MS + 1, counter: 0, node: NODE }],
    ["negative ms", { ms: -1, counter: 0, node: NODE }],
    ["fractional ms", { ms: 1.5, counter: 0, node: NODE }],
    ["NaN ms", { ms: Number.NaN, counter: 0, node: NODE }],
    ["counter beyond 4 hex digits", { ms: 1, counter: HLC_MAX_COUNTER + 1, node: NODE }],
    ["negative counter", { ms: 1, counter: -1, node: NODE }],
    ["uppercase node", { ms: 1, counter: 0, node: "9F8E7D6C5B4A3928" }],
    ["short node", { ms: 1, counter: 0, node: "9f8e" }],
  ])("throws on %s rather than write a string that sorts wrongly", (_, h) => {
    expect(() => encodeHlc(h)).toThrow(RangeError);
  });
});

describe("parseHlc", () => {
  it("reads the example from the design", () => {
    expect(parseHlc("0190f2a3b4c5-0000-9f8e7d6c5b4a3928")).toEqual({
      ok: true,
      value: { ms: 0x0190f2a3b4c5, counter: 0, node: NODE },
    });
  });

  it("parse(encode(x)) deep-equals x", () => {
    fc.assert(
      fc.property(hlcArb, (h) => {
        expect(parseHlc(encodeHlc(h))).toEqual({ ok: true, value: h });
      }),
    );
  });

  it("encode(parse(s)) gives back s for every well-formed string", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{12}-[0-9a-f]{4}-[0-9a-f]{16}$/), (s) => {
        const r = parseHlc(s);
        expect(r.ok && encodeHlc(r.value)).toBe(s);
      }),
    );
  });

  it.each([
    ["empty", ""],
    ["ms 11 hex digits", "190f2a3b4c5-0000-9f8e7d6c5b4a3928"],
    ["ms 13 hex digits (beyond 12)", "10190f2a3b4c5-0000-9f8e7d6c5b4a3928"],
    ["counter 3 hex digits", "0190f2a3b4c5-000-9f8e7d6c5b4a3928"],
    ["counter 5 hex digits", "0190f2a3b4c5-10000-9f8e7d6c5b4a3928"],
    ["node 15 hex digits", "0190f2a3b4c5-0000-9f8e7d6c5b4a392"],
    ["node 17 hex digits", "0190f2a3b4c5-0000-9f8e7d6c5b4a39281"],
    ["uppercase ms", "0190F2A3B4C5-0000-9f8e7d6c5b4a3928"],
    ["uppercase counter", "0190f2a3b4c5-00FF-9f8e7d6c5b4a3928"],
    ["uppercase node", "0190f2a3b4c5-0000-9F8E7D6C5B4A3928"],
    ["missing dashes", "0190f2a3b4c500009f8e7d6c5b4a3928"],
    ["dashes replaced", "0190f2a3b4c5_0000_9f8e7d6c5b4a3928"],
    ["dash moved", "0190f2a3b4c-50000-9f8e7d6c5b4a3928"],
    ["non-hex ms", "0190f2a3b4cg-0000-9f8e7d6c5b4a3928"],
    ["non-hex counter", "0190f2a3b4c5-00x0-9f8e7d6c5b4a3928"],
    ["non-hex node", "0190f2a3b4c5-0000-9f8e7d6c5b4a392z"],
    ["signed counter", "0190f2a3b4c5--001-9f8e7d6c5b4a3928"],
    ["leading space", " 0190f2a3b4c5-0000-9f8e7d6c5b4a3928"],
    ["trailing space", "0190f2a3b4c5-0000-9f8e7d6c5b4a3928 "],
    ["trailing newline", "0190f2a3b4c5-0000-9f8e7d6c5b4a3928\n"],
    ["extra field", "0190f2a3b4c5-0000-9f8e7d6c5b4a3928-0"],
    ["ISO date form", "2015-04-24T22:23:42.123Z-1000-0123456789abcdef"],
    ["fullwidth digit", "0190f2a3b4c\uff15-0000-9f8e7d6c5b4a3928"],
  ])("rejects %s", (_, input) => {
    const r = parseHlc(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.type).toBe("HlcParseError");
      expect(r.error.input).toBe(input);
      expect(r.error.message).not.toBe("");
    }
  });

  it("says why: wrong length, then uppercase, then layout", () => {
    const message = (s: string): string => {
      const r = parseHlc(s);
      return r.ok ? "" : r.error.message;
    };
    expect(message("0190f2a3b4c5-0000")).toBe("expected 34 characters, got 17");
    expect(message("0190F2A3B4C5-0000-9f8e7d6c5b4a3928")).toBe("hex digits must be lowercase");
    expect(message("0190f2a3b4c5_0000_9f8e7d6c5b4a3928")).toMatch(/12 hex digits of ms/);
  });

  it("echoes at most 64 characters of a long input", () => {
    const r = parseHlc("a".repeat(10_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.input).toBe(`${"a".repeat(64)}...`);
  });

  it("rejects any deleted, inserted or misplaced character in a valid encoding", () => {
    const notLowerHex = fc.constantFrom(..."ABCDEFGgz-_ .:+\u0000\uff10");
    fc.assert(
      fc.property(
        hlcArb,
        fc.nat({ max: HLC_LENGTH - 1 }),
        notLowerHex,
        fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
        (h, i, bad, any) => {
          const s = encodeHlc(h);
          const isDash = i === 12 || i === 17;
          const replaced = s.slice(0, i) + (isDash ? "0" : bad === "-" ? "x" : bad) + s.slice(i + 1);
          expect(parseHlc(s.slice(0, i) + s.slice(i + 1)).ok).toBe(false);
          expect(parseHlc(s.slice(0, i) + any + s.slice(i)).ok).toBe(false);
          expect(parseHlc(replaced).ok).toBe(false);
        },
      ),
    );
  });
});

describe("encoded order", () => {
  it("equals clock order", () => {
    fc.assert(
      fc.property(hlcArb, hlcArb, (a, b) => {
        expect(byString(encodeHlc(a), encodeHlc(b))).toBe(sign(compareHlc(a, b)));
      }),
    );
  });

  it("equals numeric order across a digit boundary", () => {
    const node = NODE;
    const sorted = [
      { ms: 0xf, counter: 0xffff, node },
      { ms: 0x10, counter: 0, node },
      { ms: 0x10, counter: 0x10, node },
      { ms: 0xfffffffffff, counter: 0, node },
      { ms: 0x100000000000, counter: 0, node },
    ];
    const encoded = sorted.map(encodeHlc);
    expect([...encoded].sort()).toEqual(encoded);
  });
});
