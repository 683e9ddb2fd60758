// Liveness from Claude Code's hooks, for session discovery (sessions/liveness.ts: LiveSignalSource).
// The hooks keep one small file per Claude Code process (hook-state.ts) naming the session that
// process hosts now. While the process runs (same pid, same start time) its session is alive,
// whether or not this machine's Claire can see the transcript or Claude's own pid file (a session
// under another CLAUDE_CONFIG_DIR or another user's home): without this, discovery marked such a
// session ended whenever it looked at it. Its state is what the hooks last recorded.
//
// A file names one session at a time: after /clear or /resume the hooks rewrite it with the new
// session, so the old one loses its signal and is ended as usual. The signal carries no time, so
// a pid file or `claude agents` listing that says when it was written is believed over it.
import {
  type LiveSignal,
  type LiveSignalSource,
  type ProcessProbe,
  UNKNOWN_START,
} from "../sessions/liveness.ts";
import { listProcessStates } from "./hook-state.ts";

type Recorded = { readonly state: string; readonly stateReason: string | null };

export type HookSignalsDeps = {
  /** The hooks' process files: stateDir(dataDir). */
  readonly dir: string;
  readonly probe: ProcessProbe;
  /** What this machine last recorded for one of its sessions (the hooks write it). */
  readonly recorded: (sessionId: string) => Recorded | undefined;
};

const LIVE = new Set(["working", "waiting", "idle"]);

export const createHookSignals = (deps: HookSignalsDeps): LiveSignalSource => {
  /** Session id -> the Claude Code process hosting it, as of the last read. */
  let hosts = new Map<string, number>();
  return {
    read: (touched) => {
      const next = new Map<string, number>();
      for (const s of listProcessStates(deps.dir)) {
        const running = deps.probe.startTime(s.pid);
        if (running === null) continue; // exited (killed, or ended without a SessionEnd hook)
        if (s.start !== null && running !== UNKNOWN_START && running !== s.start) continue; // pid reused
        next.set(s.sessionId, s.pid);
      }
      for (const id of new Set([...hosts.keys(), ...next.keys()])) {
        if (hosts.get(id) !== next.get(id)) touched.add(id);
      }
      hosts = next;
    },
    latest: (sessionId): LiveSignal | undefined => {
      const pid = hosts.get(sessionId);
      if (pid === undefined) return undefined;
      const r = deps.recorded(sessionId);
      // SessionEnd said so (a /clear ends the old session before the new one starts).
      if (r?.state === "ended") return undefined;
      return {
        sessionId,
        state: r && LIVE.has(r.state) ? (r.state as LiveSignal["state"]) : "idle",
        stateReason: r && LIVE.has(r.state) ? r.stateReason : null,
        pid,
        cwd: null,
        version: null,
        at: null,
        source: "hook",
      };
    },
  };
};
