// Incremental scan of Claude Code transcripts in several config dirs into per-session facts.
import { statSync } from "node:fs";
import { sep } from "node:path";
import { type FileIdentity, refreshFile } from "./file-refresh.ts";
import { createReaderOptions, DEFAULT_MAX_LINE_BYTES } from "./incremental-reader.ts";
import type { PriceOverrides } from "./prices.ts";
import {
  type FileScanState,
  owningSessionId,
  type ScanStateStore,
  type TranscriptKind,
} from "./scan-state.ts";
import { AGGREGATE_FORMAT } from "./session-aggregate.ts";
import { assembleSessions, sessionKey } from "./session-assembly.ts";
import type { SessionFacts } from "./session-facts.ts";
import { listTranscriptFiles, type TranscriptFile } from "./transcript-files.ts";

export interface TranscriptScannerDep {
  /** Claude config dirs (`~/.claude`, each `CLAUDE_CONFIG_DIR`); transcripts live in `<dir>/projects`. */
  configDirs: readonly string[];
  state: ScanStateStore;
  now: () => number;
  priceOverrides?: PriceOverrides;
  maxLineBytes?: number;
}

/** A main transcript that is gone: the caller marks the session ended and keeps its history. */
export interface RemovedSession {
  sessionId: string;
  configDir: string;
  transcriptPath: string;
}

export interface ScanCounters {
  filesSeen: number;
  filesRead: number;
  bytesRead: number;
  linesRead: number;
  badLines: number;
  oversizedLines: number;
}

export type ScanError =
  | { type: "TranscriptDirUnreadable"; path: string; code: string }
  | { type: "TranscriptUnreadable"; path: string; code: string };

export interface ScanResult {
  scannedAt: number;
  /** Sessions whose facts changed since the previous scan (all of them on the first). */
  changed: SessionFacts[];
  removed: RemovedSession[];
  counters: ScanCounters;
  errors: ScanError[];
}

export interface TranscriptScanner {
  scan(): ScanResult;
}

interface Known extends FileIdentity {
  configDir: string;
  kind: TranscriptKind;
  sessionId: string | null;
}

const knownOf = (s: FileScanState): Known => ({
  configDir: s.configDir,
  kind: s.kind,
  sessionId: owningSessionId(s),
  size: s.size,
  mtimeNs: s.mtimeNs,
  ino: s.ino,
  dev: s.dev,
});

const errorCode = (e: unknown): string =>
  typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "UNKNOWN";

export const createTranscriptScanner = (dep: TranscriptScannerDep): TranscriptScanner => {
  const reader = createReaderOptions(dep.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const configDirs = [...new Set(dep.configDirs)];
  // Per-file identities, loaded from the store once: an unchanged rescan then costs one stat per file.
  let known: Map<string, Known> | null = null;

  const scan = (): ScanResult => {
    // A row of an older aggregate format gets an impossible size, so its file is read again.
    known ??= new Map(
      [...dep.state.list()].map((s) => [
        s.path,
        { ...knownOf(s), size: s.agg?.format === AGGREGATE_FORMAT ? s.size : -1 },
      ]),
    );
    const files = known;
    const counters: ScanCounters = {
      filesSeen: 0,
      filesRead: 0,
      bytesRead: 0,
      linesRead: 0,
      badLines: 0,
      oversizedLines: 0,
    };
    const errors: ScanError[] = [];
    const changed = new Set<string>();
    const fresh = new Map<string, FileScanState>();
    const seen = new Set<string>();
    const unreadableDirs: string[] = [];

    const visit = (file: TranscriptFile): void => {
      const st = statSync(file.path, { bigint: true, throwIfNoEntry: false });
      if (st === undefined) return; // gone since the directory was listed
      seen.add(file.path);
      counters.filesSeen++;
      const k = files.get(file.path);
      if (
        k !== undefined &&
        k.size === Number(st.size) &&
        k.mtimeNs === st.mtimeNs.toString() &&
        k.ino === st.ino.toString() &&
        k.dev === st.dev.toString()
      ) {
        return;
      }
      let r: ReturnType<typeof refreshFile>;
      try {
        r = refreshFile(file, k, () => dep.state.get(file.path), reader, dep.now());
      } catch (e) {
        errors.push({ type: "TranscriptUnreadable", path: file.path, code: errorCode(e) });
        return;
      }
      dep.state.put(file.path, r.state);
      fresh.set(file.path, r.state);
      const next = knownOf(r.state);
      files.set(file.path, next);
      counters.filesRead++;
      counters.bytesRead += r.bytesRead;
      counters.linesRead += r.lines;
      counters.badLines += r.badLines;
      counters.oversizedLines += r.oversizedLines;
      if (k?.sessionId != null && k.sessionId !== next.sessionId)
        changed.add(sessionKey(k.configDir, k.sessionId));
      if (next.sessionId !== null && (r.lines > 0 || (r.reset && k !== undefined))) {
        changed.add(sessionKey(next.configDir, next.sessionId));
      }
    };

    for (const configDir of configDirs) {
      const listing = listTranscriptFiles(configDir);
      for (const u of listing.unreadable) {
        errors.push({ type: "TranscriptDirUnreadable", path: u.path, code: u.code });
        unreadableDirs.push(u.path + sep);
      }
      for (const file of listing.files) visit(file);
    }

    const removed = new Map<string, RemovedSession>();
    for (const [path, k] of files) {
      if (seen.has(path) || !configDirs.includes(k.configDir)) continue;
      if (unreadableDirs.some((dir) => path.startsWith(dir))) continue;
      dep.state.delete(path);
      files.delete(path);
      if (k.sessionId === null) continue;
      const key = sessionKey(k.configDir, k.sessionId);
      if (k.kind === "main")
        removed.set(key, { sessionId: k.sessionId, configDir: k.configDir, transcriptPath: path });
      else changed.add(key);
    }

    const load = (path: string): FileScanState | undefined => fresh.get(path) ?? dep.state.get(path);
    const facts = assembleSessions(new Set([...changed, ...removed.keys()]), files, load, dep.priceOverrides);
    // A session reported gone may live on in another main file (the same id in two projects).
    for (const key of facts.keys()) removed.delete(key);
    return {
      scannedAt: dep.now(),
      changed: [...facts.values()],
      removed: [...removed.values()],
      counters,
      errors,
    };
  };

  return { scan };
};
