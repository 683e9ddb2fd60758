// Incremental scan of Claude Code transcripts in several config dirs into per-session facts.
import { statSync } from "node:fs";
import { sep } from "node:path";
import { type FileIdentity, type FileRefresh, refreshFile } from "./file-refresh.ts";
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
import { classifyTranscriptPath, listTranscriptFiles, type TranscriptFile } from "./transcript-files.ts";

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

export interface ScanOptions {
  /** Report every known session, not only the changed ones (for a consumer starting with no memory). */
  all?: boolean;
  /**
   * Look at these paths only (named by file-watch events): no directory listing, and only these
   * paths can be found removed. Paths that are not transcripts of a config dir are ignored.
   */
  only?: Iterable<string>;
  /**
   * Files already read from their start elsewhere (worker threads, see unreadFiles): their
   * results stand for the part they read, and only bytes appended since are read here.
   */
  prepared?: ReadonlyMap<string, FileRefresh>;
}

export interface TranscriptScanner {
  scan(options?: ScanOptions): ScanResult;
  /** The files a full scan would read from their start (new to the scanner), with their sizes. */
  unreadFiles(): { file: TranscriptFile; size: number }[];
}

interface Known extends FileIdentity {
  configDir: string;
  kind: TranscriptKind;
  sessionId: string | null;
  /** mtimeNs, ino and dev as numbers, compared with a stat's without making strings (rescans). */
  stamp: readonly [mtimeNs: bigint, ino: bigint, dev: bigint];
}

const bigintOf = (s: string): bigint => {
  try {
    return BigInt(s);
  } catch {
    return -1n;
  }
};

const knownOf = (s: FileScanState): Known => ({
  configDir: s.configDir,
  kind: s.kind,
  sessionId: owningSessionId(s),
  size: s.size,
  mtimeNs: s.mtimeNs,
  ino: s.ino,
  dev: s.dev,
  stamp: [bigintOf(s.mtimeNs), bigintOf(s.ino), bigintOf(s.dev)],
});

const errorCode = (e: unknown): string =>
  typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "UNKNOWN";

export const createTranscriptScanner = (dep: TranscriptScannerDep): TranscriptScanner => {
  const reader = createReaderOptions(dep.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const configDirs = [...new Set(dep.configDirs)];
  // Per-file identities, loaded from the store once: an unchanged rescan then costs one stat per file.
  let known: Map<string, Known> | null = null;

  // A row of an older aggregate format gets an impossible size, so its file is read again.
  const loadKnown = (): Map<string, Known> =>
    (known ??= new Map(
      [...dep.state.list()].map((s) => [
        s.path,
        { ...knownOf(s), size: s.agg?.format === AGGREGATE_FORMAT ? s.size : -1 },
      ]),
    ));

  /** Continues a file from a result read elsewhere, as if this scan had read all of it. */
  const continueFrom = (file: TranscriptFile, p: FileRefresh): FileRefresh => {
    const more = refreshFile(file, p.state, () => p.state, reader, dep.now());
    return {
      state: more.state,
      reset: true,
      bytesRead: p.bytesRead + more.bytesRead,
      lines: p.lines + more.lines,
      badLines: p.badLines + more.badLines,
      oversizedLines: p.oversizedLines + more.oversizedLines,
    };
  };

  const unreadFiles = (): { file: TranscriptFile; size: number }[] => {
    const files = loadKnown();
    const out: { file: TranscriptFile; size: number }[] = [];
    for (const configDir of configDirs) {
      for (const file of listTranscriptFiles(configDir).files) {
        const k = files.get(file.path);
        if (k !== undefined && k.size >= 0) continue;
        const st = statSync(file.path, { throwIfNoEntry: false });
        if (st?.isFile()) out.push({ file, size: st.size });
      }
    }
    return out;
  };

  const scan = (options: ScanOptions = {}): ScanResult => {
    const files = loadKnown();
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
        k.stamp[0] === st.mtimeNs &&
        k.stamp[1] === st.ino &&
        k.stamp[2] === st.dev
      ) {
        return;
      }
      let r: FileRefresh;
      try {
        const p = k === undefined || k.size < 0 ? options.prepared?.get(file.path) : undefined;
        const untouched =
          p !== undefined &&
          p.state.size === Number(st.size) &&
          p.state.mtimeNs === st.mtimeNs.toString() &&
          p.state.ino === st.ino.toString() &&
          p.state.dev === st.dev.toString();
        r = untouched
          ? p
          : p !== undefined
            ? continueFrom(file, p)
            : refreshFile(file, k, () => dep.state.get(file.path), reader, dep.now());
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

    const removed = new Map<string, RemovedSession>();
    const forget = (path: string, k: Known): void => {
      dep.state.delete(path);
      files.delete(path);
      if (k.sessionId === null) return;
      const key = sessionKey(k.configDir, k.sessionId);
      if (k.kind === "main")
        removed.set(key, { sessionId: k.sessionId, configDir: k.configDir, transcriptPath: path });
      else changed.add(key);
    };

    if (options.only !== undefined) {
      for (const path of new Set(options.only)) {
        const file = configDirs.map((dir) => classifyTranscriptPath(dir, path)).find((f) => f !== null);
        if (file === undefined) continue;
        visit(file);
        const k = files.get(path);
        if (!seen.has(path) && k !== undefined) forget(path, k);
      }
    } else {
      for (const configDir of configDirs) {
        const listing = listTranscriptFiles(configDir);
        for (const u of listing.unreadable) {
          errors.push({ type: "TranscriptDirUnreadable", path: u.path, code: u.code });
          unreadableDirs.push(u.path + sep);
        }
        for (const file of listing.files) visit(file);
      }
      for (const [path, k] of files) {
        if (seen.has(path) || !configDirs.includes(k.configDir)) continue;
        if (unreadableDirs.some((dir) => path.startsWith(dir))) continue;
        forget(path, k);
      }
    }

    if (options.all) {
      for (const k of files.values())
        if (k.sessionId !== null) changed.add(sessionKey(k.configDir, k.sessionId));
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

  return { scan, unreadFiles };
};
