// What the hooks remember between events, per Claude Code process: which session it registered
// last (so a SessionStart with a new id from the same process names its predecessor: /clear) and
// which tasks that session was told it owns (so the next prompt hears only what changed). One
// small file per process in Claire's data dir; a process is its pid plus its start time, so a
// reused pid is never taken for the old process.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parentPid, processStart } from "../runtime/proc-stat.ts";

export type ProcessState = {
  readonly pid: number;
  /** /proc/<pid>/stat field 22 (clock ticks since boot); null where there is no /proc. */
  readonly start: string | null;
  readonly sessionId: string;
  readonly tasks: readonly string[];
};

export { processStart };

/**
 * The Claude Code process a hook runs for: CLAUDE_PID (set by Claude Code for hooks), else the
 * grandparent (a hook runs as claude -> /bin/sh -c <command> -> hook).
 */
export const claudePid = (env: Record<string, string | undefined>, ppid: number): number | null => {
  const fromEnv = Number(env.CLAUDE_PID);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const parentOfShell = parentPid(ppid);
  return parentOfShell !== null && parentOfShell > 1 ? parentOfShell : null;
};

/**
 * A Claude process as its memory is keyed: its pid and start time. Null where /proc can say when a
 * process started and says nothing: the pid names no running process, and nothing is remembered.
 */
export const liveProcess = (pid: number | null): { pid: number; start: string | null } | null => {
  if (pid === null) return null;
  const start = processStart(pid);
  return start !== null || process.platform !== "linux" ? { pid, start } : null;
};

export const stateDir = (dataDir: string): string => join(dataDir, "agent");
const fileOf = (dir: string, pid: number) => join(dir, `claude-${pid}.json`);

/** The state this process left, or null (none, unreadable, or another process with the same pid). */
export const readProcessState = (dir: string, pid: number, start: string | null): ProcessState | null => {
  try {
    const s = JSON.parse(readFileSync(fileOf(dir, pid), "utf8")) as Partial<ProcessState>;
    if (s.pid !== pid || typeof s.sessionId !== "string" || (s.start ?? null) !== start) return null;
    const tasks = Array.isArray(s.tasks) ? s.tasks.filter((t): t is string => typeof t === "string") : [];
    return { pid, start, sessionId: s.sessionId, tasks };
  } catch {
    return null;
  }
};

export const writeProcessState = (dir: string, state: ProcessState): void => {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = fileOf(dir, state.pid);
  writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(state), { mode: 0o600 });
  renameSync(`${path}.${process.pid}.tmp`, path);
};

export const removeProcessState = (dir: string, pid: number): void => {
  rmSync(fileOf(dir, pid), { force: true });
};

/** Every process state the hooks left in `dir` (files of processes long gone included). */
export const listProcessStates = (dir: string): ProcessState[] => {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: ProcessState[] = [];
  for (const name of names) {
    const m = /^claude-(\d+)\.json$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    try {
      const s = JSON.parse(readFileSync(join(dir, name), "utf8")) as Partial<ProcessState>;
      if (s.pid !== pid || typeof s.sessionId !== "string") continue;
      const start = typeof s.start === "string" ? s.start : null;
      out.push({ pid, start, sessionId: s.sessionId, tasks: [] });
    } catch {
      // removed or half-written meanwhile: the next refresh reads it again
    }
  }
  return out;
};
