// The peers serve syncs with, read from claire.toml again whenever the file changes, so
// `claire peer add` takes effect without a restart. A file that became invalid keeps the last
// good list (and is reported once).
import { statSync } from "node:fs";
import type { Logger } from "pino";
import { describeConfigError, loadConfig } from "../config/index.ts";
import type { PeerTarget } from "../sync/transport.ts";

export const createPeerSource = (configPath: string, initial: readonly PeerTarget[], log?: Logger) => {
  let peers = initial;
  let seenMtime = -1;
  try {
    seenMtime = statSync(configPath).mtimeMs;
  } catch {}
  return (): readonly PeerTarget[] => {
    let mtime: number;
    try {
      mtime = statSync(configPath).mtimeMs;
    } catch {
      return peers;
    }
    if (mtime === seenMtime) return peers;
    seenMtime = mtime;
    const loaded = loadConfig(configPath);
    if (loaded.ok) {
      peers = loaded.value.peers.map((p) => ({ url: p.url, token: p.token, name: p.name }));
      log?.info({ peers: peers.map((p) => p.url) }, "peers reloaded from claire.toml");
    } else
      log?.error(
        { error: describeConfigError(loaded.error) },
        "claire.toml is invalid; keeping the previous peers",
      );
    return peers;
  };
};
