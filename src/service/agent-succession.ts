// Succession chains: `/clear` (and a resume inside a running process) gives the same Claude Code
// process a new session id; the new session is the successor of the old one. Anything addressed
// to the old id (a message, an MCP call from a server that still knows only the old id) belongs to
// the session the conversation went on in: the successor, once the old session has ended. A
// session that runs again (`claude --resume <old id>`) stands for itself: the succession is
// followed only through sessions that have ended.
import type { Store } from "../store/store.ts";

/** Longest chain followed; a longer one (or a cycle made by merging machines) stops there. */
const MAX_HOPS = 1000;

/**
 * The session an id stands for now: from `key`, the successor of each session that has ended, up
 * to one that has not ended or has no successor.
 */
export const currentSessionKey = (store: Store, key: string): string => {
  const seen = new Set<string>([key]);
  let current = key;
  for (let i = 0; i < MAX_HOPS; i++) {
    const row = store.q.sessions.getRow(current);
    const next = row?.state === "ended" ? row.successor : null;
    if (next === null || seen.has(next)) return current;
    seen.add(next);
    current = next;
  }
  return current;
};

/** Follows one link (predecessor or successor) from a session, at most `limit` hops, never in a circle. */
const follow = (
  store: Store,
  from: string,
  link: "predecessor" | "successor",
  seen: Set<string>,
  limit: number,
): string[] => {
  const out: string[] = [];
  let next = store.q.sessions.getRow(from)?.[link] ?? null;
  while (next !== null && !seen.has(next) && out.length < limit) {
    out.push(next);
    seen.add(next);
    next = store.q.sessions.getRow(next)?.[link] ?? null;
  }
  return out;
};

/** The keys of every other session of a session's chain: its predecessors and its successors. */
export const chainKeys = (store: Store, key: string): string[] => {
  const before = predecessorKeys(store, key);
  return [...before, ...follow(store, key, "successor", new Set([key, ...before]), MAX_HOPS - before.length)];
};

/** The keys of a session's predecessors, nearest first. */
export const predecessorKeys = (store: Store, key: string): string[] =>
  follow(store, key, "predecessor", new Set([key]), MAX_HOPS);
