import { describe, expect, it } from "vitest";
import { randomFill } from "./lazy-crypto.ts";

describe("randomFill", () => {
  it("fills the whole buffer with fresh random bytes on every call", () => {
    const a = randomFill(Buffer.alloc(4096));
    const b = randomFill(Buffer.alloc(4096));
    expect(a.equals(b)).toBe(false);
    // 4,096 uniform bytes: every value turns up, none more than a few times its share (16).
    const counts = new Array(256).fill(0);
    for (const byte of Buffer.concat([a, b])) counts[byte]++;
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThan(80);
    // The last bytes too: a short read would leave zeros at the end.
    expect(a.subarray(4000).some((x) => x !== 0)).toBe(true);
  });
});
