import { validate, version } from "uuid";
import { describe, expect, it } from "vitest";
import { createUuidV7 } from "./uuid-v7.ts";

describe("createUuidV7", () => {
  it("makes valid, unique version-7 ids that sort in creation order, even within one millisecond", () => {
    let t = 1_795_000_000_000;
    const next = createUuidV7(() => t);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      if (i % 3000 === 0) t += 1;
      ids.push(next());
    }
    for (const id of ids.slice(0, 50)) {
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect(id[19]).toMatch(/[89ab]/);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("encodes the time and stays ordered when the clock steps back", () => {
    let t = Date.UTC(2026, 10, 23);
    const next = createUuidV7(() => t);
    const a = next();
    expect(Number.parseInt(a.slice(0, 8) + a.slice(9, 13), 16)).toBe(t);
    t -= 5_000;
    const b = next();
    expect(b > a).toBe(true);
  });
});
