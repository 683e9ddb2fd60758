// The validated configuration every other module receives (camelCase, every default filled in).

export type SessionSourceKind = "claude" | "command";
export type AuthRequirement = "off-loopback" | "always";

export type PeerConfig = {
  readonly url: string; // http(s), without a trailing slash
  readonly token?: string;
  readonly name?: string;
};

/** USD per million tokens; a missing field keeps the bundled price. */
export type PriceOverride = {
  readonly input?: number;
  readonly output?: number;
  readonly cacheWrite?: number;
  readonly cacheRead?: number;
};

export type Config = {
  readonly machineId: string;
  readonly machineName: string;
  readonly groups: readonly string[];
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Host header names accepted besides the loopback names. */
    readonly allowedHosts: readonly string[];
    /** Where the CLI looks for a running server. */
    readonly url: string;
  };
  readonly auth: { readonly require: AuthRequirement };
  readonly sync: {
    readonly intervalSeconds: number;
    readonly maxDriftSeconds: number;
    readonly batchSize: number;
  };
  readonly sessions: {
    readonly sources: readonly SessionSourceKind[];
    /** Extra dirs; CLAUDE_CONFIG_DIR (else ~/.claude) is always scanned (see resolveClaudeConfigDirs). */
    readonly claudeConfigDirs: readonly string[];
    readonly command?: string;
    readonly commandTimeoutSeconds: number;
    /** When false, session titles and first prompts never leave this machine. */
    readonly shareTitles: boolean;
    readonly scanIntervalSeconds: number;
  };
  readonly peers: readonly PeerConfig[];
  /** Keyed by model-name prefix, e.g. "claude-opus-4". */
  readonly prices: Readonly<Record<string, PriceOverride>>;
};
