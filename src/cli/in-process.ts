// The API app running inside the CLI process, on this machine's database, for when no server runs.
import { describeConfigError } from "../config/index.ts";
import { createApp } from "../http/app.ts";
import { openLocalClaire } from "../runtime/local-claire.ts";
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
  const app = createApp({
    service: claire.service,
    allowedHosts: claire.config.server.allowedHosts,
    version: CLAIRE_VERSION,
    // `claire sync` without a server runs its one round here (no background schedule).
    sync: createLocalSync(claire),
  });
  return { app, close: claire.close };
};
