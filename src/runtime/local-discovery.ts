// Session discovery for this machine's Claire: the Claude config dirs from claire.toml and the
// environment (CLAUDE_CONFIG_DIR, else ~/.claude), prices from claire.toml, real time.
import { homedir } from "node:os";
import { createHookSignals } from "../agent/hook-signals.ts";
import { stateDir } from "../agent/hook-state.ts";
import { resolveClaudeConfigDirs } from "../config/paths.ts";
import { createSessionDiscovery, type DiscoveryLog, type SessionDiscovery } from "../sessions/discovery.ts";
import { systemProcessProbe } from "../sessions/liveness.ts";
import type { LocalClaire } from "./local-claire.ts";

export type LocalDiscoveryOptions = {
  readonly log?: DiscoveryLog;
  readonly env?: Record<string, string | undefined>;
  readonly now?: () => number;
};

export const createLocalDiscovery = (
  claire: LocalClaire,
  opts: LocalDiscoveryOptions = {},
): SessionDiscovery => {
  const env = opts.env ?? process.env;
  const home = homedir();
  return createSessionDiscovery({
    service: claire.service,
    machineId: claire.config.machineId,
    configDirs: resolveClaudeConfigDirs(claire.config.sessions.claudeConfigDirs, env, home),
    config: claire.config,
    now: opts.now ?? Date.now,
    log: opts.log,
    env: env as NodeJS.ProcessEnv,
    home,
    // Sessions the hooks report, including those whose transcript this machine cannot see.
    signals: createHookSignals({
      dir: stateDir(claire.paths.dataDir),
      probe: systemProcessProbe,
      recorded: (id) => claire.service.localSessionFactsOf(id),
    }),
  });
};
