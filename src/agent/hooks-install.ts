// `claire hooks install|uninstall|status`: Claire's entries in Claude Code's settings.json, on
// disk. The file is read strictly (a file that is not JSON is never rewritten), backed up before
// any change, and replaced atomically; every other setting and hook stays as it was.
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { localPaths } from "../runtime/paths.ts";
import { HOOK_EVENT_NAMES, type HookEventName } from "./hook-input.ts";
import {
  type Commands,
  claireCommands,
  claireHookStatus,
  type EventStatus,
  mergeClaireHooks,
  removeClaireHooks,
  SettingsShapeError,
  shellQuote,
} from "./hooks-settings.ts";

export const SCOPES = ["user", "project", "local"] as const;
export type Scope = (typeof SCOPES)[number];

export class HooksFileError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

/** Claude Code's config dir: CLAUDE_CONFIG_DIR, else ~/.claude. */
export const claudeConfigDir = (env: Env, home = homedir()): string => {
  const dir = env.CLAUDE_CONFIG_DIR;
  if (dir === undefined || dir === "") return join(home, ".claude");
  return resolve(dir === "~" ? home : dir.startsWith("~/") ? join(home, dir.slice(2)) : dir);
};

/** user: <config dir>/settings.json; project: .claude/settings.json (shared); local: .claude/settings.local.json. */
export const settingsPath = (scope: Scope, env: Env, projectDir: string): string => {
  switch (scope) {
    case "user":
      return join(claudeConfigDir(env), "settings.json");
    case "project":
      return join(resolve(projectDir), ".claude", "settings.json");
    case "local":
      return join(resolve(projectDir), ".claude", "settings.local.json");
  }
};

/**
 * Claire's bin entry (bin/claire.cjs), absolute: the one this process was started through, else
 * the one beside this code (dist/ or src/agent/ of the package).
 */
export const claireBin = (argv1: string | undefined = process.argv[1]): string => {
  if (argv1 && /claire(\.cjs)?$/.test(argv1) && existsSync(argv1)) return realpathSync(argv1);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "bin", "claire.cjs");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new HooksFileError("cannot find Claire's bin/claire.cjs beside this installation");
};

/** The Claire home to name in installed commands: CLAIRE_HOME when set (absolute), else none. */
export const installedHome = (env: Record<string, string | undefined> = process.env): string | undefined =>
  env.CLAIRE_HOME ? resolve(env.CLAIRE_HOME) : undefined;

/** The commands to install: the running Node (absolute), Claire's entry, and its home if not the default. */
export const currentCommands = (
  node = process.execPath,
  bin = claireBin(),
  home = installedHome(),
): Commands => claireCommands(realpathSync(node), bin, home);

const readSettings = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new HooksFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HooksFileError(
      `${path} is not valid JSON (${(e as Error).message}); fix it or move it aside — Claire never rewrites a file it cannot read`,
    );
  }
};

const stamp = (now: Date) => now.toISOString().replace(/[:.]/g, "-");

/** The file a path names: a symlinked settings.json (a dotfiles repository) is written through. */
const linkTarget = (path: string): string => {
  let current = path;
  for (let i = 0; i < 40; i++) {
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
    } catch {
      return current; // not there (yet): written where it is named
    }
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new HooksFileError(`${path}: too many levels of symbolic links`);
};

/**
 * Writes `settings` to the file `path` names, atomically, after a copy of what was there. A
 * user-scope backup sits beside the file; a project's goes to Claire's data dir, not into the
 * project's `.claude/`, which is usually committed.
 */
const writeSettings = (
  path: string,
  settings: unknown,
  now: Date,
  backupDir: string | null,
): string | null => {
  const target = linkTarget(path);
  mkdirSync(dirname(target), { recursive: true });
  let backup: string | null = null;
  let mode = 0o644;
  if (existsSync(target)) {
    mode = statSync(target).mode & 0o777;
    const name = `${backupDir === null ? target : join(backupDir, target.replace(/^[/\\]+/, "").replace(/[/\\:]/g, "_"))}.claire-backup-${stamp(now)}`;
    if (backupDir !== null) mkdirSync(backupDir, { recursive: true, mode: 0o700 });
    copyFileSync(target, name);
    backup = name;
  }
  const tmp = `${target}.claire-${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode });
  renameSync(tmp, target);
  return backup;
};

/** Where a scope's backups go: beside the user's settings; Claire's data dir for a project's. */
const backupDirFor = (scope: Scope, env: Env): string | null =>
  scope === "user" ? null : join(localPaths(env).dataDir, "hooks-backups");

const shapeError = (path: string, e: unknown): never => {
  if (e instanceof SettingsShapeError)
    throw new HooksFileError(
      `${path}: ${e.message}; fix it by hand first — Claire changes nothing it cannot read`,
    );
  throw e;
};

export type InstallReport = {
  readonly scope: Scope;
  readonly path: string;
  readonly changed: boolean;
  readonly backup: string | null;
  readonly events: Record<HookEventName, string>;
  readonly mcpCommand: string;
};

/**
 * The `claude mcp add` line that registers Claire's MCP server for the same scope. A project's
 * (and a local) scope is the directory `claude` runs in: the line goes there first when the
 * project is not the current directory.
 */
export const mcpAddCommand = (
  scope: Scope,
  projectDir = process.cwd(),
  node = process.execPath,
  bin = claireBin(),
  home = installedHome(),
): string => {
  const dir = resolve(projectDir);
  const cd = scope !== "user" && dir !== resolve(process.cwd()) ? `cd ${shellQuote(dir)} && ` : "";
  return `${cd}claude mcp add -s ${scope} claire${home ? ` -e ${shellQuote(`CLAIRE_HOME=${home}`)}` : ""} -- ${shellQuote(realpathSync(node))} ${shellQuote(bin)} mcp`;
};

export const installHooks = (
  scope: Scope,
  opts: { env?: Env; projectDir?: string; commands?: Commands; now?: Date } = {},
): InstallReport => {
  const env = opts.env ?? process.env;
  const projectDir = opts.projectDir ?? process.cwd();
  const path = settingsPath(scope, env, projectDir);
  const commands = opts.commands ?? currentCommands();
  const current = readSettings(path);
  let merged: ReturnType<typeof mergeClaireHooks>;
  try {
    merged = mergeClaireHooks(current, commands);
  } catch (e) {
    return shapeError(path, e);
  }
  const backup = merged.changed
    ? writeSettings(path, merged.settings, opts.now ?? new Date(), backupDirFor(scope, env))
    : null;
  return {
    scope,
    path,
    changed: merged.changed,
    backup,
    events: commands,
    mcpCommand: mcpAddCommand(scope, projectDir),
  };
};

export type UninstallReport = {
  readonly scope: Scope;
  readonly path: string;
  readonly removed: number;
  readonly backup: string | null;
};

export const uninstallHooks = (
  scope: Scope,
  opts: { env?: Env; projectDir?: string; now?: Date } = {},
): UninstallReport => {
  const env = opts.env ?? process.env;
  const path = settingsPath(scope, env, opts.projectDir ?? process.cwd());
  const current = readSettings(path);
  if (current === undefined) return { scope, path, removed: 0, backup: null };
  let r: ReturnType<typeof removeClaireHooks>;
  try {
    r = removeClaireHooks(current);
  } catch (e) {
    return shapeError(path, e);
  }
  const backup =
    r.removed > 0 ? writeSettings(path, r.settings, opts.now ?? new Date(), backupDirFor(scope, env)) : null;
  return { scope, path, removed: r.removed, backup };
};

export type StatusReport = {
  readonly scope: Scope;
  readonly path: string;
  readonly exists: boolean;
  readonly events: Record<HookEventName, EventStatus>;
  /** Claire's MCP server as Claude Code's config for this scope names it, if it does. */
  readonly mcp: { readonly path: string; readonly command: string | null };
  readonly mcpCommand: string;
};

/**
 * Where `claude mcp add` keeps servers: a project's .mcp.json; else .claude.json in
 * CLAUDE_CONFIG_DIR when that is set, and in the home directory (not ~/.claude) when it is not.
 */
export const mcpConfigPath = (scope: Scope, env: Env, projectDir: string, home = homedir()): string => {
  if (scope === "project") return join(resolve(projectDir), ".mcp.json");
  const dir = env.CLAUDE_CONFIG_DIR;
  return dir === undefined || dir === ""
    ? join(home, ".claude.json")
    : join(claudeConfigDir(env, home), ".claude.json");
};

type McpServers = Record<string, { command?: unknown; args?: unknown }>;

/** Where `claude mcp add -s <scope>` keeps servers: .mcp.json (project), ~/.claude.json (user, local per project). */
const mcpServerCommand = (path: string, scope: Scope, projectDir: string): string | null => {
  try {
    const cfg = JSON.parse(readFileSync(path, "utf8")) as {
      mcpServers?: McpServers;
      projects?: Record<string, { mcpServers?: McpServers }>;
    };
    const servers = scope === "local" ? cfg.projects?.[resolve(projectDir)]?.mcpServers : cfg.mcpServers;
    const s = servers?.claire;
    if (!s || typeof s.command !== "string") return null;
    const args = Array.isArray(s.args) ? s.args.filter((a): a is string => typeof a === "string") : [];
    return [s.command, ...args].map(shellQuote).join(" ");
  } catch {
    return null;
  }
};

export const hooksStatus = (
  scope: Scope,
  opts: { env?: Env; projectDir?: string; commands?: Commands } = {},
): StatusReport => {
  const env = opts.env ?? process.env;
  const projectDir = opts.projectDir ?? process.cwd();
  const path = settingsPath(scope, env, projectDir);
  const current = readSettings(path);
  let events: Record<HookEventName, EventStatus>;
  try {
    events = claireHookStatus(current, opts.commands ?? currentCommands());
  } catch (e) {
    return shapeError(path, e);
  }
  const mcpPath = mcpConfigPath(scope, env, projectDir);
  return {
    scope,
    path,
    exists: current !== undefined,
    events,
    mcp: { path: mcpPath, command: mcpServerCommand(mcpPath, scope, projectDir) },
    mcpCommand: mcpAddCommand(scope, projectDir),
  };
};

export { HOOK_EVENT_NAMES };
