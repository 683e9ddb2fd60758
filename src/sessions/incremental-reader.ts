// Reads the complete lines appended to a file since a byte offset, in chunks, with a line-size cap.
import { readSync } from "node:fs";
import { createQuoteIndex, type QuoteIndex } from "./quote-index.ts";

/** Where the next read starts. `skipping`: the offset is inside an oversized line being discarded. */
export interface ReadPosition {
  offset: number;
  skipping: boolean;
}

export interface ReadOutcome extends ReadPosition {
  /** Bytes taken from the file by this call (a held-back partial line is read again next time). */
  bytesRead: number;
  lines: number;
  oversized: number;
}

export interface LineSink {
  /**
   * A complete line: bytes[start, end), UTF-8, without its "\n". Most lines are handed in place in
   * the read buffer (valid only during the call): decoding is left to the sink, which may not
   * need all of a line.
   */
  line(bytes: Buffer, start: number, end: number): void;
  /** A line longer than the cap: counted once, never decoded. */
  oversized(): void;
}

export interface ReaderOptions {
  /** Reused between calls so scanning a corpus allocates one buffer. */
  buffer: Buffer;
  maxLineBytes: number;
  /** Finds the quotes of lines in `buffer` (its buffer is this index's); null when unavailable. */
  quotes?: QuoteIndex | null;
}

/**
 * Claude Code caps what it keeps inline in a line well below this (large tool output goes to
 * side files); assistant lines are bounded by the output-token limit. A longer line is a pasted
 * image or file, and parsing it would only cost memory.
 */
export const DEFAULT_MAX_LINE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

export const createReaderOptions = (maxLineBytes = DEFAULT_MAX_LINE_BYTES): ReaderOptions => {
  const quotes = createQuoteIndex(DEFAULT_CHUNK_BYTES);
  return { buffer: quotes?.buffer ?? Buffer.allocUnsafe(DEFAULT_CHUNK_BYTES), maxLineBytes, quotes };
};

const NEWLINE = 0x0a;

/**
 * Hands every complete line in [from.offset, end) to the sink and returns where to resume. A last
 * line without its "\n" is still being written: it is left for the next call, which reads it again
 * from its start. Bytes past `end` (the size the caller stat'ed) wait for the next scan too.
 */
export const readLines = (
  fd: number,
  from: ReadPosition,
  end: number,
  sink: LineSink,
  { buffer, maxLineBytes }: ReaderOptions,
): ReadOutcome => {
  let pos = from.offset;
  let skipping = from.skipping;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lines = 0;
  let oversized = 0;
  const flushPending = (tail: Buffer): Buffer => {
    const whole = Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    return whole;
  };
  while (pos < end) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - pos), pos);
    if (n === 0) break;
    pos += n;
    const chunk = buffer.subarray(0, n);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      if (skipping) {
        skipping = false;
      } else if (pendingBytes + (nl - start) > maxLineBytes) {
        pending = [];
        pendingBytes = 0;
        oversized++;
        sink.oversized();
      } else {
        lines++;
        // Most lines sit whole in the chunk: handed in place, without a Buffer view per line.
        if (pendingBytes === 0) sink.line(buffer, start, nl);
        else {
          const whole = flushPending(chunk.subarray(start, nl));
          sink.line(whole, 0, whole.length);
        }
      }
      start = nl + 1;
    }
    if (skipping || start === n) continue;
    if (pendingBytes + (n - start) > maxLineBytes) {
      // Decided now, so an endless line never makes memory grow past the cap.
      pending = [];
      pendingBytes = 0;
      skipping = true;
      oversized++;
      sink.oversized();
    } else {
      pending.push(Buffer.from(chunk.subarray(start)));
      pendingBytes += n - start;
    }
  }
  return { offset: pos - pendingBytes, skipping, bytesRead: pos - from.offset, lines, oversized };
};
