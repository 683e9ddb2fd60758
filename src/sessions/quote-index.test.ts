// The WebAssembly quote index must find exactly the quotes a JSON reader would stop at: every `"`
// not escaped by an odd run of backslashes, whatever the 64-byte blocks cut.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createQuoteIndex, type QuoteIndex } from "./quote-index.ts";

/** The plain definition: a quote preceded by an even number of backslashes (counted from `start`). */
const reference = (b: Uint8Array, start: number, end: number): number[] => {
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    if (b[i] !== 0x22) continue;
    let k = i - 1;
    while (k >= start && b[k] === 0x5c) k--;
    if ((i - 1 - k) % 2 === 0) out.push(i);
  }
  return out;
};

const index = createQuoteIndex(64 * 1024) as QuoteIndex;

/** Puts `bytes` at `at`, with quotes and backslashes around it that must not count. */
const found = (bytes: Uint8Array, at: number): number[] => {
  index.buffer.fill(0x22, Math.max(0, at - 70), at + bytes.length + 70);
  index.buffer.fill(0x5c, Math.max(0, at - 3), at);
  index.buffer.set(bytes, at);
  const n = index.find(at, at + bytes.length);
  return [...index.positions.subarray(0, n)];
};

const check = (text: string | Uint8Array, at = 100): void => {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const want = reference(bytes, 0, bytes.length).map((i) => i + at);
  expect(found(bytes, at)).toEqual(want);
};

describe("createQuoteIndex", () => {
  it("is available on this runtime (WebAssembly SIMD)", () => {
    expect(index).not.toBeNull();
  });

  it("finds the quotes of JSON text, skipping escaped ones", () => {
    const line = JSON.stringify({ a: 'he said "hi" \\ \\" \\\\"', b: ["x", "y\\"], c: "é🚀".repeat(40) });
    check(line);
    expect(found(Buffer.from('"a\\"b"'), 0)).toEqual([0, 5]);
    expect(found(Buffer.from('"a\\\\"b"'), 0)).toEqual([0, 4, 6]);
  });

  it("carries backslash runs across 64-byte blocks", () => {
    for (let pad = 50; pad < 80; pad++) {
      for (let run = 0; run < 70; run += 1) {
        check(`${"x".repeat(pad)}${"\\".repeat(run)}"y"`, 100);
        check(`${"x".repeat(pad)}${"\\".repeat(run)}"y"`, 101);
      }
    }
  });

  it("stops at the end: nothing past it counts, a line may end anywhere in a block", () => {
    for (let len = 0; len < 200; len++) check('"'.repeat(len), 256);
    check("", 0);
    check('\\"', 0);
  });

  it("agrees with the definition on random bytes", () => {
    const byte = fc.constantFrom(0x22, 0x5c, 0x5c, 0x61, 0x0a, 0xc3, 0xa9, 0xff);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.array(byte, { maxLength: 300 }),
        fc.nat(64),
        (a, b, at) => {
          check(a, at);
          check(Uint8Array.from(b), at);
        },
      ),
      { numRuns: 500 },
    );
  });
});
