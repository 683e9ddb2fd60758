// Reads claire.toml from disk and validates it; the only I/O is the read, the rest is parse.ts.
import { readFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { err, ok, type Result } from "../domain/result.ts";
import type { Config } from "./config.ts";
import { type ConfigError, ioConfigError } from "./errors.ts";
import { parseConfigText } from "./parse.ts";

export type LoadConfigDeps = {
  /** machine_name falls back to it when the file has none (init always writes one). */
  readonly hostname: string;
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
  return text.ok ? parseConfigText(text.value, { file: path, hostname: deps.hostname }) : text;
};
