// Machines not heard from lately: a machine whose last contact with the fleet, as far as this one
// knows (its own sync rounds, or what its peers report), is older than a few sync intervals.
// Sessions there that were running are shown as "unknown since" that time, by every face (API,
// CLI, dashboard), because their real state can no longer be seen.
import type { SessionState } from "../domain/session.ts";
import type { Store } from "../store/store.ts";

/** A few sync intervals at the default 15 s, and past the first backoff steps of a failing peer. */
export const UNKNOWN_AFTER_MS = 2 * 60_000;

const RUNNING = new Set<SessionState>(["working", "waiting", "idle"]);

/**
 * Machine id -> the last contact this machine knows of, in its own clock (null: a peer never
 * reached): its own sync rounds with the machine's peer URLs, and what its peers reported of
 * machines they reach (`machine_contacts`, GET /sync/contacts). A machine neither syncs with nor
 * hears of is not in the map.
 */
export const lastContacts = (store: Store, localMachineId: string): Map<string, number | null> => {
  const last = new Map<string, number | null>();
  const heard = (id: string, ms: number | null) => {
    if (id === localMachineId) return;
    const prev = last.get(id);
    if (prev === undefined || (ms !== null && (prev === null || ms > prev))) last.set(id, ms);
  };
  for (const p of store.q.sync.allPeerStatus()) if (p.machine_id) heard(p.machine_id, p.last_success_ms);
  for (const c of store.q.sync.contacts()) heard(c.machine_id, c.heard_ms);
  return last;
};

/** Machine id -> ISO time of the last contact (null: never reached), for silent machines only. */
export const silentMachines = (
  store: Store,
  now: number,
  localMachineId: string,
): Map<string, string | null> => {
  const silent = new Map<string, string | null>();
  for (const [id, ms] of lastContacts(store, localMachineId)) {
    if (ms === null) silent.set(id, null);
    else if (now - ms > UNKNOWN_AFTER_MS) silent.set(id, new Date(ms).toISOString());
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
