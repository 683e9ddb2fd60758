// Which sessions run now, across refreshes: pid files (read every refresh: cheap) and the last
// `claude agents --json` listing (taken on demand: it starts a process). Reports which sessions'
// liveness changed, so only those are looked at again.
import { existsSync } from "node:fs";
import { listClaudeAgents, stillRunning } from "./claude-agents.ts";
import { type LiveSignal, type ProcessProbe, pickSignal, readPidFiles } from "./liveness.ts";

export interface LiveTrackerDeps {
  configDirs: readonly string[];
  probe: ProcessProbe;
  /** The claude executable, or null when there is none. */
  claude: () => string | null;
  env: NodeJS.ProcessEnv;
}

export const createLiveTracker = (deps: LiveTrackerDeps) => {
  let agentSignals: LiveSignal[] = [];
  let live = new Map<string, LiveSignal>();
  return {
    /** Runs `claude agents --json` for every config dir; a failure keeps the previous listing. */
    listAgents: async (errors: string[]): Promise<void> => {
      const claude = deps.claude();
      if (claude === null) return;
      const all: LiveSignal[] = [];
      for (const dir of deps.configDirs) {
        // A config dir that is not there has no agents (the scan says it is missing); `claude`
        // run in it would only fail with a misleading "not found".
        if (!existsSync(dir)) continue;
        const r = await listClaudeAgents(dir, { claude, env: deps.env });
        if (!r.ok) {
          errors.push(r.error);
          return;
        }
        all.push(...r.signals);
      }
      agentSignals = all;
    },

    /** Reads the pid files; adds to `touched` the sessions whose liveness changed. */
    read: (touched: Set<string>, errors: string[]): void => {
      const found = new Map<string, LiveSignal[]>();
      const add = (s: LiveSignal) => found.set(s.sessionId, [...(found.get(s.sessionId) ?? []), s]);
      const unreadable = new Set<number>();
      for (const dir of deps.configDirs) {
        const r = readPidFiles(dir, deps.probe);
        if (r.error !== null) errors.push(r.error);
        r.signals.forEach(add);
        for (const pid of r.unreadable) unreadable.add(pid);
      }
      // A pid file caught half-written keeps the signal it gave last, while its process runs.
      for (const s of live.values())
        if (
          s.source === "pid-file" &&
          s.pid !== null &&
          unreadable.has(s.pid) &&
          !found.has(s.sessionId) &&
          deps.probe.startTime(s.pid) !== null
        )
          add(s);
      // `claude agents` only fills in sessions whose pid file Claire cannot use. Where a pid file
      // speaks for the session or its process, the listing is dropped for good: the file's removal
      // (at exit) must end the session, not a listing taken before it.
      const pids = new Set([...found.values()].flat().map((s) => s.pid));
      agentSignals = stillRunning(agentSignals, deps.probe).filter(
        (s) => !found.has(s.sessionId) && !pids.has(s.pid),
      );
      agentSignals.forEach(add);
      const next = new Map<string, LiveSignal>();
      for (const [id, signals] of found) next.set(id, pickSignal(signals)!);
      for (const id of new Set([...live.keys(), ...next.keys()])) {
        if (JSON.stringify(live.get(id)) !== JSON.stringify(next.get(id))) touched.add(id);
      }
      live = next;
    },

    signal: (sessionId: string): LiveSignal | undefined => live.get(sessionId),
  };
};
