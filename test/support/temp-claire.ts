// A throwaway Claire (real SQLite file in a temp dir) for tests: store + service, with injected
// time and ids so tests control the clock.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Actor } from "../../src/domain/actor.ts";
import { createIdGenerator } from "../../src/domain/ids.ts";
import { createService, type Service } from "../../src/service/index.ts";
import { createStore, type Store } from "../../src/store/store.ts";

export type TempClaire = {
  readonly dir: string;
  readonly store: Store;
  readonly service: Service;
  readonly machineId: string;
  readonly clock: { now: number };
  readonly human: Actor;
  readonly close: () => void;
};

export const tempDir = (prefix = "claire-test-"): string => mkdtempSync(join(tmpdir(), prefix));

export const createTempClaire = (
  opts: {
    dir?: string;
    machineId?: string;
    machineName?: string;
    groups?: string[];
    now?: number;
    maxDriftMs?: number;
  } = {},
): TempClaire => {
  const dir = opts.dir ?? tempDir();
  const machineId = opts.machineId ?? randomUUID();
  const clock = { now: opts.now ?? Date.UTC(2026, 10, 23, 12, 0, 0) };
  const now = () => clock.now;
  const ids = createIdGenerator();
  const store = createStore({
    path: join(dir, "claire.db"),
    machineId,
    now,
    ids,
    maxDriftMs: opts.maxDriftMs ?? 300_000,
  });
  const service = createService({
    store,
    ids,
    now,
    machine: { machineId, machineName: opts.machineName ?? "test-machine", groups: opts.groups ?? [] },
  });
  return {
    dir,
    store,
    service,
    machineId,
    clock,
    human: { kind: "human", id: "tester" },
    close: () => {
      store.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Unwraps an Ok result or fails the test with the error. */
export const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
};
