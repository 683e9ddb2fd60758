// A minimal WebAssembly assembler: one module with one memory and one exported function, written
// as a list of instruction names and immediates. Enough for the quote index (quote-index.ts) to
// keep its code readable in the source instead of shipping an opaque binary or a build tool.

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof I64 | typeof V128;

/** Instruction name -> opcode bytes; `imm` tells which immediate follows in the listing. */
const OPS: Record<string, { code: number[]; imm?: "index" | "i32" | "i64" | "memarg" }> = {
  block: { code: [0x02, 0x40] },
  loop: { code: [0x03, 0x40] },
  if: { code: [0x04, 0x40] },
  end: { code: [0x0b] },
  br: { code: [0x0c], imm: "index" },
  br_if: { code: [0x0d], imm: "index" },
  "local.get": { code: [0x20], imm: "index" },
  "local.set": { code: [0x21], imm: "index" },
  "local.tee": { code: [0x22], imm: "index" },
  "i32.store": { code: [0x36], imm: "memarg" },
  "i32.const": { code: [0x41], imm: "i32" },
  "i64.const": { code: [0x42], imm: "i64" },
  "i32.lt_u": { code: [0x49] },
  "i32.ge_u": { code: [0x4f] },
  "i64.eqz": { code: [0x50] },
  "i64.lt_u": { code: [0x54] },
  "i32.add": { code: [0x6a] },
  "i32.sub": { code: [0x6b] },
  "i32.shr_u": { code: [0x76] },
  "i64.ctz": { code: [0x7a] },
  "i64.add": { code: [0x7c] },
  "i64.sub": { code: [0x7d] },
  "i64.and": { code: [0x83] },
  "i64.or": { code: [0x84] },
  "i64.xor": { code: [0x85] },
  "i64.shl": { code: [0x86] },
  "i32.wrap_i64": { code: [0xa7] },
  "i64.extend_i32_u": { code: [0xad] },
  // SIMD (prefix 0xfd)
  "v128.load": { code: [0xfd, 0x00], imm: "memarg" },
  "i8x16.splat": { code: [0xfd, 0x0f] },
  "i8x16.eq": { code: [0xfd, 0x23] },
  "i8x16.bitmask": { code: [0xfd, 0x64] },
};

/** An instruction name, or the immediate after one (an index, a constant, a memory offset). */
export type Listing = readonly (string | number | bigint)[];

const unsignedLeb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};

const signedLeb = (value: number | bigint): number[] => {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

const encode = (listing: Listing): number[] => {
  const out: number[] = [];
  for (let i = 0; i < listing.length; i++) {
    const name = listing[i];
    const op = typeof name === "string" ? OPS[name] : undefined;
    if (op === undefined) throw new Error(`wasm-assembler: unknown instruction ${String(name)} at ${i}`);
    out.push(...op.code);
    if (op.imm === undefined) continue;
    const imm = listing[++i];
    if (typeof imm !== "number" && typeof imm !== "bigint")
      throw new Error(`wasm-assembler: ${name} needs an immediate at ${i}`);
    if (op.imm === "index") out.push(...unsignedLeb(Number(imm)));
    else if (op.imm === "memarg")
      out.push(0, ...unsignedLeb(Number(imm))); // alignment hint 1, offset
    else out.push(...signedLeb(imm));
  }
  return out;
};

const section = (id: number, bytes: number[]): number[] => [id, ...unsignedLeb(bytes.length), ...bytes];
const name = (s: string): number[] => [...unsignedLeb(s.length), ...Buffer.from(s)];

export interface FunctionSpec {
  name: string;
  params: readonly ValueType[];
  results: readonly ValueType[];
  /** Locals after the parameters, in index order. */
  locals: readonly ValueType[];
  body: Listing;
}

/** The bytes of a module exporting `memory` (of this many 64 KiB pages) and one function. */
export const assembleModule = (memoryPages: number, fn: FunctionSpec): Uint8Array => {
  const locals = fn.locals.flatMap((t) => [1, t]);
  const body = [...unsignedLeb(fn.locals.length), ...locals, ...encode(fn.body), 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, fn.params.length, ...fn.params, fn.results.length, ...fn.results]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...unsignedLeb(memoryPages)]),
    ...section(7, [2, ...name("memory"), 0x02, 0, ...name(fn.name), 0x00, 0]),
    ...section(10, [1, ...unsignedLeb(body.length), ...body]),
  ]);
};
