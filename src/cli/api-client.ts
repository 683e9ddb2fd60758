// The CLI's only way to do anything: the HTTP API, either of the running server (found through
// --server, CLAIRE_SERVER or the serve.json a running `claire serve` leaves beside its database)
// or, when none runs, the very same Hono app in this process. One code path either way.
import { hostname, userInfo } from "node:os";
import { CliError, EXIT } from "./exit-codes.ts";

export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
export type ApiResponse = { readonly status: number; readonly body: unknown };

export type ApiClient = {
  readonly mode: "remote" | "in-process";
  readonly url: string;
  readonly call: (
    method: string,
    path: string,
    opts?: { query?: Query; body?: unknown },
  ) => Promise<ApiResponse>;
  readonly close: () => void;
};

export type ClientOptions = { readonly server?: string | undefined };

const actorHeader = (): string => {
  let user = "user";
  try {
    user = userInfo().username;
  } catch {}
  return `human:${user}@${hostname()}`;
};

const buildPath = (path: string, query?: Query): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) params.set(k, v.join(","));
    } else params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
};

const headers = (url: string, body: unknown): Record<string, string> => {
  const h: Record<string, string> = { "x-claire-actor": actorHeader(), accept: "application/json" };
  if (body !== undefined) h["content-type"] = "application/json";
  const token = process.env.CLAIRE_TOKEN;
  if (token) h.authorization = `Bearer ${token}`;
  h.host = new URL(url).host;
  return h;
};

const parseBody = async (res: Response): Promise<unknown> => {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const remoteClient = (url: string): ApiClient => ({
  mode: "remote",
  url,
  call: async (method, path, opts = {}) => {
    const res = await fetch(url + buildPath(path, opts.query), {
      method,
      headers: headers(url, opts.body),
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: res.status, body: await parseBody(res) };
  },
  close: () => {},
});

const reachable = async (url: string): Promise<boolean> => {
  try {
    const res = await fetch(`${url}/api/v1/health`, {
      signal: AbortSignal.timeout(2_000),
      headers: { host: new URL(url).host },
    });
    return res.status < 500;
  } catch {
    return false;
  }
};

const inProcessClient = async (): Promise<ApiClient> => {
  // Loaded only here, so commands that reach a running server never load the server code.
  const { openInProcessApp } = await import("./in-process.ts");
  const { app, close } = openInProcessApp();
  const url = "http://127.0.0.1";
  return {
    mode: "in-process",
    url,
    call: async (method, path, opts = {}) => {
      const res = await app.request(buildPath(path, opts.query), {
        method,
        headers: headers(url, opts.body),
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      return { status: res.status, body: await parseBody(res) };
    },
    close,
  };
};

export const connect = async (opts: ClientOptions): Promise<ApiClient> => {
  const named = opts.server ?? process.env.CLAIRE_SERVER;
  if (named) {
    const url = named.replace(/\/+$/, "");
    try {
      new URL(url);
    } catch {
      throw new CliError(`'${named}' is not a URL (expected e.g. http://127.0.0.1:8765)`, EXIT.usage);
    }
    if (!(await reachable(url))) {
      throw new CliError(`no Claire server answers at ${url}`, EXIT.unreachable, [
        "start one with `claire serve`, or drop --server / CLAIRE_SERVER to work on the local database directly",
      ]);
    }
    return remoteClient(url);
  }
  const { runningServer } = await import("../runtime/server-file.ts");
  const { localPaths } = await import("../runtime/paths.ts");
  const running = runningServer(localPaths().dataDir);
  if (running && (await reachable(running.url))) return remoteClient(running.url);
  return inProcessClient();
};
