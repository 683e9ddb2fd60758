// A Claire for agent tests: a TempClaire with the real API app in front of it, an API client over
// that app (what hooks and the MCP server use), and a way to run one hook event exactly as
// `claire hook <event>` does, with its stdin, environment and output captured.
import { Writable } from "node:stream";
import { serviceHookApi } from "../../src/agent/hook-local.ts";
import { type HookIo, runHook, type StdinRead } from "../../src/agent/hook-run.ts";
import type { ApiClient, Query } from "../../src/cli/api-client.ts";
import type { SessionRef } from "../../src/domain/session-ref.ts";
import { createTestApp } from "./api-app.ts";
import { createTempClaire, must, type TempClaire } from "./temp-claire.ts";

export type AgentWorld = TempClaire & {
  readonly app: ReturnType<typeof createTestApp>;
  /** An API client over the app, as the hook and MCP code see it. */
  readonly client: (actor?: string) => ApiClient;
  /** Runs one hook event; env gets CLAIRE_HOME = the world's dir. */
  readonly hook: (
    event: string,
    stdin: unknown,
    env?: Record<string, string | undefined>,
  ) => Promise<HookRun>;
  readonly ref: (sessionId: string) => SessionRef;
  readonly eventCount: () => number;
};

export type HookRun = { readonly printed: boolean; readonly stdout: string; readonly stderr: string };

const pathOf = (path: string, query?: Query): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === false) continue;
    params.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
};

export const appClient = (app: ReturnType<typeof createTestApp>, actor = "human:tester"): ApiClient => ({
  mode: "in-process",
  url: "http://127.0.0.1",
  call: async (method, path, opts = {}) => {
    const res = await app.request(pathOf(path, opts.query), {
      method,
      headers: {
        host: "127.0.0.1",
        "x-claire-actor": opts.actor ?? actor,
        ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body };
  },
  close: () => {},
});

export const sink = (): Writable & { text: () => string } => {
  let out = "";
  const w = new Writable({
    write(chunk, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => out;
  return w;
};

/**
 * How `world.hook` reaches Claire: "app", the API app as through a running server; "service", the
 * service itself, as a hook does when no server runs (src/agent/hook-local.ts).
 */
export type HookVia = "app" | "service";

export const createAgentWorld = (
  opts: Parameters<typeof createTempClaire>[0] = {},
  hookVia: HookVia = "app",
): AgentWorld => {
  const c = createTempClaire(opts);
  const app = createTestApp(c.service);
  const world: AgentWorld = {
    ...c,
    app,
    client: (actor) => appClient(app, actor),
    ref: (sessionId) => ({ machineId: c.machineId, sessionId }),
    eventCount: () => c.store.q.events.counts().events,
    hook: async (event, stdin, env = {}) => {
      const stdout = sink();
      const stderr = sink();
      const text = typeof stdin === "string" ? stdin : JSON.stringify(stdin);
      const io: HookIo = {
        readInput: async (): Promise<StdinRead> => ({ text }),
        stdout,
        stderr,
        env: { CLAIRE_HOME: c.dir, ...env },
        ppid: 1,
        connect: async (actor) =>
          hookVia === "app" ? appClient(app, actor) : serviceHookApi(c.service, actor),
      };
      const r = await runHook(event, io);
      return { printed: r.printed, stdout: stdout.text(), stderr: stderr.text() };
    },
  };
  return world;
};

/** A session registered the way its SessionStart hook would (no briefing needed). */
export const registerSession = (w: AgentWorld, sessionId: string, cwd = "/work/proj"): SessionRef => {
  must(w.service.hookEvent({ kind: "session", id: sessionId }, { event: "SessionStart", sessionId, cwd }));
  return w.ref(sessionId);
};

export { must };
