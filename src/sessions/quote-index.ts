// Finds the unescaped quotes of a transcript line, 64 bytes at a time with WebAssembly SIMD. They
// are where JSON strings open and close, and most of a transcript's bytes sit inside long strings
// Claire never reads (line-reducer.ts): hopping from quote to quote in JavaScript costs a call per
// quote (escaped code has one every ~20 bytes) and ran at ~2 GB/s; this runs at ~10 GB/s.
//
// A quote is escaped when an odd run of backslashes precedes it. The runs are resolved for a whole
// 64-byte block with integer arithmetic, as simdjson does (find_escaped_branchless): no branch per
// backslash, and a run crossing a block boundary carries into the next block.
import { assembleModule, I32, I64, type Listing, V128 } from "./wasm-assembler.ts";

export interface QuoteIndex {
  /** The bytes find() can read: lines must be copied or read into its first `capacity` bytes. */
  readonly buffer: Buffer;
  readonly capacity: number;
  /** What the last find() wrote: positions in `buffer`, ascending. */
  readonly positions: Uint32Array;
  /** Indexes the unescaped quotes of buffer[start, end); returns how many there are. */
  find(start: number, end: number): number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EVEN_BITS = 0x5555555555555555n;
const ODD_BITS = -0x5555555555555556n; // 0xAAAA...AAAA as a signed 64-bit constant
const ALL = -1n;

// quotes(start, end, out) -> count. Locals: 3 p, 4 o (write pointer), 5 quotes, 6 backslashes,
// 7 carried escape (0/1), 8 follows_escape, 9 scratch, 10 rest (i32), 11/12 splatted '"' and '\'.
const [START, END, OUT, P, O, Q, B, CARRY, FOLLOWS, T, REST, QV, BV] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
];

/** 64 bytes at p compared with a splatted byte: one bit per byte, in memory order. */
const mask64 = (splat: number): Listing =>
  [0, 16, 32, 48].flatMap((offset) => [
    "local.get",
    P,
    "v128.load",
    offset,
    "local.get",
    splat,
    "i8x16.eq",
    "i8x16.bitmask",
    "i64.extend_i32_u",
    ...(offset === 0 ? [] : ["i64.const", offset, "i64.shl", "i64.or"]),
  ]);

// biome-ignore format: one line per step reads better than one token per line
const BODY: Listing = [
  "i32.const", QUOTE, "i8x16.splat", "local.set", QV,
  "i32.const", BACKSLASH, "i8x16.splat", "local.set", BV,
  "local.get", START, "local.set", P,
  "local.get", OUT, "local.set", O,
  "block", "loop",
    "local.get", P, "local.get", END, "i32.ge_u", "br_if", 1,
    ...mask64(QV), "local.set", Q,
    ...mask64(BV), "local.set", B,
    // The last block ends inside the padding: drop what lies past `end`.
    "local.get", END, "local.get", P, "i32.sub", "local.tee", REST, "i32.const", 64, "i32.lt_u",
    "if",
      "i64.const", 1, "local.get", REST, "i64.extend_i32_u", "i64.shl", "i64.const", 1, "i64.sub", "local.tee", T,
      "local.get", Q, "i64.and", "local.set", Q,
      "local.get", T, "local.get", B, "i64.and", "local.set", B,
    "end",
    // A backslash escaped by the previous block's last one escapes nothing.
    "local.get", B, "local.get", CARRY, "i64.const", ALL, "i64.xor", "i64.and", "local.tee", B,
    // follows = b << 1 | carry: the bytes right after a backslash
    "i64.const", 1, "i64.shl", "local.get", CARRY, "i64.or", "local.set", FOLLOWS,
    // Runs starting on odd bits, added to the backslashes: the carry ripples through each run and
    // leaves the bit after it set or not by the run's length parity.
    "local.get", B, "i64.const", ODD_BITS, "i64.and",
    "local.get", FOLLOWS, "i64.const", ALL, "i64.xor", "i64.and",
    "local.get", B, "i64.add", "local.tee", T,
    "local.get", B, "i64.lt_u", "i64.extend_i32_u", "local.set", CARRY, // overflow: a run goes on
    // escaped = (EVEN ^ (sum << 1)) & follows; quotes &= ~escaped
    "local.get", Q,
    "i64.const", EVEN_BITS, "local.get", T, "i64.const", 1, "i64.shl", "i64.xor",
    "local.get", FOLLOWS, "i64.and", "i64.const", ALL, "i64.xor",
    "i64.and", "local.set", Q,
    // One position per remaining bit.
    "block", "loop",
      "local.get", Q, "i64.eqz", "br_if", 1,
      "local.get", O, "local.get", P, "local.get", Q, "i64.ctz", "i32.wrap_i64", "i32.add", "i32.store", 0,
      "local.get", O, "i32.const", 4, "i32.add", "local.set", O,
      "local.get", Q, "local.get", Q, "i64.const", 1, "i64.sub", "i64.and", "local.set", Q,
      "br", 0,
    "end", "end",
    "local.get", P, "i32.const", 64, "i32.add", "local.set", P,
    "br", 0,
  "end", "end",
  "local.get", O, "local.get", OUT, "i32.sub", "i32.const", 2, "i32.shr_u",
];

// Claire's TypeScript setup has no DOM lib: the members of the WebAssembly API used here.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
interface QuoteExports {
  memory: { buffer: ArrayBuffer };
  quotes: (start: number, end: number, out: number) => number;
}

const PAGE = 65536;
// The last block of a line reads up to 63 bytes past its end.
const PADDING = 64;

/**
 * A quote index over `capacity` bytes (a read buffer), or null where WebAssembly SIMD is not
 * available (the caller then hops from quote to quote in JavaScript).
 */
export const createQuoteIndex = (capacity: number): QuoteIndex | null => {
  const positionsAt = Math.ceil((capacity + PADDING) / 16) * 16;
  // At most one quote per byte.
  const pages = Math.ceil((positionsAt + capacity * 4) / PAGE);
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return null;
  let exports: QuoteExports;
  try {
    const bytes = assembleModule(pages, {
      name: "quotes",
      params: [I32, I32, I32],
      results: [I32],
      locals: [I32, I32, I64, I64, I64, I64, I64, I32, V128, V128],
      body: BODY,
    });
    exports = new wasm.Instance(new wasm.Module(bytes)).exports as unknown as QuoteExports;
  } catch {
    return null;
  }
  const { memory, quotes } = exports;
  return {
    buffer: Buffer.from(memory.buffer, 0, capacity),
    capacity,
    positions: new Uint32Array(memory.buffer, positionsAt, capacity),
    find: (start, end) => quotes(start, end, positionsAt),
  };
};
