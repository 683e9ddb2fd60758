// serve.json beside the database: written by a running `claire serve`, so short-lived processes
// (CLI, hooks, MCP) find it and send their writes there, and `claire rebuild` knows to refuse.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { processStart } from "./proc-stat.ts";

export type ServerInfo = {
  readonly pid: number;
  readonly url: string;
  readonly startedAt: string;
  /** /proc start time of the server process: a pid reused by another process is not the server. */
  readonly procStart?: string | null;
};

export const serverFilePath = (dataDir: string): string => join(dataDir, "serve.json");

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else; still alive.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** The running server for this data dir, or null when none is (a stale file is ignored). */
export const runningServer = (dataDir: string): ServerInfo | null => {
  let info: ServerInfo;
  try {
    info = JSON.parse(readFileSync(serverFilePath(dataDir), "utf8")) as ServerInfo;
  } catch {
    return null;
  }
  if (typeof info?.pid !== "number" || typeof info.url !== "string") return null;
  if (!isAlive(info.pid)) return null;
  // After a crash (kill -9, power loss) the file stays; once another process has its pid, it is
  // not this server: its port may be another home's Claire now, or another program.
  if (typeof info.procStart === "string") {
    const now = processStart(info.pid);
    if (now !== null && now !== info.procStart) return null;
  }
  return info;
};

/**
 * The running server for this data dir, checked by asking it: a serve.json left by a server that
 * died (kill -9, power loss) whose pid another process has taken since is not a server. For what
 * must be sure (rebuild, restore, a second serve, doctor); the CLI's everyday lookup stays cheap.
 */
export const answeringServer = async (dataDir: string, timeoutMs = 2_000): Promise<ServerInfo | null> => {
  const info = runningServer(dataDir);
  if (info === null) return null;
  // A 401 answers too: a server with auth.require = "always" wants a token even for its health.
  const answers = await fetch(`${info.url}/api/v1/health`, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (r) => r.ok || r.status === 401,
    () => false,
  );
  return answers ? info : null;
};

export const writeServerFile = (dataDir: string, info: ServerInfo): void => {
  const path = serverFilePath(dataDir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
};

export const removeServerFile = (dataDir: string, pid: number): void => {
  const current = runningServer(dataDir);
  if (current === null || current.pid === pid) rmSync(serverFilePath(dataDir), { force: true });
};
