// A process as Linux's /proc/<pid>/stat tells it: who its parent is, and when it started (so a pid
// reused by another process is never taken for the one that had it: hooks' memory, pid files,
// serve.json). Elsewhere there is no /proc and these say nothing (null).
import { readFileSync } from "node:fs";

/** Fields 3 onwards of a stat line: the command name (field 2) may hold spaces and parentheses. */
const fieldsOf = (stat: string): string[] => stat.slice(stat.lastIndexOf(")") + 2).split(" ");

/**
 * Field 22 (start time, clock ticks since boot) of a stat line. Null for a process that has died
 * but is not yet reaped (state Z or X, field 3): it runs nothing any more.
 */
export const procStartOf = (stat: string): string | null => {
  const fields = fieldsOf(stat);
  if (fields[0] === "Z" || fields[0] === "X") return null;
  return fields[19] ?? null;
};

const statOf = (pid: number): string | null => {
  if (process.platform !== "linux") return null;
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
};

/** When a process started, as /proc says; null when it is gone, a zombie, or there is no /proc. */
export const processStart = (pid: number): string | null => {
  const stat = statOf(pid);
  return stat === null ? null : procStartOf(stat);
};

/** A process's parent pid, as /proc says; null when unknown. */
export const parentPid = (pid: number): number | null => {
  const stat = statOf(pid);
  const ppid = stat === null ? Number.NaN : Number(fieldsOf(stat)[1]);
  return Number.isInteger(ppid) ? ppid : null;
};
