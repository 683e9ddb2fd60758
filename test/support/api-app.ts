// The API app as the suites test it: the real service plus a sync control with no peers, so the
// sync routes answer without going anywhere.
import { createApp } from "../../src/http/app.ts";
import type { Service } from "../../src/service/index.ts";
import { createSyncControl } from "../../src/sync/control.ts";
import { createMemoryTransport } from "./memory-transport.ts";
import { createDetachedRefresher } from "./sessions-refresher.ts";

export const createTestApp = (service: Service, opts: { version?: string } = {}) =>
  createApp({
    service,
    ...(opts.version !== undefined && { version: opts.version }),
    sync: createSyncControl({
      service,
      transport: createMemoryTransport(new Map()),
      now: Date.now,
      batchSize: 100,
      intervalMs: 60_000,
      peers: () => [],
      localVector: () => service.syncSummary().vector,
    }),
    // A real session discovery with its own empty Claire, so a refresh cannot touch the fixtures.
    sessions: createDetachedRefresher(),
  });
