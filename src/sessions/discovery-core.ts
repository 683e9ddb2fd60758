// One discovery refresh: read what the sources say (transcripts, pid files, `claude agents`, the
// command lister), compose each touched session's facts, and record only what differs from what
// this machine last recorded. Sessions are keyed by this machine and the Claude session id.
import type { Actor } from "../domain/actor.ts";
import { describeError } from "../domain/errors.ts";
import { shortHandle } from "../domain/ids.ts";
import type { Service } from "../service/index.ts";
import type { CommandSource } from "./command-source.ts";
import { createCommandTracker } from "./command-tracker.ts";
import { DEFAULT_MAX_LINE_BYTES } from "./incremental-reader.ts";
import { createLiveTracker } from "./live-tracker.ts";
import { type LiveSignalSource, type ProcessProbe, pickSignal } from "./liveness.ts";
import { composeFacts, type DomainFacts, diffFacts, latestTranscript } from "./observed-facts.ts";
import type { RefreshReport, SessionChange } from "./refresher.ts";
import { readInWorkers } from "./scan-pool.ts";
import type { ScanError, TranscriptScanner } from "./scanner.ts";
import type { SessionFacts as TranscriptFacts } from "./session-facts.ts";
import type { StoredScanStateStore } from "./stored-scan-state.ts";

export type DiscoveryService = Pick<
  Service,
  "observeSessions" | "localSessionFacts" | "scanStates" | "scanState" | "saveScanStates"
>;

export interface RefreshPlan {
  /** "full": list every transcript; a set: only these paths (file events); "none": skip. */
  transcripts: "full" | "none" | ReadonlySet<string>;
  /** Run `claude agents --json` (spawns a process). */
  agents: boolean;
  /** Run the sessions.command lister. */
  command: boolean;
}

export interface DiscoveryCoreDeps {
  service: DiscoveryService;
  machineId: string;
  configDirs: readonly string[];
  /** Null when the "claude" source is off. */
  scanner: TranscriptScanner | null;
  scanState: StoredScanStateStore;
  commandSource: CommandSource | null;
  shareTitles: boolean;
  now: () => number;
  probe: ProcessProbe;
  /** The claude executable for `claude agents --json`, or null. */
  claude: () => string | null;
  env: NodeJS.ProcessEnv;
  signals?: LiveSignalSource;
  /** Cold scans of many bytes are read in worker threads (see scan-pool.ts); null: never. */
  parallel: ParallelScan | null;
  log?: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
}

export interface ParallelScan {
  /** Reading threads, this one included (threads - 1 workers). */
  threads: number;
  /** Below this many bytes of new transcripts, starting threads costs more than it saves. */
  minBytes: number;
  /** Where the worker module is; null when this build cannot start one. */
  url: () => Promise<URL | null>;
}

const LIVE = new Set(["working", "waiting", "idle"]);

const describeScanError = (e: ScanError): string =>
  e.type === "TranscriptUnreadable"
    ? `cannot read transcript ${e.path} (${e.code})`
    : e.code === "ENOENT"
      ? `Claude config dir ${e.path} does not exist: Claude Code has not run here as this user yet, or CLAUDE_CONFIG_DIR or sessions.claude_config_dirs names a directory that is not there; sessions seen there before are kept as they were`
      : `cannot read ${e.path} (${e.code}); sessions seen there before are kept as they were`;

export const createDiscoveryCore = (deps: DiscoveryCoreDeps) => {
  const actor: Actor = { kind: "machine", id: deps.machineId };
  const transcripts = new Map<string, Map<string, TranscriptFacts>>();
  const liveness = deps.scanner === null ? null : createLiveTracker(deps);
  const lister = deps.commandSource === null ? null : createCommandTracker(deps.commandSource, deps.log);
  /** What this machine recorded for each of its sessions; null until the first refresh loads it. */
  let recorded: Map<string, DomainFacts> | null = null;
  /** Throttled activity changes: session id -> when the service takes them. */
  const deferred = new Map<string, number>();
  const notified = new Set<string>();
  let listedAll = false;

  /** A cold scan's new transcripts, read here and in worker threads when there are enough bytes. */
  const readAhead = async (scanner: TranscriptScanner) => {
    const par = deps.parallel;
    if (par === null || par.threads < 2) return undefined;
    const unread = scanner.unreadFiles();
    if (unread.reduce((n, f) => n + f.size, 0) < par.minBytes) return undefined;
    const url = await par.url();
    if (url === null) return undefined;
    try {
      return await readInWorkers(unread, deps.now(), {
        url,
        threads: par.threads,
        maxLineBytes: DEFAULT_MAX_LINE_BYTES,
      });
    } catch (e) {
      deps.log?.warn({ err: e }, "reading transcripts in worker threads failed; reading them here");
      return undefined;
    }
  };

  const scanTranscripts = async (plan: RefreshPlan, touched: Set<string>, removed: Set<string>) => {
    const scanner = deps.scanner;
    if (scanner === null || plan.transcripts === "none") return null;
    // Only the first scan of a process may find a whole history to read; later ones find a few files.
    const prepared = !listedAll && plan.transcripts === "full" ? await readAhead(scanner) : undefined;
    const r = listedAll
      ? scanner.scan(plan.transcripts === "full" ? { prepared } : { only: plan.transcripts })
      : scanner.scan({ all: true, prepared });
    listedAll = true;
    deps.scanState.flush();
    for (const f of r.changed) {
      const copies = transcripts.get(f.sessionId) ?? new Map<string, TranscriptFacts>();
      copies.set(f.configDir, f);
      transcripts.set(f.sessionId, copies);
      touched.add(f.sessionId);
    }
    for (const gone of r.removed) {
      const copies = transcripts.get(gone.sessionId);
      copies?.delete(gone.configDir);
      if (copies?.size === 0) {
        transcripts.delete(gone.sessionId);
        removed.add(gone.sessionId);
      }
      touched.add(gone.sessionId);
    }
    return r;
  };

  const run = async (plan: RefreshPlan): Promise<RefreshReport> => {
    const started = performance.now();
    const errors: string[] = [];
    const touched = new Set<string>(notified);
    notified.clear();
    const removed = new Set<string>();
    if (recorded === null) {
      recorded = new Map(deps.service.localSessionFacts());
      for (const id of recorded.keys()) touched.add(id);
    }
    const scan = await scanTranscripts(plan, touched, removed);
    if (scan) errors.push(...scan.errors.map(describeScanError));
    if (plan.command) await lister?.run(touched, errors);
    if (plan.agents) await liveness?.listAgents(errors);
    liveness?.read(touched, errors);
    deps.signals?.read?.(touched);
    const nowMs = deps.now();
    for (const [id, at] of deferred) if (at <= nowMs) touched.add(id);

    const work: { id: string; facts: DomainFacts; title: string | null; isNew: boolean }[] = [];
    for (const id of touched) {
      const copies = [...(transcripts.get(id)?.values() ?? [])];
      const hook = deps.signals?.latest(id);
      const signal = pickSignal([liveness?.signal(id), hook].filter((s) => s !== undefined));
      const command = lister?.session(id);
      const before = recorded.get(id);
      if (copies.length === 0 && !signal && !command && !before) continue;
      // The lister failed and this process has no listing of its own yet (a `claire pull`): a
      // session only it knows keeps what was recorded, rather than ending until it answers again.
      if (copies.length === 0 && !signal && lister && !lister.listed() && before?.source === "command")
        continue;
      const full = composeFacts(
        { transcripts: copies, live: signal, command, transcriptRemoved: removed.has(id) },
        deps.shareTitles,
      );
      const facts = diffFacts(before, full);
      if (Object.keys(facts).length === 0) {
        deferred.delete(id);
        continue;
      }
      const title = latestTranscript(copies)?.title ?? command?.title ?? before?.title ?? null;
      work.push({ id, facts, title, isNew: before === undefined });
    }

    const changes: SessionChange[] = [];
    let ended = 0;
    if (work.length > 0) {
      const results = deps.service.observeSessions(
        actor,
        work.map((w) => ({ ref: { machineId: deps.machineId, sessionId: w.id }, facts: w.facts })),
      );
      results.forEach((r, i) => {
        const w = work[i]!;
        if (!r.ok) {
          errors.push(`session ${w.id}: ${describeError(r.error)}`);
          return;
        }
        if (r.value.throttled) {
          deferred.set(w.id, r.value.retryAtMs ?? nowMs);
          return;
        }
        deferred.delete(w.id);
        const after = { ...recorded!.get(w.id), ...w.facts };
        recorded!.set(w.id, after);
        if (r.value.changed.length === 0) return;
        if (!w.isNew && r.value.changed.includes("state") && after.state === "ended") ended++;
        changes.push({
          sessionId: w.id,
          handle: shortHandle(w.id),
          fields: r.value.changed,
          isNew: w.isNew,
          state: after.state ?? "unknown",
          cwd: after.cwd ?? null,
          title: w.title,
        });
      });
    }
    changes.sort((a, b) => lastActivity(b) - lastActivity(a));
    let liveCount = 0;
    for (const f of recorded.values()) if (f.state !== undefined && LIVE.has(f.state)) liveCount++;
    return {
      sessions: recorded.size,
      live: liveCount,
      changed: changes.length,
      ended,
      deferred: deferred.size,
      filesRead: scan?.counters.filesRead ?? 0,
      bytesRead: scan?.counters.bytesRead ?? 0,
      badLines: (scan?.counters.badLines ?? 0) + (scan?.counters.oversizedLines ?? 0),
      errors,
      ms: Math.round((performance.now() - started) * 100) / 100,
      changes,
    };

    function lastActivity(c: SessionChange): number {
      const t = recorded!.get(c.sessionId)?.lastActivity;
      return t ? Date.parse(t) : 0;
    }
  };

  return {
    run,
    /** A source outside the files (a hook) has news about this session. */
    notify: (sessionId: string) => notified.add(sessionId),
    /** When the earliest throttled change may be recorded, or null. */
    nextDeferredAt: (): number | null => (deferred.size === 0 ? null : Math.min(...deferred.values())),
  };
};

export type DiscoveryCore = ReturnType<typeof createDiscoveryCore>;
