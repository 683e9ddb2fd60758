// Where Claire keeps its database and claire.toml: XDG base directories, or CLAIRE_HOME for both.
import { isAbsolute, join, resolve } from "node:path";

export type ClairePaths = {
  readonly dataDir: string;
  readonly configDir: string;
  readonly dbPath: string;
  readonly configPath: string;
};

export type Env = Readonly<Record<string, string | undefined>>;

// The XDG spec says a relative (or empty) value is invalid and must be ignored, so a stray
// `XDG_DATA_HOME=data` cannot scatter databases over whatever directory claire was run from.
const xdgDir = (value: string | undefined, fallback: string): string =>
  value !== undefined && value !== "" && isAbsolute(value) ? value : fallback;

export const resolvePaths = (env: Env, homedir: string): ClairePaths => {
  const home = env.CLAIRE_HOME;
  if (home !== undefined && home !== "") {
    // CLAIRE_HOME is a path the user typed, so a relative one means "from here", as in a shell.
    const dir = resolve(home);
    return {
      dataDir: dir,
      configDir: dir,
      dbPath: join(dir, "claire.db"),
      configPath: join(dir, "claire.toml"),
    };
  }
  const dataDir = join(xdgDir(env.XDG_DATA_HOME, join(homedir, ".local", "share")), "claire");
  const configDir = join(xdgDir(env.XDG_CONFIG_HOME, join(homedir, ".config")), "claire");
  return {
    dataDir,
    configDir,
    dbPath: join(dataDir, "claire.db"),
    configPath: join(configDir, "claire.toml"),
  };
};

/** `~/x` in claire.toml means the home directory, as users expect from shells. */
export const expandHome = (path: string, homedir: string): string =>
  path === "~" ? homedir : path.startsWith("~/") ? join(homedir, path.slice(2)) : path;

/**
 * The Claude Code config directories to scan: CLAUDE_CONFIG_DIR (else ~/.claude) first, then the
 * extra ones from `sessions.claude_config_dirs`, without duplicates.
 */
export const resolveClaudeConfigDirs = (
  extra: readonly string[],
  env: Env,
  homedir: string,
): readonly string[] => {
  const fromEnv = env.CLAUDE_CONFIG_DIR;
  const primary =
    fromEnv !== undefined && fromEnv !== ""
      ? resolve(expandHome(fromEnv, homedir))
      : join(homedir, ".claude");
  const all = [primary, ...extra.map((dir) => resolve(expandHome(dir, homedir)))];
  return [...new Set(all)];
};
