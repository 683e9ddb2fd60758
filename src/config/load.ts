// Reads claire.toml from disk and validates it (parse.ts), or takes the validated configuration
// cached for the very same text (cache.ts).
import { readFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { join } from "node:path";
import { err, ok, type Result } from "../domain/result.ts";
import { CONFIG_CACHE_FILE, readCachedConfig, writeCachedConfig } from "./cache.ts";
import type { Config } from "./config.ts";
import { type ConfigError, ioConfigError } from "./errors.ts";
import { parseConfigText } from "./parse.ts";
import type { ClairePaths } from "./paths.ts";

/** Where this Claire home caches its validated configuration: beside the database. */
export const configCachePath = (paths: Pick<ClairePaths, "dataDir">): string =>
  join(paths.dataDir, CONFIG_CACHE_FILE);

export type LoadConfigDeps = {
  /** machine_name falls back to it when the file has none (init always writes one). */
  readonly hostname: string;
  /** Where the validated configuration is cached (cache.ts); without it, none is. */
  readonly cachePath?: string;
};

export const readConfigText = (path: string): Result<string, ConfigError> => {
  try {
    return ok(readFileSync(path, "utf8"));
  } catch (e) {
    return err(ioConfigError(path, "read", e));
  }
};

export const loadConfig = (
  path: string,
  deps: LoadConfigDeps = { hostname: osHostname() },
): Result<Config, ConfigError> => {
  const text = readConfigText(path);
  if (!text.ok) return text;
  const key = { file: path, hostname: deps.hostname, text: text.value };
  const cached = deps.cachePath === undefined ? null : readCachedConfig(deps.cachePath, key);
  if (cached) return ok(cached);
  const parsed = parseConfigText(text.value, { file: path, hostname: deps.hostname });
  if (parsed.ok && deps.cachePath !== undefined) writeCachedConfig(deps.cachePath, key, parsed.value);
  return parsed;
};
