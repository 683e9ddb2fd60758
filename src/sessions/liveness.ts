// Which sessions are running, without hooks: Claude Code's `<configDir>/sessions/<pid>.json` files
// (a pid file counts only while its process runs and started when the file says, so a reused pid
// is not mistaken for the session), and the signal model every liveness source shares.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { processStart } from "../runtime/proc-stat.ts";

export type LiveState = "working" | "waiting" | "idle";

/** Where a liveness signal came from. Hooks (a later addition) are the primary source. */
export type SignalSource = "hook" | "pid-file" | "agents" | "command";

/** What one source says about one session's state. */
export interface LiveSignal {
  sessionId: string;
  state: LiveState | "ended";
  /** "permission" or "input" for waiting; free text from other sources. */
  stateReason: string | null;
  pid: number | null;
  cwd: string | null;
  version: string | null;
  /** When the source says the state was entered (ms since the epoch); null when it does not say. */
  at: number | null;
  source: SignalSource;
}

/** How to ask the OS about a process (injected so tests can model reused pids). */
export interface ProcessProbe {
  /**
   * The process's start time as `/proc/<pid>/stat` field 22 (clock ticks since boot), null when no
   * such process exists, "unknown" when it runs but the platform cannot say when it started.
   */
  startTime(pid: number): string | null;
}

export const UNKNOWN_START = "unknown";

export { procStartOf } from "../runtime/proc-stat.ts";

export const systemProcessProbe: ProcessProbe = {
  startTime: (pid) => {
    if (process.platform === "linux") return processStart(pid);
    // No /proc (macOS, BSD): existence only.
    try {
      process.kill(pid, 0);
      return UNKNOWN_START;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === "EPERM" ? UNKNOWN_START : null;
    }
  },
};

/** Claude Code's status words: "busy" while a turn runs, "waiting" on a dialog, "idle" at the prompt. */
export const stateOfStatus = (
  status: unknown,
  waitingFor: unknown,
): { state: LiveState; stateReason: string | null } => {
  if (status === "busy") return { state: "working", stateReason: null };
  if (status === "waiting") {
    const what = typeof waitingFor === "string" ? waitingFor : "";
    return { state: "waiting", stateReason: /permission/i.test(what) ? "permission" : "input" };
  }
  // "idle", and a file written before the first status (the process is starting).
  return { state: "idle", stateReason: null };
};

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** A pid file's signal, or null when the file is not one (wrong shape) or names no running process. */
export const pidFileSignal = (text: string, probe: ProcessProbe): LiveSignal | null => {
  let f: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
    f = parsed as Record<string, unknown>;
  } catch {
    return null; // half-written: the next change event reads it again
  }
  const pid = num(f.pid);
  const sessionId = str(f.sessionId);
  if (pid === null || !Number.isInteger(pid) || pid <= 0 || sessionId === null) return null;
  const started = probe.startTime(pid);
  if (started === null) return null;
  const expected = typeof f.procStart === "number" ? String(f.procStart) : str(f.procStart);
  if (expected !== null && started !== UNKNOWN_START && started !== expected) return null; // reused pid
  return {
    sessionId,
    ...stateOfStatus(f.status, f.waitingFor),
    pid,
    cwd: str(f.cwd),
    version: str(f.version),
    at: num(f.statusUpdatedAt) ?? num(f.updatedAt) ?? num(f.startedAt),
    source: "pid-file",
  };
};

export interface PidFileScan {
  signals: LiveSignal[];
  /** Pid files whose process is gone or is another process now (left by a kill -9). */
  stale: number;
  /** Pids whose file could not be parsed: caught half-written, so what it said before still holds. */
  unreadable: number[];
  error: string | null;
}

/** Reads `<configDir>/sessions/*.json`. A missing directory means nothing runs. */
export const readPidFiles = (configDir: string, probe: ProcessProbe): PidFileScan => {
  const dir = join(configDir, "sessions");
  const out: PidFileScan = { signals: [], stale: 0, unreadable: [], error: null };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "UNKNOWN";
    if (code !== "ENOENT" && code !== "ENOTDIR") out.error = `cannot read ${dir} (${code})`;
    return out;
  }
  for (const name of names) {
    // `<pid>.json` only: the `<pid>.<hash>.key` files beside them hold tokens.
    if (!/^\d+\.json$/.test(name)) continue;
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch {
      continue; // removed as the process exited
    }
    try {
      JSON.parse(text);
    } catch {
      // Claude Code rewrote it while it was read (truncated, not yet written): not a sign that the
      // session stopped. The next change event reads it again.
      out.unreadable.push(Number(name.slice(0, -5)));
      continue;
    }
    const signal = pidFileSignal(text, probe);
    if (signal === null) out.stale++;
    else out.signals.push(signal);
  }
  return out;
};

// Equal times: the source closest to the process wins.
const RANK: Record<SignalSource, number> = { hook: 3, "pid-file": 2, agents: 1, command: 0 };

/** The signal to believe among several for one session: the newest, then the most direct source. */
export const pickSignal = (signals: readonly LiveSignal[]): LiveSignal | undefined => {
  let best: LiveSignal | undefined;
  for (const s of signals) {
    if (best === undefined) best = s;
    else {
      const a = s.at ?? Number.NEGATIVE_INFINITY;
      const b = best.at ?? Number.NEGATIVE_INFINITY;
      if (a > b || (a === b && RANK[s.source] > RANK[best.source])) best = s;
    }
  }
  return best;
};

/**
 * Where hooks (and any future source) plug in: the latest signal it holds for a session. Discovery
 * weighs it against the file-derived ones with pickSignal, so a hook's newer state wins.
 */
export interface LiveSignalSource {
  latest(sessionId: string): LiveSignal | undefined;
  /**
   * Called at every refresh, before any `latest`: looks again (the source's files, say) and adds
   * to `touched` the sessions whose signal appeared, changed or went away, so they are looked at.
   */
  read?(touched: Set<string>): void;
}
