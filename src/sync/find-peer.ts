// Which configured peer a caller named (`claire sync --peer`, POST /sync/run): by its URL, a
// trailing slash aside, or by its name in claire.toml. Small and import-free on purpose: the
// in-process API asks it without loading the sync client.
import type { PeerTarget } from "./transport.ts";

export const findPeer = (peers: readonly PeerTarget[], named: string): PeerTarget | null => {
  const want = named.trim();
  const url = want.replace(/\/+$/, "");
  return (
    peers.find((p) => p.url === url) ?? peers.find((p) => p.name !== undefined && p.name === want) ?? null
  );
};
