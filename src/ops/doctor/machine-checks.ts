// Doctor checks on this machine around the database: the Node runtime, claire.toml, the server,
// the service unit, Claude Code's config dirs, Claire's hooks in them, the session lister.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HOOK_EVENT_NAMES } from "../../agent/hook-input.ts";
import { isClaireCommand } from "../../agent/hooks-settings.ts";
import type { Config } from "../../config/index.ts";
import type { ServerInfo } from "../../runtime/server-file.ts";
import { findOnPath, splitCommandLine } from "../../sessions/run-program.ts";
import { unitBody, unitPrograms } from "../systemd.ts";
import { type Check, fail, pass, warn } from "./check.ts";

const MIN_NODE = [22, 12] as const;

export const nodeCheck = (version: string, execPath: string): Check => {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? pass("node", "Node.js", `${version} (${execPath}); Claire needs ${MIN_NODE.join(".")} or newer`)
    : fail(
        "node",
        "Node.js",
        `${version} (${execPath}) is older than ${MIN_NODE.join(".")}`,
        "install Node.js 24 LTS (https://nodejs.org, your package manager, or nvm install 24)",
      );
};

export const serverCheck = (running: ServerInfo | null, peers: number): Check =>
  running
    ? pass(
        "server",
        "claire serve",
        `running at ${running.url} (pid ${running.pid}, since ${running.startedAt})`,
      )
    : warn(
        "server",
        "claire serve",
        `not running for this Claire home: ${peers > 0 ? "peers are not synced and " : ""}sessions are only looked at when you run a command`,
        "run it as a service: claire service install (or in a terminal: claire serve)",
      );

const WILDCARD = new Set(["0.0.0.0", "::"]);
const isLoopback = (host: string) =>
  host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * Where serve listens, against who must reach it: peers need a non-loopback address (and a token
 * to present), and the names they use must be allowed as Host.
 */
export const listenCheck = (
  config: Config,
  hasTokens: boolean | null,
  running: { readonly url: string } | null = null,
): Check => {
  // Where the running server really listens (--host/--port may differ from claire.toml, and
  // --port 0 picks one), else where claire.toml says it will.
  const live = running ? new URL(running.url) : null;
  const host = live ? live.hostname.replace(/^\[|\]$/g, "") : config.server.host;
  const port = live ? Number(live.port) : config.server.port;
  const where = `claire serve ${live ? "listens" : "will listen"} on ${host}:${port}`;
  // Peers on this machine (another home on loopback) can pull from a loopback server.
  const remotePeers = config.peers.filter(
    (p) => !isLoopback(new URL(p.url).hostname.replace(/^\[|\]$/g, "")),
  );
  if (isLoopback(host))
    return remotePeers.length === 0
      ? pass("server.listen", "listen address", `${where} (this machine only)`)
      : warn(
          "server.listen",
          "listen address",
          `${where}: peers cannot pull from this machine (it still pushes its own events to them, but relays nothing)`,
          'in claire.toml set [server] host = "0.0.0.0" and allowed_hosts = ["<this machine\'s VPN address or name>"], make tokens for the peers (claire token create), restart claire serve',
        );
  if (hasTokens === false)
    return fail(
      "server.listen",
      "listen address",
      `${where}, but no API token exists: claire serve refuses to start off loopback without one`,
      "claire token create <name> (give it to the peer), then start claire serve again",
    );
  // On one specific address, serve allows that address as a Host by itself (and its own CLI and
  // hooks, arriving from it, count as local); on every interface, peers' names must be listed.
  // Whether or not this machine names peers: the ones that pull from it are the point of listening
  // on every interface, and it need not pull from them.
  return WILDCARD.has(host) && config.server.allowedHosts.length === 0
    ? warn(
        "server.listen",
        "listen address",
        `${where}, but server.allowed_hosts is empty: peers reaching it by address or name get 403 (Host not allowed)`,
        'add the names and addresses peers use for this machine: [server] allowed_hosts = ["100.64.0.3", "desk.tail1234.ts.net"]',
      )
    : pass(
        "server.listen",
        "listen address",
        `${where}; other machines may use ${config.server.allowedHosts.join(", ") || "(no names yet)"}`,
      );
};

/** The installed unit, if any: its Node and Claire must still exist. */
export const unitCheck = (unitPath: string, expectedBody: string | null): Check | null => {
  if (!existsSync(unitPath)) return null;
  const text = readFileSync(unitPath, "utf8");
  const missing = unitPrograms(text).filter((p) => !existsSync(p));
  if (missing.length > 0)
    return fail(
      "service",
      "service unit",
      `${unitPath} runs ${missing.join(" and ")}, which no longer exist${missing.length === 1 ? "s" : ""}: the service cannot start`,
      "install it again from a shell where `claire` works: claire service install",
    );
  if (expectedBody !== null && unitBody(text) !== expectedBody)
    return warn(
      "service",
      "service unit",
      `${unitPath} differs from what \`claire service install\` would write from this shell (another Node, Claire, PATH or CLAIRE_HOME)`,
      "if this shell is the one the service should match: claire service install",
    );
  return pass("service", "service unit", `${unitPath} is installed and current`);
};

export const claudeDirsCheck = (dirs: readonly string[]): Check => {
  const found = dirs.filter((d) => existsSync(d));
  const absent = dirs.filter((d) => !existsSync(d));
  if (found.length === 0)
    return warn(
      "claude.dirs",
      "Claude Code config dirs",
      `none found (looked for ${dirs.join(", ")}): Claude Code has not run here as this user, so there are no local sessions to find`,
      "if Claude Code keeps its files elsewhere, set CLAUDE_CONFIG_DIR (also for the service: claire service install) or sessions.claude_config_dirs in claire.toml",
    );
  if (absent.length > 0)
    return warn(
      "claude.dirs",
      "Claude Code config dirs",
      `found ${found.join(", ")}; missing ${absent.join(", ")}`,
      "remove the missing ones from sessions.claude_config_dirs in claire.toml, or create them",
    );
  return pass("claude.dirs", "Claude Code config dirs", found.join(", "));
};

const hookCommands = (settings: unknown): { event: string; command: string }[] => {
  const hooks = (settings as { hooks?: unknown } | null)?.hooks;
  if (typeof hooks !== "object" || hooks === null) return [];
  const out: { event: string; command: string }[] = [];
  const walk = (event: string, v: unknown) => {
    if (Array.isArray(v)) for (const x of v) walk(event, x);
    else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v)) {
        if (k === "command" && typeof x === "string") out.push({ event, command: x });
        else walk(event, x);
      }
  };
  for (const [event, v] of Object.entries(hooks)) walk(event, v);
  return out;
};

export const hooksCheck = (dirs: readonly string[], home: string): Check | null => {
  const existing = dirs.filter((d) => existsSync(d));
  if (existing.length === 0) return null;
  const events = new Set<string>();
  const broken: string[] = [];
  const withHooks: string[] = [];
  const unreadable: string[] = [];
  for (const dir of existing) {
    const file = join(dir, "settings.json");
    if (!existsSync(file)) continue;
    let settings: unknown;
    try {
      settings = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      unreadable.push(`${file} (${(e as Error).message})`);
      continue;
    }
    const ours = hookCommands(settings).filter((h) => isClaireCommand(h.command));
    if (ours.length === 0) continue;
    withHooks.push(file);
    for (const h of ours) {
      events.add(h.event);
      const words = splitCommandLine(h.command, home);
      if (Array.isArray(words))
        for (const w of words.slice(0, 2))
          if (w.startsWith("/") && !existsSync(w)) broken.push(`${h.event} runs ${w}, which does not exist`);
    }
  }
  if (broken.length > 0)
    return fail(
      "claude.hooks",
      "Claire's hooks",
      `${[...new Set(broken)].join("; ")}: Claude Code's hooks fail (silently) and live states and messages stop`,
      "install them again from a shell where `claire` works: claire hooks install",
    );
  if (withHooks.length === 0)
    return warn(
      "claude.hooks",
      "Claire's hooks",
      `not installed in ${existing.map((d) => join(d, "settings.json")).join(", ")}${unreadable.length ? `; unreadable: ${unreadable.join(", ")}` : ""}: sessions are still found from their transcripts, but live states come later and messages are not put in front of the agents`,
      "claire hooks install",
    );
  const absent = HOOK_EVENT_NAMES.filter((e) => !events.has(e));
  if (absent.length > 0)
    return warn(
      "claude.hooks",
      "Claire's hooks",
      `installed in ${withHooks.join(", ")}, but not for ${absent.join(", ")}`,
      "claire hooks install (it adds the missing ones and leaves everything else as it is)",
    );
  return pass(
    "claude.hooks",
    "Claire's hooks",
    `installed in ${withHooks.join(", ")} for ${[...events].sort().join(", ")}`,
  );
};

export const commandSourceCheck = (
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): Check | null => {
  if (!config.sessions.sources.includes("command")) return null;
  const line = config.sessions.command ?? "";
  const words = splitCommandLine(line, home);
  if (!Array.isArray(words))
    return fail(
      "sessions.command",
      "session source command",
      `sessions.command = "${line}" cannot be read: ${words.error}`,
      "fix sessions.command in claire.toml (a program and its arguments, quoted as in a shell)",
    );
  const program = words[0]!;
  const found = findOnPath(program, env.PATH);
  return found
    ? pass("sessions.command", "session source command", `${program} is ${found}`)
    : fail(
        "sessions.command",
        "session source command",
        `${program} (from sessions.command) is not ${program.includes("/") ? "an executable file" : "on PATH"}: no sessions come from it`,
        `install ${program}, or give its full path in sessions.command, or remove "command" from sessions.sources; a service has the PATH it was installed with (claire service install again)`,
      );
};
