import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closest, editDistance } from "./did-you-mean.ts";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps", () => {
    expect(editDistance("sever", "server")).toBe(1);
    expect(editDistance("prot", "port")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });

  it("is zero exactly for equal strings and symmetric", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe("closest", () => {
  const keys = ["server", "sync", "sessions", "peers", "machine_id"];
  it("suggests the nearest key within two edits", () => {
    expect(closest("sever", keys)).toBe("server");
    expect(closest("peer", keys)).toBe("peers");
    expect(closest("Machine-ID", keys)).toBe("machine_id");
  });
  it("suggests nothing for far-off or tiny words", () => {
    expect(closest("database", keys)).toBeUndefined();
    expect(closest("x", ["y"])).toBeUndefined();
  });
});
