// The fleet summary: machines, sessions by state with token and cost totals, tasks by status,
// recent updates, and the health of the event log.
import type { Machine } from "../domain/machine.ts";
import { SESSION_STATES, type SessionState } from "../domain/session.ts";
import { TASK_STATUSES, type TaskStatus } from "../domain/task.ts";
import type { Update } from "../domain/update.ts";
import type { ServiceDeps } from "./context.ts";
import { silentMachines } from "./silence.ts";
import { type PeerHealth, peerHealth } from "./sync.ts";

export type FleetStatus = {
  readonly machine: {
    readonly id: string;
    readonly name: string;
    /**
     * How far this machine's clock state (its HLC) is ahead of its wall clock. Beyond the max drift
     * its new events are held back by every peer until the wall clock catches up: a clock that was
     * fast once (the HLC never goes back), or is fast now.
     */
    readonly clockAheadMs: number;
  };
  readonly machines: readonly Machine[];
  readonly sessions: {
    readonly total: number;
    readonly byState: Readonly<Record<SessionState, number>>;
    readonly tokens: {
      readonly input: number;
      readonly output: number;
      readonly cacheCreation: number;
      readonly cacheRead: number;
    };
    readonly costUsd: number;
    /** Sessions with tokens but no cost (a model without a price): costUsd leaves them out. */
    readonly unpricedSessions: number;
  };
  readonly tasks: { readonly total: number; readonly byStatus: Readonly<Record<TaskStatus, number>> };
  readonly projects: number;
  readonly recentUpdates: readonly Update[];
  readonly events: { readonly total: number; readonly quarantined: number; readonly rejected: number };
  /** Sync health per peer this machine has synced with: last success, events behind, last error. */
  readonly peers: readonly PeerHealth[];
};

const RUNNING = new Set(["working", "waiting", "idle"]);

export const createStatusOps = ({ store, machine, now }: ServiceDeps) => {
  // The summary is read far more often than the fleet changes (dashboards, `claire status` in a
  // loop): keep the last one until anything writes to the database, from any process.
  let cached: { version: string; value: FleetStatus } | null = null;
  const compute = (): FleetStatus => {
    const { stats } = store.q;
    const byState = Object.fromEntries(SESSION_STATES.map((s) => [s, 0])) as Record<SessionState, number>;
    // Running sessions of a machine not heard from lately count as unknown (see silence.ts).
    const silent = silentMachines(store, now(), machine.machineId);
    for (const r of stats.sessionsByState()) {
      const state = r.m !== null && silent.has(r.m) && RUNNING.has(r.s) ? "unknown" : (r.s as SessionState);
      byState[state] = (byState[state] ?? 0) + r.n;
    }
    const totals = stats.sessionTotals();
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
    let taskTotal = 0;
    for (const r of stats.tasksByStatus()) {
      byStatus[r.s as TaskStatus] = r.n;
      taskTotal += r.n;
    }
    const counts = store.q.events.counts();
    return {
      machine: {
        id: machine.machineId,
        name: machine.machineName,
        clockAheadMs: Math.max(0, store.log.writer().clock.ms - now()),
      },
      machines: store.q.machines.list(),
      sessions: {
        total: totals.n,
        byState,
        tokens: {
          input: totals.input,
          output: totals.output,
          cacheCreation: totals.cacheCreation,
          cacheRead: totals.cacheRead,
        },
        costUsd: Math.round(totals.costUsd * 10_000) / 10_000,
        unpricedSessions: totals.unpriced,
      },
      tasks: { total: taskTotal, byStatus },
      projects: stats.activeProjects(),
      recentUpdates: store.q.updates.list({ limit: 10 }),
      events: { total: counts.events, quarantined: counts.quarantined, rejected: counts.rejected },
      peers: store.q.sync.allPeerStatus().map(peerHealth),
    };
  };
  return {
    /** Every machine this one has heard of, itself first. */
    listMachines: (): Machine[] => store.q.machines.list(),
    fleetStatus: (): FleetStatus => {
      // Also recomputed every 10 s: a machine can fall silent without any write.
      const version = `${store.version()}:${Math.floor(now() / 10_000)}`;
      if (cached?.version !== version) cached = { version, value: compute() };
      return cached.value;
    },
  };
};
