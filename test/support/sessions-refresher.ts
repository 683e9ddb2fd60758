// A real session discovery for API suites that must not touch their fixtures: its own in-memory
// Claire and a Claude config dir that does not exist (so each refresh reports that as an error).
import { randomUUID } from "node:crypto";
import { createIdGenerator } from "../../src/domain/ids.ts";
import { createService } from "../../src/service/index.ts";
import { createSessionDiscovery, type SessionDiscovery } from "../../src/sessions/discovery.ts";
import { createStore } from "../../src/store/store.ts";

export const MISSING_CONFIG_DIR = "/nonexistent/claire-test/claude-config";

export const createDetachedRefresher = (): SessionDiscovery => {
  const machineId = randomUUID();
  const ids = createIdGenerator();
  const now = () => Date.UTC(2026, 10, 23, 12, 0, 0);
  const store = createStore({ path: ":memory:", machineId, now, ids, maxDriftMs: 300_000 });
  const service = createService({
    store,
    ids,
    now,
    machine: { machineId, machineName: "detached", groups: [] },
  });
  return createSessionDiscovery({
    service,
    machineId,
    configDirs: [MISSING_CONFIG_DIR],
    config: {
      sessions: {
        sources: ["claude"],
        claudeConfigDirs: [],
        commandTimeoutSeconds: 10,
        shareTitles: true,
        scanIntervalSeconds: 60,
      },
      prices: {},
    },
    now,
    claude: null,
  });
};
