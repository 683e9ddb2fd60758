// This machine's configuration and database opened from its files, with real time and ids: what
// the service is made on (local-claire.ts makes the whole service; a hook with no server running
// makes only its own, agent/hook-local.ts). This is where implementations are picked; everything
// below receives them as dependencies.
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import type { Logger } from "pino";
import {
  type ClairePaths,
  type Config,
  type ConfigError,
  configCachePath,
  configError,
  initConfig,
  loadConfig,
} from "../config/index.ts";
import { createIdGenerator } from "../domain/ids.ts";
import { nodeCrypto } from "../domain/lazy-crypto.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { MachineIdentity, ServiceDeps } from "../service/context.ts";
import { storedMachineId } from "../store/database.ts";
import { createStore, type Store } from "../store/store.ts";
import { localPaths } from "./paths.ts";

/** Epochs of new databases count seconds from here (2020-01-01), below MAX_EPOCH until 2088. */
const EPOCH_BASE_MS = Date.UTC(2020, 0, 1);

export type LocalParts = {
  readonly paths: ClairePaths;
  readonly config: Config;
  readonly store: Store;
  /** What the service is made with (ServiceDeps). */
  readonly deps: ServiceDeps;
  readonly created: boolean;
  readonly close: () => void;
};

export type OpenOptions = {
  readonly env?: Record<string, string | undefined>;
  /** Create claire.toml when missing (serve and init do; other commands say to run init). */
  readonly init?: boolean;
  readonly log?: Logger;
  readonly now?: () => number;
};

export const loadLocalConfig = (
  paths: ClairePaths,
  init: boolean,
): Result<{ config: Config; created: boolean }, ConfigError> => {
  if (init)
    return initConfig(paths, {
      hostname: hostname(),
      // A claire.toml lost beside its database is made again with the database's machine id: a
      // new one would not match it (and the machine's history is under the old one).
      randomUUID: () => storedMachineId(paths.dbPath) ?? nodeCrypto().randomUUID(),
    });
  const loaded = loadConfig(paths.configPath, { hostname: hostname(), cachePath: configCachePath(paths) });
  return loaded.ok ? ok({ config: loaded.value, created: false }) : err(loaded.error);
};

export const openLocalParts = (opts: OpenOptions = {}): Result<LocalParts, ConfigError> => {
  const paths = localPaths(opts.env);
  const loaded = loadLocalConfig(paths, opts.init ?? false);
  if (!loaded.ok) return loaded;
  const { config } = loaded.value;
  const now = opts.now ?? Date.now;
  // A database made for a claire.toml that was there before (the old database moved aside or
  // lost): this machine may have written under epoch 0 already, and peers hold those slots. A
  // new epoch above any earlier one (restores count up by one from small numbers; two such
  // databases are never made within one second) keeps its new writes apart, and lets its old
  // events come back from peers and from its exports. It comes from the clock, so the clock
  // must be sane: one before 2020 would give an epoch below the ones already used.
  const firstEpoch =
    loaded.value.created || existsSync(paths.dbPath) ? 0 : Math.floor((now() - EPOCH_BASE_MS) / 1000);
  if (firstEpoch < 0)
    return err(
      configError(
        paths.dbPath,
        `this machine's clock says ${new Date(now()).toISOString()}: a new database for a machine that already has a history takes its writer epoch from the clock`,
        "set the clock (timedatectl set-ntp true, or chrony), then run the command again",
      ),
    );
  const ids = createIdGenerator();
  const store = createStore({
    path: paths.dbPath,
    machineId: config.machineId,
    now,
    ids,
    maxDriftMs: config.sync.maxDriftSeconds * 1000,
    firstEpoch,
  });
  const machine: MachineIdentity = {
    machineId: config.machineId,
    machineName: config.machineName,
    groups: config.groups,
  };
  const deps: ServiceDeps = { store, ids, now, machine, log: opts.log };
  return ok({ paths, config, store, deps, created: loaded.value.created, close: store.close });
};
