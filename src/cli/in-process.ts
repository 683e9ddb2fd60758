// The API app running inside the CLI process, on this machine's database, for when no server runs.
// Before anything that builds a schema: short-lived processes parse without zod's compiled parsers.
import "./zod-without-jit.ts";
import { describeConfigError } from "../config/index.ts";
import { type AppDeps, createAppShell } from "../http/app-shell.ts";
import type { SyncControl } from "../http/env.ts";
import { routeKey, routesFor } from "../http/routes/by-path.ts";
import type { LocalClaire } from "../runtime/local-claire.ts";
import { openLocalClaire } from "../runtime/local-claire.ts";
import { createPeerSource } from "../runtime/peer-source.ts";
import type { SessionRefresher } from "../sessions/refresher.ts";
import { findPeer } from "../sync/find-peer.ts";
import { CLAIRE_VERSION } from "../version.ts";
import { CliError, EXIT } from "./exit-codes.ts";

// Discovery and sync are built when a command first asks for them (`claire pull`, `claire sync`):
// the other commands never load the scanner or the sync client.
const lazySessions = (claire: LocalClaire): SessionRefresher => {
  let made: SessionRefresher | undefined;
  return {
    refresh: async (options) => {
      made ??= (await import("../runtime/local-discovery.ts")).createLocalDiscovery(claire);
      return made.refresh(options);
    },
  };
};

const lazySync = (claire: LocalClaire): SyncControl => {
  let made: SyncControl | undefined;
  // claire.toml's peers, read again when the file changes (`claire peer add` while `claire mcp`
  // runs); one source for the question below and for the sync client, which must see the same.
  const peers = createPeerSource(
    claire.paths.configPath,
    claire.config.peers.map((p) => ({ url: p.url, token: p.token, name: p.name })),
  );
  const get = async () =>
    (made ??= (await import("../runtime/local-sync.ts")).createLocalSync(claire, undefined, peers));
  return {
    runNow: async (peer) => (await get()).runNow(peer),
    // A write: a long-lived process (`claire mcp` with no server) pushes it to peers soon. With no
    // peer there is nothing to push, so the sync client is not even loaded: a command or a hook
    // that wrote something would load it (~900 KB of code, dist/local.cjs) for nothing.
    nudge: () => {
      if (made || peers().length > 0) void get().then((sync) => sync.nudge());
    },
    verify: async (peer) => (await get()).verify(peer),
    findPeer: (peer) => findPeer(peers(), peer),
    peers,
  };
};

export const openInProcessApp = () => {
  const opened = openLocalClaire({ init: true });
  if (!opened.ok) throw new CliError(describeConfigError(opened.error), EXIT.user);
  const claire = opened.value;
  if (claire.created) {
    process.stderr.write(
      `claire: initialised this machine (machine_id ${claire.config.machineId}, ${claire.paths.configPath})\n`,
    );
  }
  // What `claire serve` does on start: without it a machine that never ran a server has no
  // machines row (status lists no machines, `broadcast machine:<name>` finds nothing). Writes only
  // what differs from the last announcement.
  claire.service.announceMachine({ kind: "machine", id: claire.config.machineId });
  const deps: AppDeps = {
    service: claire.service,
    allowedHosts: claire.config.server.allowedHosts,
    version: CLAIRE_VERSION,
    // `claire pull` without a server: this process looks at the sessions itself.
    sessions: lazySessions(claire),
    // `claire sync` without a server runs its one round here (no background schedule).
    sync: lazySync(claire),
    rethrowFaults: true,
  };
  // The app with just the routes a request needs (routes/by-path.ts), one per kind of request.
  const apps = new Map<string, Promise<{ fetch: (request: Request) => Response | Promise<Response> }>>();
  const fetch = async (request: Request): Promise<Response> => {
    const key = routeKey(new URL(request.url).pathname);
    let app = apps.get(key);
    if (!app) {
      app = routesFor(key).then((routes) => createAppShell(deps, routes));
      apps.set(key, app);
    }
    return (await app).fetch(request);
  };
  return { fetch, close: claire.close };
};
