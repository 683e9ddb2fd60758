// Runs the real Claude Code CLI (@anthropic-ai/claude-code, a devDependency) offline: only against
// a loopback stand-in for the Messages API (see fake-anthropic.ts), with HOME and CLAUDE_CONFIG_DIR
// in temp dirs, non-essential traffic off, and a hard time limit on every run.
//
// The child's environment is built from a short allowlist, never the whole parent environment:
// when the tests themselves run inside Claude Code, inherited CLAUDECODE / CLAUDE_CODE_* /
// ANTHROPIC_* variables would otherwise change what the child does (or where it connects).
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ClaudeRunOptions {
  args: string[];
  cwd: string;
  /** Temp dir used as HOME (claude writes ~/.claude.json-like state under CLAUDE_CONFIG_DIR). */
  home: string;
  /** Temp dir used as CLAUDE_CONFIG_DIR (transcripts, settings.json, sessions/). */
  configDir: string;
  /**
   * CLAUDE_CODE_TMPDIR: where claude puts its scratch dirs and messaging sockets (else /tmp/claude-<uid>
   * and /tmp/cc-socks). Default `<home>/.tmp`. Keep the path short: sockets live under it.
   */
  tmpDir?: string;
  /** The stand-in's URL, e.g. `http://127.0.0.1:43210`. Must be loopback. */
  baseUrl: string;
  /** Extra variables; `undefined` removes one. Applied last, but cannot lift the safety settings. */
  env?: Record<string, string | undefined>;
  /** Hard limit; the whole process group is SIGKILLed after it. Default 60 s. */
  timeoutMs?: number;
  /** Written to stdin, then stdin is closed (unless keepStdinOpen). Default: stdin closed at once. */
  stdin?: string;
  /** Leave stdin open (e.g. `--input-format stream-json` turns written later through `child.stdin`). */
  keepStdinOpen?: boolean;
}

export interface ClaudeRunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface SpawnedClaude {
  child: ChildProcess;
  pid: number;
  /** Settles when the process exits (or is killed by the time limit). */
  result: Promise<ClaudeRunResult>;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Signal the process group (claude and the hooks / MCP servers it started). */
  kill(signal?: NodeJS.Signals): void;
}

const BINARY = fileURLToPath(new URL("../../node_modules/.bin/claude", import.meta.url));

/** Absolute path of the pinned claude binary; throws one line saying what to install if missing. */
export function findClaudeBinary(): string {
  try {
    accessSync(BINARY, constants.X_OK);
    // The npm package's postinstall swaps a small placeholder for the native build.
    if (statSync(BINARY).size < 1_000_000) throw new Error("placeholder");
  } catch {
    throw new Error(
      `claude CLI missing at ${BINARY}: run \`npm ci\` (installs devDependency @anthropic-ai/claude-code 2.1.330 and runs its postinstall)`,
    );
  }
  return BINARY;
}

/** Variables copied from the parent; everything else is dropped. */
const INHERITED = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER", "LOGNAME", "SHELL"];

/** Safety settings that every run gets and `env` cannot override. */
const SAFE = {
  ANTHROPIC_API_KEY: "dummy",
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  DISABLE_AUTOUPDATER: "1",
  DISABLE_TELEMETRY: "1",
  DISABLE_ERROR_REPORTING: "1",
  DISABLE_BUG_COMMAND: "1",
  CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: "1",
  CLAUDE_CODE_ENABLE_TELEMETRY: "0",
  // Interactive sessions otherwise try to `git clone` the official plugin marketplace from GitHub.
  CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: "1",
};

export function claudeEnv(
  opts: Pick<ClaudeRunOptions, "home" | "configDir" | "baseUrl" | "env" | "tmpDir">,
): NodeJS.ProcessEnv {
  const url = new URL(opts.baseUrl);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) {
    throw new Error(`claude-runner: refusing non-loopback ANTHROPIC_BASE_URL ${opts.baseUrl}`);
  }
  const env: NodeJS.ProcessEnv = {};
  for (const k of INHERITED) if (process.env[k] !== undefined) env[k] = process.env[k];
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const tmpDir = opts.tmpDir ?? join(opts.home, ".tmp");
  mkdirSync(tmpDir, { recursive: true });
  Object.assign(env, SAFE, {
    CLAUDE_CODE_TMPDIR: tmpDir,
    HOME: opts.home,
    CLAUDE_CONFIG_DIR: opts.configDir,
    ANTHROPIC_BASE_URL: opts.baseUrl.replace(/\/$/, ""),
  });
  // Never route the stand-in's traffic (or anything else) through a proxy.
  for (const k of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"])
    delete env[k];
  env.NO_PROXY = "*";
  return env;
}

/** Start claude and return at once (for liveness tests); the time limit still applies. */
export function spawnClaude(opts: ClaudeRunOptions): SpawnedClaude {
  const bin = findClaudeBinary();
  const started = Date.now();
  const child = spawn(bin, opts.args, {
    cwd: opts.cwd,
    env: claudeEnv(opts),
    stdio: ["pipe", "pipe", "pipe"],
    // Own process group, so the time limit also ends the hooks and MCP servers claude started.
    detached: true,
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  child.stdin?.on("error", () => {});
  if (opts.stdin !== undefined) child.stdin?.write(opts.stdin);
  if (!opts.keepStdinOpen) child.stdin?.end();

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup("SIGKILL");
  }, opts.timeoutMs ?? 60_000);

  const result = new Promise<ClaudeRunResult>((resolve, reject) => {
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      // Leftovers of the group (a hook still sleeping, an MCP server) go too.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
      resolve({ code, signal, stdout: out, stderr: err, durationMs: Date.now() - started, timedOut });
    });
  });
  return {
    child,
    pid: child.pid ?? -1,
    result,
    stdout: () => out,
    stderr: () => err,
    kill: killGroup,
  };
}

/** Run claude to completion. */
export function runClaude(opts: ClaudeRunOptions): Promise<ClaudeRunResult> {
  return spawnClaude(opts).result;
}
