// Line splitting from a byte offset: partial last lines, chunk boundaries, the size cap.
import { appendFileSync, closeSync, fstatSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempConfig, type TempConfig } from "./fixtures/transcript-lines.ts";
import { type ReaderOptions, type ReadPosition, readLines } from "./incremental-reader.ts";

let tmp: TempConfig;
let file: string;
beforeEach(() => {
  tmp = makeTempConfig("claire-reader-");
  file = join(tmp.dir, "t.jsonl");
  writeFileSync(file, "");
});
afterEach(() => tmp.cleanup());

const read = (from: ReadPosition, opts: Partial<ReaderOptions> = {}) => {
  const lines: string[] = [];
  let oversized = 0;
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const out = readLines(
      fd,
      from,
      size,
      { line: (b, s, e) => lines.push(b.toString("utf8", s, e)), oversized: () => oversized++ },
      { buffer: opts.buffer ?? Buffer.alloc(64), maxLineBytes: opts.maxLineBytes ?? 1024 },
    );
    return { ...out, got: lines, sawOversized: oversized };
  } finally {
    closeSync(fd);
  }
};
const start = { offset: 0, skipping: false };

describe("readLines", () => {
  it("splits on \\n across chunk boundaries, multibyte characters intact", () => {
    const text = ["short", "x".repeat(150), "日本語🚀".repeat(20), ""].join("\n");
    writeFileSync(file, text);
    const out = read(start);
    expect(out.got).toEqual(["short", "x".repeat(150), "日本語🚀".repeat(20)]);
    expect(out).toMatchObject({
      offset: Buffer.byteLength(text),
      bytesRead: Buffer.byteLength(text),
      lines: 3,
    });
  });

  it("holds back a half-written last line until its newline arrives", () => {
    writeFileSync(file, 'one\n{"half":');
    const first = read(start);
    expect(first.got).toEqual(["one"]);
    expect(first.offset).toBe(4);
    appendFileSync(file, '"done"}\ntwo\n');
    const second = read(first);
    expect(second.got).toEqual(['{"half":"done"}', "two"]);
    expect(second.offset).toBe(Buffer.byteLength('one\n{"half":"done"}\ntwo\n'));
  });

  it("reads nothing from the end of a file", () => {
    writeFileSync(file, "a\n");
    expect(read({ offset: 2, skipping: false })).toMatchObject({ got: [], bytesRead: 0, offset: 2 });
  });

  it("skips and counts a line over the cap without ever holding it, then goes on", () => {
    writeFileSync(file, `before\n${"z".repeat(5000)}\nafter\n`);
    const out = read(start, { maxLineBytes: 1000 });
    expect(out.got).toEqual(["before", "after"]);
    expect(out).toMatchObject({ oversized: 1, sawOversized: 1, lines: 2, skipping: false });
  });

  it("keeps skipping an oversized line still being written, and counts it once", () => {
    writeFileSync(file, `a\n${"z".repeat(3000)}`);
    const first = read(start, { maxLineBytes: 1000 });
    expect(first).toMatchObject({ got: ["a"], oversized: 1, skipping: true });
    expect(first.offset).toBe(3002);
    appendFileSync(file, `${"z".repeat(3000)}\nb\n`);
    const second = read(first, { maxLineBytes: 1000 });
    expect(second).toMatchObject({ got: ["b"], oversized: 0, skipping: false });
  });

  it("caps an oversized line that crosses into a later read", () => {
    writeFileSync(file, `${"y".repeat(800)}`);
    const first = read(start, { maxLineBytes: 1000 });
    expect(first).toMatchObject({ got: [], offset: 0, skipping: false });
    appendFileSync(file, `${"y".repeat(800)}\nok\n`);
    expect(read(first, { maxLineBytes: 1000 })).toMatchObject({ got: ["ok"], oversized: 1 });
  });

  it("reads a line of exactly the cap", () => {
    writeFileSync(file, `${"q".repeat(1000)}\n`);
    expect(read(start, { maxLineBytes: 1000 }).got).toHaveLength(1);
  });
});
