// What each claire.toml key expects, in words, so a refusal can say exactly what to write instead.
import { BOUNDS } from "./schema.ts";

export type KeyPath = readonly PropertyKey[];

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** The dotted key as the user would write it: `server.port`, `peers[0].url`, `prices."claude-3.5".input`. */
export const formatKey = (path: KeyPath): string =>
  path
    .map((seg, i) => {
      if (typeof seg === "number") return `[${seg}]`;
      const s = String(seg);
      const name = BARE_KEY.test(s) ? s : JSON.stringify(s);
      return i === 0 ? name : `.${name}`;
    })
    .join("");

/** The key with indices and price-model names generalised, as used by EXPECT and knownKeys. */
export const normalizeKey = (path: KeyPath): string =>
  path
    .map((seg, i) =>
      typeof seg === "number"
        ? "[]"
        : path[0] === "prices" && i === 1
          ? ".*"
          : i === 0
            ? String(seg)
            : `.${String(seg)}`,
    )
    .join("");

const seconds = (max: number) => `a number of seconds from 1 to ${max}`;
const price = "a number of USD per million tokens, 0 or more";

const EXPECT: Readonly<Record<string, string>> = {
  machine_id:
    'the lowercase UUID v4 this machine has always had (e.g. "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e")',
  machine_name: `a name of 1 to ${BOUNDS.nameMax} characters`,
  groups: 'a list of group names, e.g. ["backend", "gpu"]',
  "groups[]": `a group name of lowercase letters, digits, "_", "." or "-", starting with a letter or digit, at most ${BOUNDS.nameMax} characters`,
  server: "a table: [server]",
  "server.host": 'an address to listen on, e.g. "127.0.0.1", "0.0.0.0" or "::1"',
  "server.port": `a whole number between 0 and ${BOUNDS.portMax}`,
  "server.allowed_hosts": 'a list of host names, e.g. ["claire.lan"]',
  "server.allowed_hosts[]": 'a host name without scheme or port, e.g. "claire.lan"',
  "server.url": 'an http:// or https:// URL, e.g. "http://127.0.0.1:8765"',
  auth: "a table: [auth]",
  "auth.require": '"off-loopback" or "always"',
  sync: "a table: [sync]",
  "sync.interval_seconds": seconds(BOUNDS.secondsMax),
  "sync.max_drift_seconds": seconds(BOUNDS.secondsMax),
  "sync.batch_size": `a whole number from 1 to ${BOUNDS.batchMax}`,
  sessions: "a table: [sessions]",
  "sessions.sources": 'a list of "claude" and/or "command"',
  "sessions.sources[]": '"claude" or "command"',
  "sessions.claude_config_dirs": 'a list of directories, e.g. ["~/.claude-work"]',
  "sessions.claude_config_dirs[]": 'an absolute path, or one starting with "~/"',
  "sessions.command": 'the command that prints sessions as JSON, e.g. "rclaude list --json"',
  "sessions.command_timeout_seconds": seconds(BOUNDS.commandTimeoutMax),
  "sessions.share_titles": "true or false",
  "sessions.scan_interval_seconds": seconds(BOUNDS.secondsMax),
  peers: "a list of [[peers]] tables",
  "peers[]": "a [[peers]] table with a url, and optionally a token and a name",
  "peers[].url": 'an http:// or https:// URL, e.g. "http://workstation.lan:8765"',
  "peers[].token": "the token the peer gave you, without spaces",
  "peers[].name": `a name of 1 to ${BOUNDS.nameMax} characters`,
  prices: 'tables like [prices."claude-opus-4"]',
  "prices.*": "a table with input, output, cache_write and/or cache_read",
  "prices.*.input": price,
  "prices.*.output": price,
  "prices.*.cache_write": price,
  "prices.*.cache_read": price,
};

export const expectationFor = (path: KeyPath): string | undefined => EXPECT[normalizeKey(path)];

/** A short, safe rendering of the value the user wrote, for "but it is ...". */
export const describeValue = (value: unknown): string => {
  if (typeof value === "string") {
    const s = JSON.stringify(value);
    return s.length > 50 ? `${s.slice(0, 47)}..."` : s;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date";
  if (typeof value === "object" && value !== null) return "a table";
  return String(value);
};

/** The value at `path` inside a parsed TOML table, if any. */
export const valueAt = (root: unknown, path: KeyPath): unknown =>
  path.reduce<unknown>(
    (node, seg) =>
      typeof node === "object" && node !== null ? (node as Record<PropertyKey, unknown>)[seg] : undefined,
    root,
  );
