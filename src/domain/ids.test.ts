import fc from "fast-check";
import { v5 as uuidv5 } from "uuid";
import { describe, expect, it } from "vitest";
import { createIdGenerator, derivedId, matchesIdPrefix, shortHandle, UUID_RE } from "./ids.ts";

const V7 = "0190f2a3-b4c5-7d6e-8f90-1a2b3c4d5e6f";
const V4 = "c0ffee12-3456-4789-9abc-def012345678";

describe("shortHandle", () => {
  it("takes a UUIDv7's random tail and a v4's first digits", () => {
    expect(shortHandle(V7)).toBe("3c4d5e6f");
    expect(shortHandle(V4)).toBe("c0ffee12");
  });

  it("takes the first 8 characters of anything that is not a lowercase UUID", () => {
    expect(shortHandle("s-one-two-three")).toBe("s-one-tw");
    expect(shortHandle("abc")).toBe("abc");
    expect(shortHandle(V7.toUpperCase())).toBe(V7.toUpperCase().slice(0, 8));
  });

  it("is 8 hex digits of the id itself for every generated id", () => {
    const gen = createIdGenerator();
    for (let i = 0; i < 200; i++) {
      const id = gen.newId();
      const h = shortHandle(id);
      expect(h).toMatch(/^[0-9a-f]{8}$/);
      expect(id.endsWith(h)).toBe(true);
    }
  });
});

describe("matchesIdPrefix", () => {
  it.each<[string, string, boolean]>([
    [V7, "0190", true],
    [V7, "0190F2A3", true],
    [V7, "0190f2a3-b4c5", true],
    [V7, "0190f2a3b4c5", true], // dashes are optional
    [V7, "0190f2a3b4c57d6e8f90", true],
    [V7, V7, true],
    [V7, "3c4d", true], // the handle
    [V7, "3C4D5E6F", true],
    [V7, "b4c5", false],
    [V7, "0191", false],
    [V7, "", false],
    [V7, "-", false],
    [V4, "c0ffee", true],
    [V4, "5678", false], // a v4's handle is its head, not its tail
    ["s-one", "s-o", true],
    ["s-one", "one", false],
  ])("%s, %s: %s", (id, input, expected) => {
    expect(matchesIdPrefix(id, input)).toBe(expected);
  });

  it("every prefix of an id or of its handle matches, in any case, with or without dashes", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat(36), fc.boolean(), (id, n, upper) => {
        const prefix = id.slice(0, Math.max(1, n));
        const typed = upper ? prefix.toUpperCase() : prefix;
        if (prefix.replaceAll("-", "").length > 0) {
          expect(matchesIdPrefix(id, typed)).toBe(true);
          expect(matchesIdPrefix(id, typed.replaceAll("-", ""))).toBe(true);
        }
        const handle = shortHandle(id);
        expect(matchesIdPrefix(id, handle.slice(0, Math.max(1, n % 9)))).toBe(true);
      }),
    );
  });
});

describe("ids", () => {
  it("generates UUIDv7s in creation order", () => {
    const gen = createIdGenerator();
    const ids = Array.from({ length: 500 }, () => gen.newId());
    for (const id of ids) {
      expect(id).toMatch(UUID_RE);
      expect(id[14]).toBe("7");
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("derives the same id from the same parts on every call, and different ids from different parts", () => {
    expect(derivedId("group", "backend")).toBe(derivedId("group", "backend"));
    expect(derivedId("group", "backend")).toMatch(UUID_RE);
    expect(derivedId("group", "backend")[14]).toBe("5");
    // The separator keeps part boundaries: ("ab", "c") is not ("a", "bc").
    expect(derivedId("ab", "c")).not.toBe(derivedId("a", "bc"));
    expect(derivedId("group", "backend")).not.toBe(derivedId("group", "frontend"));
  });

  it("derives exactly the ids the uuid package's v5 gives (ids already stored must not change)", () => {
    const NS = "6f1c9a52-3d0e-4b8a-9e57-2a4c1f7d8b90";
    // Pinned: a delivery id as every Claire so far has derived it.
    expect(derivedId("delivery", "m1", "s1")).toBe(uuidv5("delivery\u0000m1\u0000s1", NS));
    expect(derivedId("group", "backend")).toBe("7f784e97-7131-5db3-bf39-1f468aa1622e");
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme" }), { maxLength: 4 }), (parts) => {
        expect(derivedId(...parts)).toBe(uuidv5(parts.join("\u0000"), NS));
      }),
      { numRuns: 500 },
    );
  });
});
