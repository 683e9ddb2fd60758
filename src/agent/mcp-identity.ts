// Which session an MCP server serves. Claude Code starts one stdio server per claude process and
// gives it CLAUDE_CODE_SESSION_ID; after /clear the process goes on under a new session id but the
// server keeps the old one (docs/claude-code-notes.md, MCP). So every call asks the API for the
// session that id stands for now (its successor, once it has ended). A session Claire has not
// heard of (no hooks installed) is registered on first use.
import { localPaths } from "../runtime/paths.ts";
import type { AgentApi } from "./agent-api.ts";
import { liveProcess, readProcessState, stateDir } from "./hook-state.ts";

export type SessionIdentity = {
  readonly machineId: string;
  readonly sessionId: string;
  /** machine/session key: what the API accepts anywhere a session is named. */
  readonly key: string;
  readonly handle: string;
  readonly cwd: string | null;
  /** Sessions followed from the id Claude Code gave (oldest first); empty when none. */
  readonly followed: readonly string[];
};

export class IdentityError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

const detail = (body: unknown): string => {
  const d = (body as { detail?: unknown } | null)?.detail;
  return typeof d === "string" ? d : JSON.stringify(body);
};

export const createIdentity = (api: AgentApi, env: Env, process: { ppid: number; cwd: () => string }) => {
  let machineId: string | null = null;
  const localMachine = async (): Promise<string> => {
    if (machineId) return machineId;
    const r = await api.call("GET", "/health");
    const id = (r.body as { machineId?: unknown } | null)?.machineId;
    if (r.status !== 200 || typeof id !== "string")
      throw new IdentityError(`Claire's API: ${detail(r.body)}`);
    machineId = id;
    return id;
  };
  const whoami = (key: string) => api.call("GET", "/agent/whoami", { query: { session: key } });
  const processSession = (): string | null => {
    const live = Number.isInteger(process.ppid) && process.ppid > 1 ? liveProcess(process.ppid) : null;
    if (live === null) return null;
    return readProcessState(stateDir(localPaths(env).dataDir), live.pid, live.start)?.sessionId ?? null;
  };

  return {
    /** The session Claude Code started this server for, or the one it stands for now. */
    current: async (): Promise<SessionIdentity> => {
      // The session this Claude process runs now, as its hooks last recorded it (the server's
      // parent is the Claude process, the hooks' CLAUDE_PID): exact after /clear and after a
      // resume, where an id's chain of successors can only guess. Without hooks: the id given.
      const given = processSession() ?? env.CLAUDE_CODE_SESSION_ID;
      if (!given)
        throw new IdentityError(
          "Claire cannot tell which session this is: CLAUDE_CODE_SESSION_ID is not set (Claude Code sets it for the MCP servers it starts)",
        );
      const machine = await localMachine();
      const key = `${machine}/${given}`;
      let r = await whoami(key);
      if (r.status === 404) {
        const reg = await api.call("POST", "/agent/sessions", {
          body: { sessionId: given, cwd: env.CLAUDE_PROJECT_DIR ?? process.cwd(), pid: process.ppid },
          actor: `session:${given}`,
        });
        if (reg.status !== 200)
          throw new IdentityError(`cannot register session ${given}: ${detail(reg.body)}`);
        r = await whoami(key);
      }
      if (r.status !== 200) throw new IdentityError(`cannot identify session ${given}: ${detail(r.body)}`);
      const b = r.body as {
        session: { machineId: string; sessionId: string; handle: string; cwd: string | null };
        followed: string[];
      };
      return {
        machineId: b.session.machineId,
        sessionId: b.session.sessionId,
        key: `${b.session.machineId}/${b.session.sessionId}`,
        handle: b.session.handle,
        cwd: b.session.cwd,
        followed: b.followed,
      };
    },
  };
};

export type Identity = ReturnType<typeof createIdentity>;
