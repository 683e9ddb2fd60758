// The claire.toml schema: strict snake_case TOML tables in, a camelCase Config with defaults out.
import { isAbsolute } from "node:path";
import { z } from "zod";
import { lazySchema } from "../domain/lazy-schema.ts";
import type { Config } from "./config.ts";

// Ranges shared by the schema and by the fixes shown to the user, so the two cannot drift apart.
export const BOUNDS = {
  nameMax: 64,
  portMax: 65_535,
  batchMax: 10_000,
  secondsMax: 86_400,
  commandTimeoutMax: 3_600,
} as const;

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 8765,
  intervalSeconds: 15,
  maxDriftSeconds: 300,
  // Events per pulled page, each ingested in one transaction: the per-transaction cost (pages of
  // the task and note indexes rewritten on every commit) is spread over five times more events
  // than at 1,000 (ingest about 12% faster), at the price of holding the write lock ~80 ms a page.
  batchSize: 5000,
  commandTimeoutSeconds: 10,
  scanIntervalSeconds: 60,
} as const;

// Lowercase only: machine_id is stamped on every event and compared as a string everywhere.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const isUuidV4 = (s: string): boolean => UUID_V4.test(s);

export const GROUP_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
// A DNS name or IPv4 address, or an IPv6 literal with or without brackets; never a port or scheme.
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[?[0-9a-f:.]*:[0-9a-f:.]*\]?)$/i;

// Built on first use (see domain/lazy-schema.ts): a process that finds its configuration in the
// cache (cache.ts) never builds them.
const buildTables = () => {
  const host = z
    .string()
    .regex(HOST)
    .transform((h) => h.replace(/^\[(.*)\]$/, "$1").toLowerCase());
  const httpUrl = z.url({ protocol: /^https?$/, hostname: /.+/ }).transform((u) => u.replace(/\/+$/, "")); // clients append "/api/v1/..." to it
  const seconds = (min: number, max: number) => z.number().min(min).max(max);
  const dir = z.string().refine((d) => isAbsolute(d) || d === "~" || d.startsWith("~/"));

  const serverFields = z.strictObject({
    host: host.default(DEFAULTS.host),
    port: z.number().int().min(0).max(BOUNDS.portMax).default(DEFAULTS.port),
    allowed_hosts: z.array(host).default(() => []),
    url: httpUrl.optional(),
  });
  const authFields = z.strictObject({
    require: z.enum(["off-loopback", "always"]).default("off-loopback"),
  });
  const syncFields = z.strictObject({
    interval_seconds: seconds(1, BOUNDS.secondsMax).default(DEFAULTS.intervalSeconds),
    max_drift_seconds: seconds(1, BOUNDS.secondsMax).default(DEFAULTS.maxDriftSeconds),
    batch_size: z.number().int().min(1).max(BOUNDS.batchMax).default(DEFAULTS.batchSize),
  });
  const sessionsFields = z.strictObject({
    sources: z.array(z.enum(["claude", "command"])).default(() => ["claude" as const]),
    claude_config_dirs: z.array(dir).default(() => []),
    command: z.string().trim().min(1).optional(),
    command_timeout_seconds: seconds(1, BOUNDS.commandTimeoutMax).default(DEFAULTS.commandTimeoutSeconds),
    share_titles: z.boolean().default(true),
    scan_interval_seconds: seconds(1, BOUNDS.secondsMax).default(DEFAULTS.scanIntervalSeconds),
  });
  const peerFields = z.strictObject({
    url: httpUrl,
    token: z.string().regex(/^\S+$/).optional(), // sent as "Bearer <token>", so no whitespace
    name: z.string().min(1).max(BOUNDS.nameMax).optional(),
  });
  const priceFields = z.strictObject({
    input: z.number().nonnegative().optional(),
    output: z.number().nonnegative().optional(),
    cache_write: z.number().nonnegative().optional(),
    cache_read: z.number().nonnegative().optional(),
  });
  const topFields = z.strictObject({
    machine_id: z.string().regex(UUID_V4),
    machine_name: z.string().min(1).max(BOUNDS.nameMax).optional(),
    groups: z.array(z.string().regex(GROUP_NAME)).default(() => []),
    server: serverFields.prefault({}),
    auth: authFields.prefault({}),
    sync: syncFields.prefault({}),
    sessions: sessionsFields
      .superRefine((s, ctx) => {
        if (s.sources.includes("command") && s.command === undefined)
          ctx.addIssue({
            code: "custom",
            path: ["command"],
            message: 'sessions.command is required when sessions.sources includes "command"',
            params: {
              fix: 'set sessions.command to the program that lists sessions as JSON (e.g. "rclaude list --json"), or remove "command" from sessions.sources',
            },
          });
      })
      .prefault({}),
    peers: z
      .array(peerFields)
      .superRefine((peers, ctx) => {
        const seen = new Set<string>();
        peers.forEach((p, i) => {
          if (seen.has(p.url))
            ctx.addIssue({
              code: "custom",
              path: [i, "url"],
              message: `peer ${p.url} is listed twice`,
              params: { fix: "remove the duplicate [[peers]] entry (claire peer remove)" },
            });
          seen.add(p.url);
        });
      })
      .default(() => []),
    prices: z.record(z.string().min(1), priceFields).default(() => ({})),
  });
  return { topFields, serverFields, authFields, syncFields, sessionsFields, peerFields, priceFields };
};

let built: ReturnType<typeof buildTables> | undefined;
const tables = () => (built ??= buildTables());

/** The snake_case shape of claire.toml after validation and defaults. */
export type RawConfig = z.output<ReturnType<typeof tables>["topFields"]>;

/** The keys each table accepts, by normalised path ("peers[]", "prices.*"), for "did you mean". */
let keys: Readonly<Record<string, readonly string[]>> | undefined;
export const knownKeys = (): Readonly<Record<string, readonly string[]>> => {
  if (keys) return keys;
  const t = tables();
  keys = {
    "": Object.keys(t.topFields.shape),
    server: Object.keys(t.serverFields.shape),
    auth: Object.keys(t.authFields.shape),
    sync: Object.keys(t.syncFields.shape),
    sessions: Object.keys(t.sessionsFields.shape),
    "peers[]": Object.keys(t.peerFields.shape),
    "prices.*": Object.keys(t.priceFields.shape),
  };
  return keys;
};

// Where the CLI looks for the server: a wildcard listen address is reached through loopback.
export const serverUrlFor = (listenHost: string, port: number): string => {
  const h = listenHost === "0.0.0.0" ? "127.0.0.1" : listenHost === "::" ? "::1" : listenHost;
  return `http://${h.includes(":") ? `[${h}]` : h}:${port}`;
};

/** Falls back to the hostname for machine_name, trimmed to fit the 64-character limit. */
export const machineNameFrom = (hostname: string): string =>
  hostname.trim().slice(0, BOUNDS.nameMax) || "claire";

export const rawToConfig = (raw: RawConfig, hostname: string): Config => ({
  machineId: raw.machine_id,
  machineName: raw.machine_name ?? machineNameFrom(hostname),
  groups: [...new Set(raw.groups)],
  server: {
    host: raw.server.host,
    port: raw.server.port,
    allowedHosts: [...new Set(raw.server.allowed_hosts)],
    url: raw.server.url ?? serverUrlFor(raw.server.host, raw.server.port),
  },
  auth: { require: raw.auth.require },
  sync: {
    intervalSeconds: raw.sync.interval_seconds,
    maxDriftSeconds: raw.sync.max_drift_seconds,
    batchSize: raw.sync.batch_size,
  },
  sessions: {
    sources: [...new Set(raw.sessions.sources)],
    claudeConfigDirs: raw.sessions.claude_config_dirs,
    command: raw.sessions.command,
    commandTimeoutSeconds: raw.sessions.command_timeout_seconds,
    shareTitles: raw.sessions.share_titles,
    scanIntervalSeconds: raw.sessions.scan_interval_seconds,
  },
  peers: raw.peers.map((p) => ({ url: p.url, token: p.token, name: p.name })),
  prices: Object.fromEntries(
    Object.entries(raw.prices).map(([model, p]) => [
      model,
      { input: p.input, output: p.output, cacheWrite: p.cache_write, cacheRead: p.cache_read },
    ]),
  ),
});

export const rawConfigSchema = lazySchema(() => tables().topFields);
