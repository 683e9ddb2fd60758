// The API app running inside the CLI process, on this machine's database, for when no server runs.
import { describeConfigError } from "../config/index.ts";
import { createApp } from "../http/app.ts";
import { openLocalClaire } from "../runtime/local-claire.ts";
import { createLocalDiscovery } from "../runtime/local-discovery.ts";
import { createLocalSync } from "../runtime/local-sync.ts";
import { CLAIRE_VERSION } from "../version.ts";
import { CliError, EXIT } from "./exit-codes.ts";

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
  const app = createApp({
    service: claire.service,
    allowedHosts: claire.config.server.allowedHosts,
    version: CLAIRE_VERSION,
    // `claire pull` without a server: this process looks at the sessions itself.
    sessions: createLocalDiscovery(claire),
    // `claire sync` without a server runs its one round here (no background schedule).
    sync: createLocalSync(claire),
  });
  return { app, close: claire.close };
};
