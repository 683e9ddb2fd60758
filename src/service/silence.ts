// Machines not heard from lately: a peer this machine syncs with whose last successful round is
// older than a few sync intervals. Sessions there that were running are shown as "unknown since"
// that time, by every face (API, CLI, dashboard), because their real state can no longer be seen.
import type { SessionState } from "../domain/session.ts";
import type { Store } from "../store/store.ts";

/** A few sync intervals at the default 15 s, and past the first backoff steps of a failing peer. */
export const UNKNOWN_AFTER_MS = 2 * 60_000;

const RUNNING = new Set<SessionState>(["working", "waiting", "idle"]);

/** Machine id -> ISO time of the last contact (null: never reached), for silent machines only. */
export const silentMachines = (
  store: Store,
  now: number,
  localMachineId: string,
): Map<string, string | null> => {
  const silent = new Map<string, string | null>();
  for (const p of store.q.sync.allPeerStatus()) {
    if (!p.machine_id || p.machine_id === localMachineId) continue;
    if (p.last_success_ms === null || now - p.last_success_ms > UNKNOWN_AFTER_MS) {
      const since = p.last_success_ms === null ? null : new Date(p.last_success_ms).toISOString();
      // Several peer URLs may reach one machine: the most recent contact counts.
      const prev = silent.get(p.machine_id);
      if (!silent.has(p.machine_id) || (since !== null && (prev === null || since > (prev ?? ""))))
        silent.set(p.machine_id, since);
    }
  }
  // A machine also reached through a peer URL that is healthy is not silent.
  for (const p of store.q.sync.allPeerStatus()) {
    if (p.machine_id && p.last_success_ms !== null && now - p.last_success_ms <= UNKNOWN_AFTER_MS)
      silent.delete(p.machine_id);
  }
  return silent;
};

/** The state to show for a session of a possibly silent machine. */
export const shownState = <S extends { machineId: string; state: SessionState; stateSince: string | null }>(
  s: S,
  silent: ReadonlyMap<string, string | null>,
): S =>
  silent.has(s.machineId) && RUNNING.has(s.state)
    ? { ...s, state: "unknown", stateSince: silent.get(s.machineId) ?? null }
    : s;
