// The CLI's only way to do anything: the HTTP API, either of the running server (found through
// --server, CLAIRE_SERVER or the serve.json a running `claire serve` leaves beside its database)
// or, when none runs, the very same Hono app in this process. One code path either way.
import { hostname, userInfo } from "node:os";
import { CliError, EXIT } from "./exit-codes.ts";
import { installLightFetch, LightRequest } from "./light-fetch.ts";

export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
export type ApiResponse = { readonly status: number; readonly body: unknown };

export type ApiClient = {
  readonly mode: "remote" | "in-process";
  readonly url: string;
  readonly call: (
    method: string,
    path: string,
    opts?: { query?: Query; body?: unknown; actor?: string },
  ) => Promise<ApiResponse>;
  readonly close: () => void;
};

export type ClientOptions = {
  readonly server?: string | undefined;
  /** X-Claire-Actor for every call (a call may name its own); default: this user on this host. */
  readonly actor?: string | undefined;
  /** What answers when no server runs; default: the API app in this process (in-process.ts). */
  readonly inProcess?: ((actor?: string) => Promise<ApiClient>) | undefined;
};

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

const headers = (url: string, body: unknown, actor?: string): Record<string, string> => {
  const h: Record<string, string> = { "x-claire-actor": actor ?? actorHeader(), accept: "application/json" };
  if (body !== undefined) h["content-type"] = "application/json";
  const token = process.env.CLAIRE_TOKEN;
  if (token) h.authorization = `Bearer ${token}`;
  h.host = new URL(url).host;
  return h;
};

const parseText = (text: string): unknown => {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * One request over node:http. Not fetch(): loading undici costs a CLI call more than the request
 * itself, and the thin client must start about as fast as `node -e 0`.
 */
const httpCall = async (
  url: string,
  method: string,
  path: string,
  body: unknown,
  timeoutMs: number,
  actor?: string,
): Promise<ApiResponse> => {
  // Not import(): the ESM facade of node:http reads every export, and one of them lazily loads
  // undici (30 ms, more than this whole request). getBuiltinModule works in ES modules and in the
  // CommonJS hook bundle alike.
  const { request } = process.getBuiltinModule("node:http");
  const u = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname.replace(/^\[|\]$/g, ""),
        port: u.port || 80,
        method,
        path,
        headers: headers(url, body, actor),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: parseText(Buffer.concat(chunks).toString("utf8")) }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (payload !== undefined) req.end(payload);
    else req.end();
  });
};

/** Errors of a request that never reached a server: answering it locally cannot repeat a write. */
const NEVER_SENT = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EADDRNOTAVAIL",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

const unreachable = (url: string, cause: unknown): CliError =>
  new CliError(
    `no Claire server answers at ${url} (${(cause as Error)?.message ?? cause})`,
    EXIT.unreachable,
    [
      "start one with `claire serve`, or drop --server / CLAIRE_SERVER to work on the local database directly",
    ],
  );

const remoteClient = (url: string, actor?: string): ApiClient => ({
  mode: "remote",
  url,
  call: async (method, path, opts = {}) => {
    try {
      return await httpCall(url, method, buildPath(path, opts.query), opts.body, 60_000, opts.actor ?? actor);
    } catch (e) {
      throw unreachable(url, e);
    }
  },
  close: () => {},
});

const inProcessClient = async (actor?: string): Promise<ApiClient> => {
  // Loaded only here, so commands that reach a running server never load the server code.
  const { openInProcessApp } = await import("./in-process.ts");
  // Before the app exists: Hono builds its responses from these (see light-fetch.ts).
  installLightFetch();
  const app = openInProcessApp();
  const url = "http://127.0.0.1";
  return {
    mode: "in-process",
    url,
    call: async (method, path, opts = {}) => {
      const request = new LightRequest(`${url}${buildPath(path, opts.query)}`, {
        method,
        headers: headers(url, opts.body, opts.actor ?? actor),
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
      });
      const res = await app.fetch(request as unknown as Request);
      return { status: res.status, body: parseText(await res.text()) };
    },
    close: app.close,
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
    return remoteClient(url, opts.actor);
  }
  const { runningServer } = await import("../runtime/server-file.ts");
  const { localPaths } = await import("../runtime/paths.ts");
  const local = opts.inProcess ?? inProcessClient;
  const running = runningServer(localPaths().dataDir);
  if (!running) return local(opts.actor);
  // A server this machine started: use it, and if it stopped answering, work directly instead.
  const remote = remoteClient(running.url, opts.actor);
  let fallback: ApiClient | null = null;
  return {
    // In-process once the server stopped answering: a long-lived caller (agent-api.ts) then looks
    // for a server again before each call, and goes back to one that started since.
    get mode() {
      return fallback ? "in-process" : "remote";
    },
    url: running.url,
    call: async (method, path, o = {}) => {
      if (fallback) return fallback.call(method, path, o);
      try {
        return await httpCall(
          running.url,
          method,
          buildPath(path, o.query),
          o.body,
          60_000,
          o.actor ?? opts.actor,
        );
      } catch (e) {
        // A write the server may have taken (it stalled, or broke off after the request went out)
        // must not be made a second time here: say so instead. A read, or a request that never
        // reached it (nothing listens), is safe to answer locally.
        if (method !== "GET" && method !== "HEAD" && !NEVER_SENT.has((e as NodeJS.ErrnoException).code ?? ""))
          throw new CliError(
            `the server at ${running.url} took the request but did not answer (${(e as Error).message}); it may have been applied`,
            EXIT.unreachable,
            ["check (e.g. `claire task list`) before running the command again"],
          );
        fallback = await local(opts.actor);
        return fallback.call(method, path, o);
      }
    },
    close: () => {
      remote.close();
      fallback?.close();
    },
  };
};
