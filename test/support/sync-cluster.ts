// Real Claire processes for the sync end-to-end suites: homes made with `claire init` and
// `claire token create`, `claire serve` children (optionally inside a network namespace), CLI
// calls with a time limit, and API calls. Every child is tracked; killAll() ends whatever is left.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const NODE = join(ROOT, "node_modules", ".bin", "node");
export const BIN = join(ROOT, "bin", "claire.cjs");
const BUNDLE = join(ROOT, "dist", "claire.cjs");

const newest = (path: string): number => {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = st.mtimeMs;
  for (const e of readdirSync(path)) n = Math.max(n, newest(join(path, e)));
  return n;
};

/** `npm test` builds first; a suite run on its own rebuilds a missing or stale bundle. */
export const ensureBuilt = (): void => {
  if (existsSync(BUNDLE) && statSync(BUNDLE).mtimeMs >= newest(join(ROOT, "src"))) return;
  execFileSync(NODE, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "pipe" });
};

const children = new Set<ChildProcess>();
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

/** Kills (SIGKILL) every child still running; for afterAll and failure paths. */
export const killAll = async (): Promise<void> => {
  const left = [...children].filter(alive);
  for (const c of left) c.kill("SIGKILL");
  await Promise.all(left.map((c) => new Promise((r) => (alive(c) ? c.once("exit", r) : r(null)))));
  children.clear();
};

export type Run = { code: number | null; stdout: string; stderr: string; json: unknown };

/** Runs a command to completion, killing it after timeoutMs. */
export const run = (
  cmd: string,
  args: readonly string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Run> =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: ROOT });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      children.delete(child);
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {}
      resolvePromise({ code, stdout, stderr, json });
    });
  });

export type Home = {
  readonly name: string;
  readonly dir: string;
  readonly machineId: string;
  /** A token this machine accepts (what its peers present). */
  readonly token: string;
  /** Network namespace its processes run in, if any. */
  readonly netns?: string | undefined;
  /** Environment for its processes; CLAIRE_TOKEN lets its own CLI through auth.require = always. */
  readonly env: NodeJS.ProcessEnv;
};

const SCRUBBED = /^(CLAIRE_|CLAUDE|XDG_|NODE_OPTIONS$)/;

const baseEnv = (dir: string): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED.test(k)) env[k] = v;
  mkdirSync(join(dir, "claude"), { recursive: true });
  return {
    ...env,
    CLAIRE_HOME: dir,
    HOME: dir,
    CLAUDE_CONFIG_DIR: join(dir, "claude"),
    CLAIRE_LOG_LEVEL: "warn",
    NO_COLOR: "1",
  };
};

/** The CLI of a home: `node bin/claire.cjs ...`, inside its namespace when it has one. */
export const claire = (
  h: Pick<Home, "env" | "netns">,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<Run> =>
  h.netns
    ? run("ip", ["netns", "exec", h.netns, NODE, BIN, ...args], { env: h.env, timeoutMs })
    : run(NODE, [BIN, ...args], { env: h.env, timeoutMs });

/** Like claire(), but fails with the output when the exit code is not 0. */
export const must = async (h: Pick<Home, "env" | "netns">, args: readonly string[]): Promise<Run> => {
  const r = await claire(h, args);
  if (r.code !== 0) throw new Error(`claire ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};

/** A new home: `claire init`, extra claire.toml text, and a token made with `claire token create`. */
export const makeHome = async (
  name: string,
  opts: { toml?: string; netns?: string; prefix?: string } = {},
) => {
  const dir = mkdtempSync(join(tmpdir(), opts.prefix ?? `claire-sync-${name}-`));
  const env = baseEnv(dir);
  const h0 = { env, netns: opts.netns };
  const init = await must(h0, ["init", "--json"]);
  const machineId = (init.json as { machineId: string }).machineId;
  if (opts.toml) appendFileSync(join(dir, "claire.toml"), `\n${opts.toml}\n`);
  const token = ((await must(h0, ["token", "create", "fleet", "--json"])).json as { token: string }).token;
  const home: Home = { name, dir, machineId, token, netns: opts.netns, env: { ...env, CLAIRE_TOKEN: token } };
  return home;
};

export const removeHome = (h: Home) => rmSync(h.dir, { recursive: true, force: true });

export type Served = {
  readonly home: Home;
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly output: () => string;
  /** SIGTERM and wait (SIGKILL after 15 s). */
  readonly stop: () => Promise<number | null>;
  /** SIGKILL and wait. */
  readonly kill9: () => Promise<void>;
};

/** Starts `claire serve` and waits for the URL it prints. */
export const serve = async (
  home: Home,
  opts: { host?: string; port?: number; timeoutMs?: number } = {},
): Promise<Served> => {
  const args = [BIN, "serve", "--port", String(opts.port ?? 0), ...(opts.host ? ["--host", opts.host] : [])];
  const child = home.netns
    ? spawn("ip", ["netns", "exec", home.netns, NODE, ...args], { env: home.env, cwd: ROOT })
    : spawn(NODE, args, { env: home.env, cwd: ROOT });
  children.add(child);
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let url: string | undefined;
  while (!url) {
    url = /Claire is running at (\S+)/.exec(out)?.[1];
    if (url) break;
    if (!alive(child) || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`claire serve (${home.name}) did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    home,
    url,
    port: Number(new URL(url).port),
    child,
    output: () => out,
    stop: async () => {
      if (!alive(child)) return child.exitCode;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(t);
      children.delete(child);
      return code;
    },
    kill9: async () => {
      if (alive(child)) child.kill("SIGKILL");
      await exited;
      children.delete(child);
    },
  };
};

/** A JSON API call to a server on loopback, with the home's token. */
export const api = async <T>(
  s: Pick<Served, "url" | "home">,
  path: string,
  init: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${s.url}/api/v1${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${s.home.token}`,
      ...(init.body !== undefined && { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
};

type Vector = { machineId: string; epoch: number; contiguous: number; count: number; maxOriginSeq: number }[];

/** The version vectors of every server, read through the API. */
export const vectors = async (servers: readonly Pick<Served, "url" | "home">[]): Promise<string[]> =>
  Promise.all(
    servers.map(async (s) => {
      const r = await api<{ vector: Vector }>(s, "/sync/summary");
      if (r.status !== 200) throw new Error(`summary of ${s.home.name}: HTTP ${r.status}`);
      return JSON.stringify(r.body.vector);
    }),
  );

/** Polls until every server reports the same version vector; returns the milliseconds it took. */
export const waitConverged = async (
  servers: readonly Pick<Served, "url" | "home">[],
  timeoutMs: number,
): Promise<number> => {
  const start = Date.now();
  let last: string[] = [];
  while (Date.now() - start < timeoutMs) {
    try {
      last = await vectors(servers);
      if (last.every((v) => v === last[0])) return Date.now() - start;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no convergence within ${timeoutMs} ms:\n${last.join("\n")}`);
};

/** Waits until fn returns a truthy value (polling every 100 ms). */
export const eventually = async <T>(
  what: string,
  fn: () => Promise<T> | T,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
};
