// `claude agents --json`: Claude Code's own list of its running sessions for one config dir
// (2.1.330: `[{pid, cwd, kind, startedAt, sessionId, name, status}]`, `[]` when none). It starts
// a process (~0.2 s), so discovery asks it only on the periodic rescan.
import { type LiveSignal, type ProcessProbe, stateOfStatus } from "./liveness.ts";
import { runProgram } from "./run-program.ts";

export const AGENTS_TIMEOUT_MS = 10_000;

export type AgentsOutcome = { ok: true; signals: LiveSignal[] } | { ok: false; error: string };

/** Parses the JSON array; entries without a pid and session id are skipped. */
export const parseAgentsJson = (text: string): AgentsOutcome => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: `printed something that is not JSON: ${JSON.stringify(text.slice(0, 80))}` };
  }
  if (!Array.isArray(parsed)) return { ok: false, error: "printed JSON that is not an array" };
  const signals: LiveSignal[] = [];
  for (const item of parsed) {
    if (typeof item !== "object" || item === null) continue;
    const a = item as Record<string, unknown>;
    if (typeof a.pid !== "number" || !Number.isInteger(a.pid) || a.pid <= 0) continue;
    if (typeof a.sessionId !== "string" || a.sessionId === "") continue;
    signals.push({
      sessionId: a.sessionId,
      ...stateOfStatus(a.status, a.waitingFor),
      pid: a.pid,
      cwd: typeof a.cwd === "string" ? a.cwd : null,
      version: null,
      // It does not say when the status was set: a pid file's or a hook's time wins over it.
      at: null,
      source: "agents",
    });
  }
  return { ok: true, signals };
};

export interface AgentsDeps {
  /** The claude executable. */
  claude: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs `claude agents --json` for one config dir. */
export const listClaudeAgents = async (configDir: string, deps: AgentsDeps): Promise<AgentsOutcome> => {
  const r = await runProgram([deps.claude, "agents", "--json"], {
    timeoutMs: deps.timeoutMs ?? AGENTS_TIMEOUT_MS,
    cwd: configDir,
    env: {
      ...deps.env,
      CLAUDE_CONFIG_DIR: configDir,
      // A listing must never update or phone home.
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    },
    maxBytes: 4 * 1024 * 1024,
  });
  if (!r.ok) return { ok: false, error: `\`claude agents --json\` for ${configDir}: ${r.message}` };
  const parsed = parseAgentsJson(r.stdout);
  return parsed.ok
    ? parsed
    : { ok: false, error: `\`claude agents --json\` for ${configDir}: ${parsed.error}` };
};

/** Keeps the signals whose process still runs (they are re-checked on every refresh). */
export const stillRunning = (signals: readonly LiveSignal[], probe: ProcessProbe): LiveSignal[] =>
  signals.filter((s) => s.pid !== null && probe.startTime(s.pid) !== null);
