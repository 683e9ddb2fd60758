// `claire doctor`: every check in order, pass/warn/fail, each problem with its fix. It reads; the
// only thing it may write is what opening the database always does (nothing, on a current schema).
import { accessSync, constants, existsSync, statfsSync } from "node:fs";
import { dirname } from "node:path";
import {
  type Config,
  describeConfigError,
  loadConfig,
  resolveClaudeConfigDirs,
  resolvePaths,
} from "../../config/index.ts";
import { openLocalClaire } from "../../runtime/local-claire.ts";
import { answeringServer } from "../../runtime/server-file.ts";
import { inspectDatabaseFile } from "../../store/queries/ops.ts";
import { MachineMismatchError } from "../../store/store.ts";
import type { SyncTransport } from "../../sync/transport.ts";
import { unitLocation } from "../service-manager.ts";
import { type Check, fail, pass, warn } from "./check.ts";
import {
  clockStateCheck,
  cycleCheck,
  databaseFileChecks,
  freeDiskCheck,
  identityCheck,
  logChecks,
  mismatchCheck,
} from "./database-checks.ts";
import {
  claudeDirsCheck,
  commandSourceCheck,
  hooksCheck,
  listenCheck,
  nodeCheck,
  serverCheck,
  unitCheck,
} from "./machine-checks.ts";
import { checkPeer, type PeerCheckContext } from "./peer-checks.ts";

export type DoctorDeps = {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  readonly now: () => number;
  readonly nodeVersion: string;
  readonly execPath: string;
  readonly transport: SyncTransport;
  /** Free bytes for an unprivileged user on the filesystem holding `dir`; null when unknown. */
  readonly freeBytes?: (dir: string) => number | null;
  /** Whether this user may write a path (default: access(2); tests run as root, which may always). */
  readonly canWrite?: (path: string) => boolean;
};

export type DoctorReport = {
  ok: boolean;
  machineId: string | null;
  machineName: string | null;
  configPath: string;
  dbPath: string;
  counts: { pass: number; warn: number; fail: number };
  checks: Check[];
};

/** Free space where `dir` is, or would be (its nearest existing parent). */
const statfsFree = (dir: string): number | null => {
  for (let d = dir; ; d = dirname(d)) {
    try {
      const s = statfsSync(d);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      if (dirname(d) === d) return null;
    }
  }
};

const writableByMe = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The data directory and the database's files must be writable by this user (SQLite writes the
 * -wal and -shm beside the database even to read): a read-only disk or a file left by another
 * user fails every command, and is not damage. Null when all is well (the database checks say so).
 */
export const writableCheck = (
  dataDir: string,
  dbPath: string,
  canWrite: (path: string) => boolean = writableByMe,
): Check | null => {
  const blocked = [dataDir, dbPath, `${dbPath}-wal`, `${dbPath}-shm`].filter(
    (p) => existsSync(p) && !canWrite(p),
  );
  if (blocked.length === 0) return null;
  return fail(
    "database.writable",
    "data directory writable",
    `not writable by this user: ${blocked.join(", ")}`,
    "make them yours and writable (chown/chmod), or remount the disk read-write if it went read-only after I/O errors (dmesg); this is not damage: do not restore",
  );
};

export const runDoctor = async (deps: DoctorDeps): Promise<DoctorReport> => {
  const paths = resolvePaths(deps.env, deps.home);
  const checks: Check[] = [nodeCheck(deps.nodeVersion, deps.execPath)];

  const loaded = loadConfig(paths.configPath);
  let config: Config | null = null;
  if (loaded.ok) {
    config = loaded.value;
    checks.push(
      pass(
        "config",
        "claire.toml",
        `${paths.configPath} is valid (machine ${config.machineName}, ${config.machineId})`,
      ),
    );
  } else if (loaded.error.message.startsWith("no config file")) {
    checks.push(
      warn("config", "claire.toml", `Claire is not set up here: ${loaded.error.message}`, loaded.error.fix),
    );
  } else {
    const lines = describeConfigError(loaded.error)
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => !l.startsWith("fix:"));
    checks.push(fail("config", "claire.toml", lines.join(": "), loaded.error.fix));
  }

  const writable = writableCheck(paths.dataDir, paths.dbPath, deps.canWrite);
  if (writable) checks.push(writable);
  const file = inspectDatabaseFile(paths.dbPath);
  const { checks: fileChecks, usable } = databaseFileChecks(file);
  // Unreadable because it may not be written (a read-only disk, another user's files) is not
  // damage: the restore advice would throw away every event no peer holds.
  checks.push(
    ...fileChecks.map((c) =>
      writable && c.id === "database.integrity" && c.status === "fail"
        ? {
            ...c,
            fix: "see 'data directory writable': once this user can write there, run claire doctor again (do not restore or move the database aside)",
          }
        : c,
    ),
  );
  const free = (deps.freeBytes ?? statfsFree)(paths.dataDir);
  checks.push(freeDiskCheck(paths.dataDir, free, file.bytes + file.walBytes));

  let local: PeerCheckContext["local"] = null;
  let logId: string | null = null;
  let health = new Map<string, import("../../service/sync.ts").PeerHealth>();
  let hasTokens: boolean | null = null;
  if (config && usable) {
    try {
      const opened = openLocalClaire({ env: deps.env, init: false, now: deps.now });
      if (!opened.ok) throw new Error(describeConfigError(opened.error));
      const claire = opened.value;
      try {
        checks.push(...logChecks(claire.service.logHealth(), file, free, config.sync.maxDriftSeconds * 1000));
        const identity = claire.service.identity();
        checks.push(identityCheck(identity));
        checks.push(cycleCheck(claire.service.dependencyCycles()));
        checks.push(clockStateCheck(identity.clockAheadMs, config.sync.maxDriftSeconds * 1000, deps.now()));
        local = { vector: claire.service.syncSummary().vector, ...identity.writer };
        logId = claire.store.logId;
        health = new Map(claire.service.peerHealth().map((h) => [h.peer, h]));
        hasTokens = claire.service.hasTokens();
      } finally {
        claire.close();
      }
    } catch (e) {
      checks.push(
        e instanceof MachineMismatchError
          ? mismatchCheck(e.dbMachineId, e.configMachineId, paths.configPath)
          : fail(
              "database.open",
              "database",
              `cannot open ${paths.dbPath}: ${(e as Error).message}`,
              "run `claire doctor` again with CLAIRE_LOG_LEVEL=debug and report the message",
            ),
      );
    }
  }

  // Asked, not only looked up: a serve.json whose pid was reused is not a running server.
  const server = await answeringServer(paths.dataDir);
  checks.push(serverCheck(server, config?.peers.length ?? 0));
  if (config) checks.push(listenCheck(config, hasTokens, server));
  const unit = unitCheck(unitLocation(deps, "claire").path, null);
  if (unit) checks.push(unit);

  if (config) {
    const ctx: PeerCheckContext = {
      transport: deps.transport,
      now: deps.now,
      machineId: config.machineId,
      logId,
      local,
      health,
      maxDriftMs: config.sync.maxDriftSeconds * 1000,
      intervalMs: config.sync.intervalSeconds * 1000,
      ownServerUrl: server?.url ?? null,
    };
    checks.push(...(await Promise.all(config.peers.map((p) => checkPeer(p, ctx)))));
  }

  const dirs = resolveClaudeConfigDirs(config?.sessions.claudeConfigDirs ?? [], deps.env, deps.home);
  if (!config || config.sessions.sources.includes("claude")) {
    checks.push(claudeDirsCheck(dirs));
    const hooks = hooksCheck(dirs, deps.home);
    if (hooks) checks.push(hooks);
  }
  if (config) {
    const command = commandSourceCheck(config, deps.env, deps.home);
    if (command) checks.push(command);
  }

  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  return {
    ok: counts.fail === 0,
    machineId: config?.machineId ?? null,
    machineName: config?.machineName ?? null,
    configPath: paths.configPath,
    dbPath: paths.dbPath,
    counts,
    checks,
  };
};
