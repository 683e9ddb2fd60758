// What every API-backed command shares: connect, call, turn a problem body into a CliError,
// print JSON (--json) or the human form.
import type { Command } from "commander";
import { type ApiClient, type ApiResponse, connect, type Query } from "./api-client.ts";
import { CliError, EXIT } from "./exit-codes.ts";
import { terminalSafe } from "./format.ts";
import { writeStdout } from "./stdout.ts";

type Problem = { detail?: string; errors?: { path: string; message: string }[]; status?: number };

/** Where to see what can be named, for a name that matched nothing. */
const LISTS: Readonly<Record<string, string>> = {
  project: "claire project list",
  task: "claire task list",
  session: "claire sessions list",
  group: "claire group list",
};

export const problemToError = (res: ApiResponse): CliError => {
  const p = (typeof res.body === "object" && res.body !== null ? res.body : {}) as Problem;
  const detail =
    p.detail ?? (typeof res.body === "string" ? res.body : `request failed with HTTP ${res.status}`);
  // A validation problem's detail already lists its errors: each is shown once.
  const details = (p.errors ?? [])
    .map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))
    .filter((d) => !detail.includes(d));
  const unknown = res.status === 404 ? /^no (\w+) matches '/.exec(detail)?.[1] : undefined;
  const list = unknown === undefined ? undefined : LISTS[unknown];
  if (list) details.push(`see which there are: ${list}`);
  // The server asks for a header; the CLI's way to send it is an environment variable.
  if (res.status === 401)
    details.push(
      process.env.CLAIRE_TOKEN
        ? "the token in CLAIRE_TOKEN is not one that server accepts (claire token list, on it)"
        : "give the CLI a token the server accepts: CLAIRE_TOKEN=claire_… claire <command> (make one there: claire token create)",
    );
  return new CliError(detail, res.status >= 500 ? EXIT.internal : EXIT.user, details);
};

export type Api = {
  readonly client: ApiClient;
  readonly get: <T>(path: string, query?: Query) => Promise<T>;
  readonly post: <T>(path: string, body?: unknown) => Promise<T>;
  readonly patch: <T>(path: string, body: unknown) => Promise<T>;
  readonly del: <T>(path: string) => Promise<T>;
};

const api = (client: ApiClient): Api => {
  const call = async <T>(
    method: string,
    path: string,
    opts: { query?: Query; body?: unknown },
  ): Promise<T> => {
    const res = await client.call(method, path, opts);
    if (res.status >= 200 && res.status < 300) return res.body as T;
    throw problemToError(res);
  };
  return {
    client,
    get: (path, query) => call("GET", path, { query }),
    post: (path, body) => call("POST", path, { body: body ?? {} }),
    patch: (path, body) => call("PATCH", path, { body }),
    del: (path) => call("DELETE", path, {}),
  };
};

/** Runs fn against the API (remote or in-process) and always releases the connection. */
export const withApi = async <T>(cmd: Command, fn: (a: Api) => Promise<T>): Promise<T> => {
  const { server } = cmd.optsWithGlobals() as { server?: string };
  const client = await connect({ server });
  try {
    return await fn(api(client));
  } finally {
    client.close();
  }
};

/** Prints the value as JSON when --json was given, else its human form. */
export const output = <T>(cmd: Command, value: T, human: (v: T) => string): void => {
  const { json } = cmd.optsWithGlobals() as { json?: boolean };
  if (json) writeStdout(`${JSON.stringify(value, null, 2)}\n`);
  else {
    const text = human(value);
    if (text) writeStdout(`${terminalSafe(text)}\n`);
  }
};

/** An edit command given nothing to change is a usage error naming what it can change. */
export const requireChange = (cmd: Command, opts: Record<string, unknown>): void => {
  if (Object.entries(opts).some(([k, v]) => k !== "json" && v !== undefined)) return;
  const flags = cmd.options.map((o) => o.long).filter((f): f is string => f !== undefined && f !== "--json");
  throw new CliError(`say what to change: ${flags.join(", ")}`, EXIT.usage);
};

/** An id, handle or name as a path segment; an empty one names nothing (a usage error). */
export const enc = (id: string): string => {
  if (id.trim() === "")
    throw new CliError("an empty id names nothing: give a handle, an id prefix or a name", EXIT.usage);
  return encodeURIComponent(id);
};

/** The session a command acts for: --session, else the Claude Code session this runs inside. */
export const sessionOption = (given: string | undefined): string => {
  const s = given ?? process.env.CLAUDE_CODE_SESSION_ID;
  if (!s) throw new CliError("say which session: --session <id>, or run inside Claude Code", EXIT.usage);
  return s;
};

export const parseIntOption =
  (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new CliError(
        `${name} must be a whole number${min > 0 ? ` of at least ${min}` : ""}${max < Number.MAX_SAFE_INTEGER ? `${min > 0 ? " and" : ""} at most ${max}` : ""}, got '${value}'`,
        EXIT.usage,
      );
    return n;
  };

/**
 * An option taking one of a few words, or (list) several, comma-separated: a wrong one is a usage
 * error naming the choices, before any request is made.
 */
export const oneOf =
  (name: string, choices: readonly string[], list = false) =>
  (value: string, previous?: string[] | string): string & string[] => {
    const words = list
      ? value
          .split(",")
          .map((w) => w.trim())
          .filter(Boolean)
      : [value.trim()];
    const bad = words.find((w) => !choices.includes(w));
    if (bad !== undefined || words.length === 0)
      throw new CliError(
        `${name} must be ${list ? "among" : "one of"} ${choices.join(", ")}; got '${bad ?? value}'`,
        EXIT.usage,
      );
    return (list ? [...(Array.isArray(previous) ? previous : []), ...words] : words[0]) as string & string[];
  };

const DURATION = /^(\d+)\s*(m|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** An ISO date or time, or a duration back from now ("7d", "12h", "30m", "2w"), as milliseconds. */
export const parseSince = (value: string, now: number): number => {
  const d = DURATION.exec(value.trim());
  if (d) return now - Number(d[1]) * UNIT_MS[d[2]!.toLowerCase()]!;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new CliError(
      `--since wants an ISO date or time (2026-11-01, 2026-11-01T12:00:00Z) or a duration (7d, 12h), got '${value}'`,
      EXIT.usage,
    );
  return ms;
};
