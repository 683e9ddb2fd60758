// Session discovery for this machine: every Claude Code session in the configured config dirs (and
// from the sessions.command lister), kept current. `refresh()` answers `claire pull`; `start()`
// (serve) adds file watching with a short debounce and a periodic safety rescan.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Config } from "../config/config.ts";
import { createCommandSource } from "./command-source.ts";
import { createDiscoveryCore, type DiscoveryService, type RefreshPlan } from "./discovery-core.ts";
import { createDiscoveryWatcher, emptyNote, type WatchNote } from "./discovery-watch.ts";
import type { LiveSignalSource, ProcessProbe } from "./liveness.ts";
import { systemProcessProbe } from "./liveness.ts";
import type { RefreshOptions, RefreshReport, SessionRefresher } from "./refresher.ts";
import { findOnPath } from "./run-program.ts";
import { createTranscriptScanner } from "./scanner.ts";
import { createStoredScanStateStore } from "./stored-scan-state.ts";

export type DiscoveryLog = {
  debug: (o: object, m: string) => void;
  info: (o: object, m: string) => void;
  warn: (o: object, m: string) => void;
  error: (o: object, m: string) => void;
};

export interface SessionDiscoveryDeps {
  service: DiscoveryService;
  machineId: string;
  /** Claude config dirs, resolved (see resolveClaudeConfigDirs). */
  configDirs: readonly string[];
  config: { readonly sessions: Config["sessions"]; readonly prices: Config["prices"] };
  now: () => number;
  log?: DiscoveryLog;
  /** Environment of the programs discovery runs (claude agents, sessions.command). Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** For `~/` in sessions.command. */
  home?: string;
  /** The claude executable for `claude agents --json`; null never runs it. Default: `claude` on PATH. */
  claude?: string | null;
  probe?: ProcessProbe;
  /** Liveness from outside the files (hooks); its newer signals win. */
  signals?: LiveSignalSource;
  /**
   * Watching: a change is picked up `settleMs` after its first file event (so one write's burst
   * becomes one refresh), and watch-driven refreshes start at least `minGapMs` apart.
   */
  timing?: { settleMs?: number; minGapMs?: number };
  /**
   * Cold scans: reading threads, this one included (default: the cores, at most 4; below 2, this
   * thread reads alone), the bytes of new transcripts from which to start workers (default
   * 256 MB), and the worker module's URL (default:
   * scan-worker.ts as this build has it; a bundle that inlined it cannot start workers).
   */
  parallel?: { threads?: number; minBytes?: number; workerUrl?: URL };
}

export interface SessionDiscovery extends SessionRefresher {
  /** A full look now (all transcripts, pid files, the command source); what `claire pull` runs. */
  readonly refresh: (options?: RefreshOptions) => Promise<RefreshReport>;
  /** Watch and rescan periodically; resolves with the initial scan's report (it also runs `claude agents`). */
  readonly start: () => Promise<RefreshReport>;
  /** Stops watching and timers; waits for a refresh in progress. */
  readonly stop: () => Promise<void>;
  /** A source outside the files (a hook) has news about a session: look again soon. */
  readonly notify: (sessionId: string) => void;
  /** Calls `listener` after every refresh, whatever started it. Returns the unsubscribe function. */
  readonly subscribe: (listener: (report: RefreshReport) => void) => () => void;
  /** Resolves when nothing is scheduled or running (tests, benchmarks). */
  readonly idle: () => Promise<void>;
}

export const DEFAULT_PARALLEL_MIN_BYTES = 256 * 1024 * 1024;

/**
 * The worker's file: scan-worker.ts itself when running from source, else the scan-worker.cjs the
 * build puts beside the bundle this code was loaded from (a bundle is not a worker of its own).
 */
const bundledWorkerUrl = async (): Promise<URL | null> => {
  const url = (await import("./scan-worker.ts")).scanWorkerUrl();
  if (/\/scan-worker\.(ts|js|mjs|cjs)$/.test(url.pathname)) return url;
  const beside = new URL("scan-worker.cjs", url);
  return existsSync(beside) ? beside : null;
};

export const DEFAULT_SETTLE_MS = 2;
export const DEFAULT_MIN_GAP_MS = 100;

export const createSessionDiscovery = (deps: SessionDiscoveryDeps): SessionDiscovery => {
  const { sessions, prices } = deps.config;
  const env = deps.env ?? process.env;
  const scanState = createStoredScanStateStore(deps.service);
  const useClaude = sessions.sources.includes("claude");
  const scanner = useClaude
    ? createTranscriptScanner({
        configDirs: deps.configDirs,
        state: scanState,
        now: deps.now,
        priceOverrides: prices,
      })
    : null;
  const commandSource =
    sessions.sources.includes("command") && sessions.command !== undefined
      ? createCommandSource({
          command: sessions.command,
          timeoutMs: sessions.commandTimeoutSeconds * 1000,
          env,
          home: deps.home,
        })
      : null;
  const core = createDiscoveryCore({
    service: deps.service,
    machineId: deps.machineId,
    configDirs: deps.configDirs,
    scanner,
    scanState,
    commandSource,
    shareTitles: sessions.shareTitles,
    now: deps.now,
    probe: deps.probe ?? systemProcessProbe,
    claude: () => (deps.claude === undefined ? findOnPath("claude", env.PATH) : deps.claude),
    env,
    signals: deps.signals,
    log: deps.log,
    parallel: {
      threads: deps.parallel?.threads ?? Math.min(availableParallelism(), 4),
      minBytes: deps.parallel?.minBytes ?? DEFAULT_PARALLEL_MIN_BYTES,
      url: async () => deps.parallel?.workerUrl ?? (await bundledWorkerUrl()),
    },
  });
  const settleMs = deps.timing?.settleMs ?? DEFAULT_SETTLE_MS;
  const minGapMs = deps.timing?.minGapMs ?? DEFAULT_MIN_GAP_MS;
  const listeners = new Set<(r: RefreshReport) => void>();

  // Refreshes never overlap: the scanner's state is read and written by one at a time.
  let chain: Promise<unknown> = Promise.resolve();
  let busy = 0;
  let lastErrors = "";
  const exclusive = (plan: RefreshPlan): Promise<RefreshReport> => {
    busy++;
    const p = chain.then(async () => {
      const report = await core.run(plan);
      const errs = report.errors.join("\n");
      if (errs !== lastErrors && report.errors.length > 0)
        deps.log?.warn({ errors: report.errors }, "session discovery: some sources failed");
      lastErrors = errs;
      if (report.changed > 0)
        deps.log?.debug(
          { changed: report.changed, ended: report.ended, ms: report.ms },
          "sessions refreshed",
        );
      for (const l of listeners) {
        try {
          l(report);
        } catch (e) {
          deps.log?.error({ err: e }, "a session refresh listener failed");
        }
      }
      return report;
    });
    chain = p.then(
      () => {},
      (e: unknown) => deps.log?.error({ err: e }, "session refresh failed"),
    );
    void chain.finally(() => busy--);
    return p;
  };

  // Watching and timers (start/stop).
  let started = false;
  let stopped = false;
  let note: WatchNote = emptyNote();
  let extra = { agents: false, command: false };
  let timer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let interval: NodeJS.Timeout | null = null;
  let lastStart = Number.NEGATIVE_INFINITY;

  const fire = () => {
    timer = null;
    if (stopped) return;
    const n = note;
    const x = extra;
    note = emptyNote();
    extra = { agents: false, command: false };
    lastStart = performance.now();
    const transcripts = n.fullScan ? "full" : n.paths.size > 0 ? n.paths : "none";
    void exclusive({ transcripts, ...x })
      .then(afterWatchRefresh)
      .catch(() => {});
  };
  const kick = () => {
    if (stopped || !started || timer !== null) return;
    timer = setTimeout(fire, Math.max(settleMs, lastStart + minGapMs - performance.now()));
  };
  const onNote = (apply: (n: WatchNote) => void) => {
    apply(note);
    kick();
  };
  // A throttled activity change is recorded once the throttle allows it, without waiting for a file event.
  const afterWatchRefresh = () => {
    if (stopped || retryTimer !== null) return;
    const at = core.nextDeferredAt();
    if (at === null) return;
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        onNote(() => {});
      },
      Math.min(Math.max(at - deps.now(), 0) + 5, 60_000),
    );
    retryTimer.unref();
  };
  const watcher = createDiscoveryWatcher(deps.configDirs, onNote, deps.log);

  return {
    refresh: (options = {}) =>
      exclusive({ transcripts: "full", agents: options.agents ?? false, command: true }).then((r) => {
        afterWatchRefresh();
        return r;
      }),
    start: async () => {
      if (started) throw new Error("session discovery already started");
      started = true;
      if (useClaude) watcher.attach(); // before the first scan, so nothing written meanwhile is missed
      interval = setInterval(() => {
        if (useClaude) watcher.attach();
        onNote((n) => {
          n.fullScan = true;
        });
        extra = { agents: true, command: true };
      }, sessions.scanIntervalSeconds * 1000);
      interval.unref();
      const report = await exclusive({ transcripts: "full", agents: true, command: true });
      afterWatchRefresh();
      return report;
    },
    stop: async () => {
      stopped = true;
      for (const t of [timer, retryTimer]) if (t !== null) clearTimeout(t);
      if (interval !== null) clearInterval(interval);
      watcher.close();
      await chain;
    },
    notify: (sessionId) => {
      core.notify(sessionId);
      onNote(() => {});
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: async () => {
      while (busy > 0 || timer !== null) {
        await chain;
        if (timer !== null) await new Promise((r) => setTimeout(r, settleMs + 1));
      }
    },
  };
};
