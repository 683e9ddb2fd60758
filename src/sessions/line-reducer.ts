// Most of a transcript's bytes are text Claire never reads: tool results, file contents, message
// text, attachments. Before JSON.parse, long string values outside the few fields Claire uses are
// replaced by "", found by hopping from quote to quote (a native search) instead of parsing them.
// The cold scan of a large history is bound by JSON.parse, so this roughly halves it.
//
// Two walks apply the same rules: reduceLineBytes on the bytes of a line in the read buffer, with
// its quotes found by the WebAssembly quote index and only the kept parts decoded (the scanner's
// path), and reduceLine on a decoded line, hopping from quote to quote (lines that straddle two
// reads, and runtimes without WebAssembly SIMD).
import type { QuoteIndex } from "./quote-index.ts";

/** Lines shorter than this are parsed as they are. */
export const REDUCE_MIN_CHARS = 2048;
/** String values longer than this may be blanked. */
export const LONG_STRING_CHARS = 256;
/** The same thresholds for reduceLineBytes, in bytes; finding the strings costs it much less. */
export const REDUCE_MIN_BYTES = 2048;
export const LONG_STRING_BYTES = 256;

export interface ReducedLine {
  /** The line with long unused strings replaced by "". */
  text: string;
  /** A string inside `message.content` was blanked (a prompt's text may be among them). */
  blankedInContent: boolean;
  /** A `message.content` block has type "tool_result" (so the line carries no prompt). */
  toolResult: boolean;
}

// Top-level fields whose values parseTranscriptLine reads (long ones are kept whole).
const TOP_KEEP = new Set([
  "type",
  "sessionId",
  "cwd",
  "gitBranch",
  "version",
  "timestamp",
  "agentId",
  "requestId",
  "requestSessionId",
  "customTitle",
  "aiTitle",
  "summary",
]);
// Fields of `message` it reads; `content` as a plain string is a typed prompt.
const MESSAGE_KEEP = new Set(["id", "model", "content"]);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Frame {
  array: boolean;
  /** The member being read, for objects: its key's bounds in the line. */
  keyStart: number;
  keyEnd: number;
}

/**
 * A key spelled with an escape (`"cw\\u0064"` is "cwd") would not be recognised by its raw text:
 * lines with one near the top are parsed as they are. JSON.stringify never writes such keys.
 */
const hasBackslash = (s: string, from: number, to: number): boolean => {
  for (let k = from; k < to; k++) if (s.charCodeAt(k) === BACKSLASH) return true;
  return false;
};

const keyOf = (s: string, f: Frame | undefined): string | null =>
  f === undefined || f.array || f.keyStart < 0 ? null : s.slice(f.keyStart, f.keyEnd);

/** keyOf(s, f) === name, without making a string. */
const keyIs = (s: string, f: Frame | undefined, name: string): boolean =>
  f !== undefined && !f.array && f.keyEnd - f.keyStart === name.length && s.startsWith(name, f.keyStart);

/** The end of the string opening at `i` (the index of its closing quote), or -1. */
const stringEnd = (s: string, i: number): number => {
  let j = s.indexOf('"', i + 1);
  while (j > 0 && s.charCodeAt(j - 1) === BACKSLASH) {
    let k = j - 1;
    while (k > i && s.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) break; // an even run of backslashes escapes itself, not the quote
    j = s.indexOf('"', j + 1);
  }
  return j;
};

/**
 * The line with long unused strings blanked, or null when there is nothing to gain or the line
 * does not scan as JSON (the caller then parses it as it is, and reports it if it is bad).
 */
export const reduceLine = (s: string): ReducedLine | null => {
  const stack: Frame[] = [];
  let out = "";
  let copyFrom = 0;
  let expectKey = false;
  let blankedInContent = false;
  let toolResult = false;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      const j = stringEnd(s, i);
      if (j < 0) return null;
      const top = stack[stack.length - 1];
      if (top !== undefined && !top.array && expectKey) {
        if (stack.length <= 2 && hasBackslash(s, i + 1, j)) return null;
        top.keyStart = i + 1;
        top.keyEnd = j;
        expectKey = false;
      } else if (stack.length >= 3 && keyIs(s, stack[0], "message") && keyIs(s, stack[1], "content")) {
        // Inside message.content: blocks of text, tool calls and tool results.
        if (j - i - 1 > LONG_STRING_CHARS) {
          out += `${s.slice(copyFrom, i)}""`;
          copyFrom = j + 1;
          blankedInContent = true;
        } else if (stack.length === 4 && keyIs(s, top, "type") && s.startsWith('"tool_result"', i)) {
          toolResult = true;
        }
      } else if (j - i - 1 > LONG_STRING_CHARS) {
        const key = keyOf(s, top);
        const keep =
          stack.length === 1
            ? key !== null && TOP_KEEP.has(key)
            : stack.length === 2 && keyIs(s, stack[0], "message") && key !== null && MESSAGE_KEEP.has(key);
        if (!keep) {
          out += `${s.slice(copyFrom, i)}""`;
          copyFrom = j + 1;
        }
      }
      i = j + 1;
    } else {
      if (c === 0x7b /* { */) {
        stack.push({ array: false, keyStart: -1, keyEnd: -1 });
        expectKey = true;
      } else if (c === 0x5b /* [ */) {
        stack.push({ array: true, keyStart: -1, keyEnd: -1 });
        expectKey = false;
      } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        if (stack.pop() === undefined) return null;
        expectKey = false;
      } else if (c === 0x2c /* , */) {
        const top = stack[stack.length - 1];
        expectKey = top !== undefined && !top.array;
      }
      i++;
    }
  }
  if (stack.length !== 0 || copyFrom === 0) return null;
  return { text: out + s.slice(copyFrom), blankedInContent, toolResult };
};

/** keyIs on bytes (names are ASCII). */
const bytesKeyIs = (b: Uint8Array, f: Frame | undefined, name: string): boolean => {
  if (f === undefined || f.array || f.keyEnd - f.keyStart !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (b[f.keyStart + k] !== name.charCodeAt(k)) return false;
  return true;
};

const bytesKeyIn = (b: Buffer, f: Frame | undefined, names: ReadonlySet<string>): boolean =>
  f !== undefined && !f.array && f.keyStart >= 0 && names.has(b.toString("latin1", f.keyStart, f.keyEnd));

const TOOL_RESULT = Buffer.from('"tool_result"');

const bytesHasBackslash = (b: Uint8Array, from: number, to: number): boolean => {
  for (let k = from; k < to; k++) if (b[k] === BACKSLASH) return true;
  return false;
};

/**
 * reduceLine for the line at buf[start, end), which must lie in the quote index's buffer. Only the
 * kept parts are decoded: a blanked string's bytes are never looked at by JavaScript.
 */
export const reduceLineBytes = (
  buf: Buffer,
  start: number,
  end: number,
  index: QuoteIndex,
): ReducedLine | null => {
  const quotes = index.find(start, end);
  if ((quotes & 1) !== 0) return null; // a string left open: not JSON
  const q = index.positions;
  const stack: Frame[] = [];
  let out = "";
  let copyFrom = start;
  let expectKey = false;
  let blankedInContent = false;
  let toolResult = false;
  let i = start;
  for (let k = 0; ; k += 2) {
    const open = k < quotes ? q[k]! : end;
    // Between two strings: structure, numbers and literals.
    for (; i < open; i++) {
      const c = buf[i];
      if (c === 0x7b /* { */) {
        stack.push({ array: false, keyStart: -1, keyEnd: -1 });
        expectKey = true;
      } else if (c === 0x5b /* [ */) {
        stack.push({ array: true, keyStart: -1, keyEnd: -1 });
        expectKey = false;
      } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        if (stack.pop() === undefined) return null;
        expectKey = false;
      } else if (c === 0x2c /* , */) {
        const top = stack[stack.length - 1];
        expectKey = top !== undefined && !top.array;
      }
    }
    if (k >= quotes) break;
    const j = q[k + 1]!;
    const top = stack[stack.length - 1];
    if (top !== undefined && !top.array && expectKey) {
      if (stack.length <= 2 && bytesHasBackslash(buf, i + 1, j)) return null;
      top.keyStart = i + 1;
      top.keyEnd = j;
      expectKey = false;
    } else if (
      stack.length >= 3 &&
      bytesKeyIs(buf, stack[0], "message") &&
      bytesKeyIs(buf, stack[1], "content")
    ) {
      if (j - i - 1 > LONG_STRING_BYTES) {
        out += `${buf.toString("utf8", copyFrom, i)}""`;
        copyFrom = j + 1;
        blankedInContent = true;
      } else if (
        stack.length === 4 &&
        j - i + 1 === TOOL_RESULT.length &&
        bytesKeyIs(buf, top, "type") &&
        TOOL_RESULT.equals(buf.subarray(i, j + 1))
      ) {
        toolResult = true;
      }
    } else if (j - i - 1 > LONG_STRING_BYTES) {
      const keep =
        stack.length === 1
          ? bytesKeyIn(buf, top, TOP_KEEP)
          : stack.length === 2 && bytesKeyIs(buf, stack[0], "message") && bytesKeyIn(buf, top, MESSAGE_KEEP);
      if (!keep) {
        out += `${buf.toString("utf8", copyFrom, i)}""`;
        copyFrom = j + 1;
      }
    }
    i = j + 1;
  }
  if (stack.length !== 0 || copyFrom === start) return null;
  return { text: out + buf.toString("utf8", copyFrom, end), blankedInContent, toolResult };
};
