// Brings one transcript's stored state up to date: reads appended bytes, or all of a replaced file.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { type ReaderOptions, readLines } from "./incremental-reader.ts";
import type { FileScanState } from "./scan-state.ts";
import {
  AGGREGATE_FORMAT,
  applyLine,
  applyOversizedLine,
  cloneAggregate,
  emptyAggregate,
} from "./session-aggregate.ts";
import type { TranscriptFile } from "./transcript-files.ts";
import { parseTranscriptLineBytes } from "./transcript-line.ts";

/** What the scanner keeps in memory per file to decide, from a stat alone, whether to read it. */
export interface FileIdentity {
  size: number;
  mtimeNs: string;
  ino: string;
  dev: string;
}

export interface FileRefresh {
  state: FileScanState;
  /** Read from byte 0 with a fresh aggregate (new, replaced, truncated or rewritten file). */
  reset: boolean;
  bytesRead: number;
  /** Complete lines consumed, oversized ones included. */
  lines: number;
  badLines: number;
  oversizedLines: number;
}

// Enough bytes to tell a rewritten file from an appended one: the end of the last line read.
const TAIL_BYTES = 32;

const tailBefore = (fd: number, offset: number, buffer: Buffer): string => {
  const length = Math.min(TAIL_BYTES, offset);
  if (length === 0) return "";
  const n = readSync(fd, buffer, 0, length, offset - length);
  return buffer.toString("base64", 0, n);
};

export const refreshFile = (
  file: TranscriptFile,
  known: FileIdentity | undefined,
  loadPrevious: () => FileScanState | undefined,
  reader: ReaderOptions,
  now: number,
): FileRefresh => {
  const fd = openSync(file.path, "r");
  try {
    // Stat the open file, not the path, so a file replaced meanwhile cannot mix with the old one.
    const st = fstatSync(fd, { bigint: true });
    const identity: FileIdentity = {
      size: Number(st.size),
      mtimeNs: st.mtimeNs.toString(),
      ino: st.ino.toString(),
      dev: st.dev.toString(),
    };
    const sameFile =
      known !== undefined &&
      known.ino === identity.ino &&
      known.dev === identity.dev &&
      identity.size >= known.size;
    let prev = sameFile ? loadPrevious() : undefined;
    if (prev?.agg?.format !== AGGREGATE_FORMAT) prev = undefined;
    if (
      prev !== undefined &&
      (prev.offset > identity.size || tailBefore(fd, prev.offset, reader.buffer) !== prev.tail)
    ) {
      prev = undefined;
    }
    const agg = prev === undefined ? emptyAggregate() : cloneAggregate(prev.agg);
    const badBefore = agg.badLines;
    const oversizedBefore = agg.oversizedLines;
    const from =
      prev === undefined ? { offset: 0, skipping: false } : { offset: prev.offset, skipping: prev.skipping };
    const outcome = readLines(
      fd,
      from,
      identity.size,
      {
        line: (bytes, start, end) =>
          applyLine(agg, parseTranscriptLineBytes(bytes, start, end, reader.quotes ?? null)),
        oversized: () => applyOversizedLine(agg),
      },
      reader,
    );
    const state: FileScanState = {
      path: file.path,
      configDir: file.configDir,
      kind: file.kind,
      pathSessionId: file.pathSessionId,
      ...identity,
      offset: outcome.offset,
      skipping: outcome.skipping,
      tail: tailBefore(fd, outcome.offset, reader.buffer),
      agg,
      checkedAt: now,
    };
    return {
      state,
      reset: prev === undefined,
      bytesRead: outcome.bytesRead,
      lines: outcome.lines + outcome.oversized,
      badLines: agg.badLines - badBefore,
      oversizedLines: agg.oversizedLines - oversizedBefore,
    };
  } finally {
    closeSync(fd);
  }
};
