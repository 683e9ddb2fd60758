// A Claire (TempClaire: real SQLite file) with session discovery over temporary Claude config dirs,
// and the probes discovery tests need: write transactions, session events, a process probe.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../../src/config/config.ts";
import { createSessionDiscovery, type SessionDiscovery } from "../../src/sessions/discovery.ts";
import { makeTempConfig, type TempConfig } from "../../src/sessions/fixtures/transcript-lines.ts";
import type { LiveSignalSource, ProcessProbe } from "../../src/sessions/liveness.ts";
import { createTempClaire, type TempClaire } from "./temp-claire.ts";

export type SessionsConfig = Config["sessions"];

export const sessionsConfig = (over: Partial<SessionsConfig> = {}): SessionsConfig => ({
  sources: ["claude"],
  claudeConfigDirs: [],
  commandTimeoutSeconds: 10,
  shareTitles: true,
  scanIntervalSeconds: 60,
  ...over,
});

export interface WorldOptions {
  configs?: TempConfig[];
  sessions?: Partial<SessionsConfig>;
  claire?: TempClaire;
  probe?: ProcessProbe;
  signals?: LiveSignalSource;
  claude?: string | null;
  env?: NodeJS.ProcessEnv;
  timing?: { settleMs?: number; minGapMs?: number };
}

export interface DiscoveryWorld {
  claire: TempClaire;
  configs: TempConfig[];
  discovery: SessionDiscovery;
  /** Write transactions opened on the store so far. */
  writes(): number;
  /** session.observed events in the log, oldest first. */
  sessionEvents(): { entity: string; machine: string; data: Record<string, unknown> }[];
  close(): Promise<void>;
}

export const createDiscoveryWorld = (opts: WorldOptions = {}): DiscoveryWorld => {
  const claire = opts.claire ?? createTempClaire();
  const configs = opts.configs ?? [makeTempConfig()];
  let writes = 0;
  const store = claire.store as { write: <T>(fn: () => T) => T };
  const realWrite = store.write;
  store.write = (fn) => {
    writes++;
    return realWrite(fn);
  };
  const discovery = createSessionDiscovery({
    service: claire.service,
    machineId: claire.machineId,
    configDirs: configs.map((c) => c.dir),
    config: { sessions: sessionsConfig(opts.sessions), prices: {} },
    now: () => claire.clock.now,
    claude: opts.claude ?? null,
    ...(opts.probe && { probe: opts.probe }),
    ...(opts.signals && { signals: opts.signals }),
    ...(opts.env && { env: opts.env }),
    ...(opts.timing && { timing: opts.timing }),
  });
  return {
    claire,
    configs,
    discovery,
    writes: () => writes,
    sessionEvents: () =>
      (
        claire.store.db
          .prepare(
            "SELECT entity_id, machine_id, data FROM events WHERE type = 'session.observed' ORDER BY seq",
          )
          .all() as { entity_id: string; machine_id: string; data: string }[]
      ).map((r) => ({ entity: r.entity_id, machine: r.machine_id, data: JSON.parse(r.data) })),
    close: async () => {
      await discovery.stop();
      claire.close();
      for (const c of configs) c.cleanup();
    },
  };
};

/** A process probe answering from a table: pid -> start time (null: no such process). */
export const tableProbe = (table: Map<number, string>): ProcessProbe => ({
  startTime: (pid) => table.get(pid) ?? null,
});

/** Writes `<configDir>/sessions/<pid>.json` in Claude Code 2.1.330's shape. */
export const writePidFile = (
  configDir: string,
  f: { pid: number; sessionId: string; cwd: string; procStart: string; status?: string; waitingFor?: string },
  at = Date.UTC(2026, 10, 23, 12, 0, 0),
): string => {
  const dir = join(configDir, "sessions");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${f.pid}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      pid: f.pid,
      sessionId: f.sessionId,
      cwd: f.cwd,
      startedAt: at - 1000,
      procStart: f.procStart,
      version: "2.1.330",
      kind: "interactive",
      entrypoint: "cli",
      name: "proj-01",
      nameSource: "derived",
      ...(f.status !== undefined && { status: f.status }),
      ...(f.waitingFor !== undefined && { waitingFor: f.waitingFor }),
      updatedAt: at,
      statusUpdatedAt: at,
    }),
  );
  return path;
};

/** A real process (sleep) and its start time from /proc, for pid files that must validate. */
export const startSleeper = (): { pid: number; procStart: string; kill: () => void } => {
  const child = spawn("sleep", ["60"], { stdio: "ignore" });
  const pid = child.pid!;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const procStart = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
  return { pid, procStart, kill: () => child.kill("SIGKILL") };
};

/** Polls until `probe` returns something truthy. */
export const waitFor = async <T>(what: string, probe: () => T | undefined | null | false, ms = 10_000) => {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
