// `claire init`: makes the private directories and a claire.toml with a new machine_id, once.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { err, ok, type Result } from "../domain/result.ts";
import { writeCachedConfig } from "./cache.ts";
import type { Config } from "./config.ts";
import { type ConfigError, configError, ioConfigError } from "./errors.ts";
import { configCachePath, loadConfig } from "./load.ts";
import { parseConfigText } from "./parse.ts";
import type { ClairePaths } from "./paths.ts";
import { isUuidV4, machineNameFrom } from "./schema.ts";
import { renderNewConfig } from "./template.ts";
import { writeFileAtomic } from "./write-atomic.ts";

export type InitConfigDeps = {
  readonly hostname: string;
  readonly randomUUID: () => string;
};

export type InitConfigResult = { readonly config: Config; readonly created: boolean };

// 0700: the database holds prompts and titles, claire.toml holds peer tokens. Parents get the
// usual mode, and an existing directory is left as the user made it.
const ensurePrivateDir = (dir: string): Result<void, ConfigError> => {
  try {
    mkdirSync(dirname(dir), { recursive: true });
    mkdirSync(dir, { mode: 0o700 });
    return ok(undefined);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const st = statSync(dir, { throwIfNoEntry: false });
    if (code === "EEXIST" && st?.isDirectory()) return ok(undefined);
    // CLAIRE_HOME (or an XDG directory) naming a file: not a permission problem.
    if (code === "EEXIST" || code === "ENOTDIR")
      return err(
        configError(
          dir,
          st?.isFile()
            ? `${dir} is a file, not a directory`
            : `${dir} cannot be a directory: a part of its path is a file`,
          "point CLAIRE_HOME (or XDG_DATA_HOME / XDG_CONFIG_HOME) at a directory, or move the file",
        ),
      );
    return err(ioConfigError(dir, "create", e));
  }
};

/**
 * Idempotent: an existing claire.toml is read, never rewritten, so its machine_id survives every
 * later init; an existing file that does not validate is refused and left untouched.
 */
export const initConfig = (
  paths: ClairePaths,
  deps: InitConfigDeps,
): Result<InitConfigResult, ConfigError> => {
  for (const dir of [paths.dataDir, paths.configDir]) {
    const made = ensurePrivateDir(dir);
    if (!made.ok) return made;
  }
  const file = paths.configPath;
  const loadExisting = (): Result<InitConfigResult, ConfigError> => {
    const loaded = loadConfig(file, { hostname: deps.hostname, cachePath: configCachePath(paths) });
    return loaded.ok ? ok({ config: loaded.value, created: false }) : loaded;
  };
  if (existsSync(file)) return loadExisting();

  const machineId = deps.randomUUID().toLowerCase();
  if (!isUuidV4(machineId))
    return err(
      configError(
        file,
        `the UUID generator returned "${machineId}", which is not a UUID v4`,
        "use a UUID v4 generator such as node:crypto randomUUID (this is a bug in the caller, not in the file)",
        { key: "machine_id" },
      ),
    );
  const text = renderNewConfig({ machineId, machineName: machineNameFrom(deps.hostname) });
  const config = parseConfigText(text, { file, hostname: deps.hostname });
  if (!config.ok) return config;

  const written = writeFileAtomic(file, text, { mode: 0o600, exclusive: true });
  if (!written.ok) return err(ioConfigError(file, "write", written.error));
  // Another init won the race between the existence check and the write: its id stands.
  if (!written.value.written) return loadExisting();
  writeCachedConfig(configCachePath(paths), { file, hostname: deps.hostname, text }, config.value);
  return ok({ config: config.value, created: true });
};
