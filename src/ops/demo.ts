// `claire demo`: a throwaway Claire home holding a realistic fleet. Three machines are played as
// three separate Claire stores (each with its own machine id, written through its own service),
// and their events reach the demo home through ingestEvents, as a sync would bring them. The home
// itself is a fourth machine ("laptop") that only watches: its session sources are turned off so
// nothing of the real machine leaks in.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "smol-toml";
import { type ClairePaths, describeConfigError, loadConfig, resolvePaths } from "../config/index.ts";
import { createIdGenerator } from "../domain/ids.ts";
import { openLocalClaire } from "../runtime/local-claire.ts";
import { createService, type Service } from "../service/index.ts";
import { createStore } from "../store/store.ts";
import {
  createDemoActivity,
  type DemoClock,
  type DemoFleet,
  type DemoMachine,
  exchange,
  seedDemoFleet,
} from "./demo-fleet.ts";

const FLEET = [
  { name: "workstation", groups: ["backend"] },
  { name: "buildbox", groups: ["backend", "ci"] },
  { name: "gpu-box", groups: ["gpu"] },
] as const;

export const HOME_MACHINE_NAME = "laptop";

export type DemoHome = {
  readonly home: string;
  readonly paths: ClairePaths;
  readonly fleet: DemoFleet;
  readonly events: number;
  /** Starts one small change every `intervalMs` on the fleet, brought into the home at once. */
  readonly startActivity: (intervalMs: number, onError?: (e: unknown) => void) => () => void;
  readonly close: () => void;
};

const demoConfig = (machineId: string): string =>
  `# A demo home made by \`claire demo\`: throwaway data, safe to delete.
# Session discovery is off (sources = []), so nothing from this machine's real Claude Code
# sessions gets mixed in.
${stringify({
  machine_id: machineId,
  machine_name: HOME_MACHINE_NAME,
  groups: [],
  server: { port: 0 },
  sessions: { sources: [] },
})}`;

/** Refuses a directory that already holds a Claire home: a demo never overwrites real data. */
export const checkDemoDir = (home: string): string | null => {
  if (existsSync(home) && !statSync(home).isDirectory())
    return `${home} is a file: give --home an empty or new directory`;
  const paths = resolvePaths({ CLAIRE_HOME: home }, home);
  for (const f of [paths.configPath, paths.dbPath])
    if (existsSync(f))
      return `${f} exists: give --home an empty or new directory (a demo never overwrites a Claire home)`;
  return null;
};

export const createDemoHome = (home: string, opts: { now?: () => number } = {}): DemoHome => {
  const now = opts.now ?? Date.now;
  const problem = checkDemoDir(home);
  if (problem) throw new Error(problem);
  const env = { CLAIRE_HOME: home };
  const paths = resolvePaths(env, home);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const homeId = randomUUID();
  writeFileSync(paths.configPath, demoConfig(homeId), { mode: 0o600, flag: "wx" });
  const checked = loadConfig(paths.configPath);
  if (!checked.ok) throw new Error(describeConfigError(checked.error));

  // The three machines of the story, each its own store (kept inside the home, so deleting the
  // home removes everything).
  const machinesDir = join(home, "demo-machines");
  mkdirSync(machinesDir, { recursive: true, mode: 0o700 });
  const end = now() - 1_000;
  const clock: DemoClock = { now: end - 10 * 3_600_000 };
  const stores: { close: () => void }[] = [];
  const machine = (name: string, groups: readonly string[]): DemoMachine => {
    const machineId = randomUUID();
    const ids = createIdGenerator();
    const store = createStore({
      path: join(machinesDir, `${name}.db`),
      machineId,
      now: () => clock.now,
      ids,
      maxDriftMs: 300_000,
    });
    stores.push(store);
    const service: Service = createService({
      store,
      ids,
      now: () => clock.now,
      machine: { machineId, machineName: name, groups },
    });
    return { name, machineId, groups, service };
  };
  const [a, b, c] = FLEET.map((m) => machine(m.name, m.groups));
  const fleet = seedDemoFleet([a!, b!, c!], clock, end);

  const opened = openLocalClaire({ env, init: false, now });
  if (!opened.ok) throw new Error(describeConfigError(opened.error));
  const local = opened.value;
  const target: DemoMachine = {
    name: HOME_MACHINE_NAME,
    machineId: homeId,
    groups: [],
    service: local.service,
  };
  const cursors = new Map(fleet.machines.map((m) => [m.name, exchange(m, target)]));
  const events = local.store.q.events.counts().events;

  const close = () => {
    for (const s of stores) s.close();
    local.close();
  };
  return {
    home,
    paths,
    fleet,
    events,
    startActivity: (intervalMs, onError) => {
      const step = createDemoActivity(fleet, clock);
      const timer = setInterval(() => {
        try {
          const changed = step(now());
          cursors.set(changed.name, exchange(changed, target, cursors.get(changed.name) ?? 0));
        } catch (e) {
          onError?.(e);
        }
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    close,
  };
};
