// The validated configuration kept beside the database, so that a short-lived process (a hook on
// every prompt of every Claude Code session, a CLI command with no server) need not parse TOML and
// build the configuration schema on every start: that was ~3 ms of a hook's ~45 and what loaded
// zod at all in it (docs/performance.md).
//
// An entry is used only for the very text it was made from, with the same hostname (machine_name
// falls back to it) and the same Claire code (version, and the size and time of the file the code
// was loaded from: a rebuild or another release). Anything else, or an unreadable or malformed
// cache, is a miss: claire.toml is parsed and validated as always, and the cache written again.
// It holds what claire.toml holds (peer tokens among it), so it is as private: 0600, in the
// private data directory.
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CLAIRE_VERSION } from "../version.ts";
import type { Config } from "./config.ts";

export const CONFIG_CACHE_FILE = "config-cache.json";

type Entry = {
  readonly code: string;
  readonly file: string;
  readonly hostname: string;
  readonly text: string;
  readonly config: Config;
};

let code: string | undefined;

const stamp = (url: URL): string | null => {
  try {
    const s = statSync(fileURLToPath(url));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
};

/**
 * This build of Claire: its version, and the build's list of bundle hashes, which every build
 * writes beside the bundles (scripts/build.mjs): the same for the CLI, the server and the hook,
 * which run this code from different bundles. Run from source (tests), this module's own file.
 */
const codeIdentity = (): string => {
  code ??= `${CLAIRE_VERSION}:${
    stamp(new URL("./content-ids.json", import.meta.url)) ?? stamp(new URL(import.meta.url)) ?? ""
  }`;
  return code;
};

export type CacheKey = { readonly file: string; readonly hostname: string; readonly text: string };

/** The configuration cached for exactly this text, hostname and code, or null. */
export const readCachedConfig = (cachePath: string, key: CacheKey): Config | null => {
  let entry: Partial<Entry>;
  try {
    entry = JSON.parse(readFileSync(cachePath, "utf8")) as Partial<Entry>;
  } catch {
    return null;
  }
  if (
    entry === null ||
    typeof entry !== "object" ||
    entry.code !== codeIdentity() ||
    entry.file !== key.file ||
    entry.hostname !== key.hostname ||
    entry.text !== key.text ||
    typeof entry.config !== "object" ||
    entry.config === null
  )
    return null;
  return entry.config;
};

/** Best effort: a cache that cannot be written only means the next start parses claire.toml. */
export const writeCachedConfig = (cachePath: string, key: CacheKey, config: Config): void => {
  const entry: Entry = { code: codeIdentity(), ...key, config };
  const tmp = `${cachePath}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, cachePath);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {}
  }
};
