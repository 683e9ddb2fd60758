// Sync wiring for this machine's Claire: HTTP transport, peers from claire.toml, the scheduler.
import type { Logger } from "pino";
import { createSyncControl } from "../sync/control.ts";
import { createHttpTransport } from "../sync/transport.ts";
import type { LocalClaire } from "./local-claire.ts";
import { createPeerSource } from "./peer-source.ts";

/** `peers` defaults to claire.toml's, read again when the file changes (runtime/peer-source.ts). */
export const createLocalSync = (
  claire: LocalClaire,
  log?: Logger,
  peers = createPeerSource(
    claire.paths.configPath,
    claire.config.peers.map((p) => ({ url: p.url, token: p.token, name: p.name })),
    log,
  ),
) => {
  const { config, service } = claire;
  return createSyncControl({
    service,
    transport: createHttpTransport({ actor: `peer:${config.machineId}` }),
    now: Date.now,
    batchSize: config.sync.batchSize,
    intervalMs: config.sync.intervalSeconds * 1000,
    peers,
    localVector: () => service.syncSummary().vector,
    onRound: (r) => {
      if (!log) return;
      if (r.ok) {
        if (r.pulled.accepted + r.pushed.accepted + r.pulled.rejected > 0) log.info(r, "synced");
        else log.debug(r, "synced");
      } else log.warn({ peer: r.peer, error: r.error }, "sync failed");
    },
  });
};
