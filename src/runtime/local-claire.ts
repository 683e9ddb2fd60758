// Wiring: this machine's Claire opened from its files (config, database), with real time and ids,
// and the whole service made on them.
import type { ClairePaths, Config, ConfigError } from "../config/index.ts";
import { ok, type Result } from "../domain/result.ts";
import { createService, type Service } from "../service/index.ts";
import type { Store } from "../store/store.ts";
import { type OpenOptions, openLocalParts } from "./local-store.ts";

export { loadLocalConfig, type OpenOptions } from "./local-store.ts";

export type LocalClaire = {
  readonly paths: ClairePaths;
  readonly config: Config;
  readonly store: Store;
  readonly service: Service;
  readonly close: () => void;
};

export const openLocalClaire = (
  opts: OpenOptions = {},
): Result<LocalClaire & { created: boolean }, ConfigError> => {
  const parts = openLocalParts(opts);
  if (!parts.ok) return parts;
  const { paths, config, store, deps, created, close } = parts.value;
  return ok({ paths, config, store, service: createService(deps), created, close });
};
