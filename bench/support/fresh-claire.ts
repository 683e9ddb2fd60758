// A fresh Claire on a real database file (WAL, as in production) for benchmarks: the same
// createStore + createService wiring as the app, with the real clock.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Actor } from "../../src/domain/actor.ts";
import { createIdGenerator } from "../../src/domain/ids.ts";
import { createService, type Service } from "../../src/service/index.ts";
import { createStore, type Store } from "../../src/store/store.ts";

export type FreshClaire = {
  readonly path: string;
  readonly store: Store;
  readonly service: Service;
  readonly actor: Actor;
  readonly close: () => void;
};

export const BENCH_ACTOR: Actor = { kind: "human", id: "bench" };

/** Opens a new Claire database at dir/<name>.db (the file must not exist yet). */
export const freshClaire = (dir: string, name = "claire"): FreshClaire => {
  const path = join(dir, `${name}.db`);
  const machineId = randomUUID();
  const ids = createIdGenerator();
  const now = () => Date.now();
  const store = createStore({ path, machineId, now, ids, maxDriftMs: 300_000 });
  const service = createService({
    store,
    ids,
    now,
    machine: { machineId, machineName: "bench", groups: [] },
  });
  return { path, store, service, actor: BENCH_ACTOR, close: () => store.close() };
};
