// What the scanner remembers per transcript file, the storage contract for it, and an in-memory store.
import type { SessionAggregate } from "./session-aggregate.ts";

/** "main": `<project>/<session-id>.jsonl`; "subagent": a Task agent's transcript, owned by its parent. */
export type TranscriptKind = "main" | "subagent";

/** Plain JSON, so a store can keep it as a text column. */
export interface FileScanState {
  path: string;
  configDir: string;
  kind: TranscriptKind;
  /**
   * The owning session as the path names it (main file name, or the session directory holding
   * `subagents/`); null for legacy top-level `agent-*.jsonl`, owned by the sessionId inside.
   */
  pathSessionId: string | null;
  size: number;
  /** Nanoseconds, as a string: a bigint does not survive JSON. */
  mtimeNs: string;
  ino: string;
  dev: string;
  /** Bytes consumed: everything before it has been folded into `agg`. */
  offset: number;
  /** The offset sits inside an oversized line still being skipped. */
  skipping: boolean;
  /** Base64 of the bytes just before `offset`: a file rewritten in place no longer matches. */
  tail: string;
  agg: SessionAggregate;
  checkedAt: number;
}

/**
 * Synchronous, like the SQLite driver behind the real one. The scanner reads `list()` once, when
 * it first scans, and keeps the small per-file facts in memory; it is the only writer of these rows.
 */
export interface ScanStateStore {
  get(path: string): FileScanState | undefined;
  put(path: string, state: FileScanState): void;
  delete(path: string): void;
  list(): Iterable<FileScanState>;
}

/** For tests and one-shot scans. States are copied through JSON, as a database would store them. */
export const createMemoryScanStateStore = (): ScanStateStore & { readonly size: number } => {
  const rows = new Map<string, string>();
  return {
    get: (path) => {
      const row = rows.get(path);
      return row === undefined ? undefined : (JSON.parse(row) as FileScanState);
    },
    put: (path, state) => {
      rows.set(path, JSON.stringify(state));
    },
    delete: (path) => {
      rows.delete(path);
    },
    list: () => [...rows.values()].map((row) => JSON.parse(row) as FileScanState),
    get size() {
      return rows.size;
    },
  };
};

/** The session a file belongs to, or null while a legacy agent file has not named it yet. */
export const owningSessionId = (s: Pick<FileScanState, "pathSessionId" | "agg">): string | null =>
  s.pathSessionId ?? s.agg?.sessionId ?? null;
