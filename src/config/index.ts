// The config module: paths, claire.toml schema, loading, init and atomic edits.
export type { AuthRequirement, Config, PeerConfig, PriceOverride, SessionSourceKind } from "./config.ts";
export { type ConfigError, configError, describeConfigError } from "./errors.ts";
export { type InitConfigDeps, type InitConfigResult, initConfig } from "./init.ts";
export { configCachePath, type LoadConfigDeps, loadConfig } from "./load.ts";
export { type ParseContext, parseConfigText } from "./parse.ts";
export { type ClairePaths, type Env, expandHome, resolveClaudeConfigDirs, resolvePaths } from "./paths.ts";
export { type UpdateConfigDeps, updateConfigFile } from "./save.ts";
export { BOUNDS, DEFAULTS, isUuidV4, serverUrlFor } from "./schema.ts";
