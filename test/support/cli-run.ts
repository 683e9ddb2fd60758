// Running the real CLI as a subprocess (`node_modules/.bin/node bin/claire.cjs …`, never npx),
// each in a throwaway CLAIRE_HOME, and `claire serve` as a child process the tests can stop.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const BIN = join(ROOT, "bin", "claire.cjs");
/** The Node 24 the package pins (the `node` devDependency). */
export const PINNED_NODE = join(ROOT, "node_modules", ".bin", "node");
const BUNDLE = join(ROOT, "dist", "claire.cjs");

const newestMtime = (path: string): number => {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
};

/**
 * The CLI runs from the esbuild bundle. `npm test` builds before vitest; a suite run on its own
 * rebuilds when dist/ is missing or older than the sources, so it never tests stale code.
 */
export const ensureBuilt = (): void => {
  const sources = Math.max(
    newestMtime(join(ROOT, "src")),
    newestMtime(join(ROOT, "scripts", "build.mjs")),
    newestMtime(join(ROOT, "package.json")),
  );
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= sources) return;
  execFileSync(PINNED_NODE, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "pipe" });
};

/** A fresh directory for CLAIRE_HOME (and HOME, so nothing reaches the real ~/.config or ~/.claude). */
export const tempHome = (prefix = "claire-cli-"): string => mkdtempSync(join(tmpdir(), prefix));

/** Variables of the outer environment that would change what the CLI does. */
const SCRUBBED = /^(CLAIRE_|CLAUDE|XDG_|NO_COLOR$|FORCE_COLOR$|NODE_OPTIONS$|CI$)/;

export const cliEnv = (home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED.test(k)) env[k] = v;
  Object.assign(env, { CLAIRE_HOME: home, HOME: home, TERM: "xterm-256color" }, extra);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
};

export type CliResult = {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON when it is JSON, else undefined. */
  readonly json: unknown;
};

export type RunOptions = {
  readonly home: string;
  readonly env?: Record<string, string | undefined>;
  /** The Node binary running bin/claire.cjs (default: the pinned one). */
  readonly node?: string;
  readonly timeoutMs?: number;
  /** The entry to run (default: this checkout's bin/claire.cjs). */
  readonly bin?: string;
  /** Written to stdin, which is then closed (default: an empty stdin). */
  readonly input?: string;
  /** The working directory (default: the home). */
  readonly cwd?: string;
};

const parseJson = (text: string): unknown => {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Runs `<node> bin/claire.cjs ...args` and waits for it to exit. */
export const runCli = (args: readonly string[], opts: RunOptions): Promise<CliResult> =>
  new Promise((done, fail) => {
    const child = spawn(opts.node ?? PINNED_NODE, [opts.bin ?? BIN, ...args], {
      cwd: opts.cwd ?? opts.home,
      env: cliEnv(opts.home, opts.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    // A command that never reads stdin may exit before the write: its EPIPE is no failure.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`claire ${args.join(" ")} did not finish in ${opts.timeoutMs ?? 30_000} ms`));
    }, opts.timeoutMs ?? 30_000);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ args, code, signal, stdout, stderr, json: parseJson(stdout) });
    });
  });

export type Served = {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly process: ChildProcess;
  /** The server's stderr so far: pino JSON lines (and anything else it printed). */
  readonly logLines: () => string[];
  /** Request log entries so far. */
  readonly requests: () => { method: string; path: string; status: number }[];
  /** Sends the signal and waits for the exit. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const running = new Set<ChildProcess>();

/** Starts `claire serve --port 0` (or the given args) and resolves once it printed its URL. */
export const startServe = (
  home: string,
  args: readonly string[] = ["--port", "0"],
  env: Record<string, string | undefined> = {},
): Promise<Served> =>
  new Promise((done, fail) => {
    const child = spawn(PINNED_NODE, [BIN, "serve", ...args], {
      cwd: home,
      env: cliEnv(home, env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let stdout = "";
    let stderr = "";
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on("exit", (code, signal) => {
        running.delete(child);
        r({ code, signal });
      }),
    );
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`claire serve did not start within 20 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 20_000);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      fail(new Error(`claire serve exited (${code}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const m = /Claire is running at (http:\/\/\S+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1]!;
      const logLines = () => stderr.split("\n").filter(Boolean);
      done({
        url,
        port: Number(new URL(url).port),
        pid: child.pid!,
        process: child,
        logLines,
        requests: () =>
          logLines().flatMap((l) => {
            try {
              const j = JSON.parse(l) as { msg?: string; method?: string; path?: string; status?: number };
              return j.msg === "request" ? [{ method: j.method!, path: j.path!, status: j.status! }] : [];
            } catch {
              return [];
            }
          }),
        stop: (signal = "SIGTERM") => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
        exited,
      });
    });
  });

/** Kills every server a suite started and did not stop (for afterAll). */
export const killAllServes = async (): Promise<void> => {
  await Promise.all(
    [...running].map(
      (c) =>
        new Promise<void>((r) => {
          c.once("exit", () => r());
          c.kill("SIGKILL");
        }),
    ),
  );
};

/** A loopback port nothing listens on (bound, then released). */
export const closedPort = (): Promise<number> =>
  new Promise((done, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });

/** The machine_id of a home's claire.toml. */
export const machineIdOf = (home: string): string => {
  const m = /^machine_id\s*=\s*"([^"]+)"/m.exec(readFileSync(join(home, "claire.toml"), "utf8"));
  if (!m) throw new Error(`no machine_id in ${home}/claire.toml`);
  return m[1]!;
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: detecting ANSI escapes is the point
export const ANSI = /\u001b\[/;
