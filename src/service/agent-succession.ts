// Succession chains: `/clear` (and a resume inside a running process) gives the same Claude Code
// process a new session id; the new session is the successor of the old one. Anything addressed
// to the old id (a message, an MCP call from a server that still knows only the old id) belongs to
// the latest successor.
import type { Store } from "../store/store.ts";

/** Longest chain followed; a longer one (or a cycle made by merging machines) stops there. */
const MAX_HOPS = 1000;

/** The key of the latest successor of a session (the session itself when it has none). */
export const latestSuccessorKey = (store: Store, key: string): string => {
  const seen = new Set<string>([key]);
  let current = key;
  for (let i = 0; i < MAX_HOPS; i++) {
    const next = store.q.sessions.getRow(current)?.successor ?? null;
    if (next === null || seen.has(next)) return current;
    seen.add(next);
    current = next;
  }
  return current;
};

/** The keys of a session's predecessors, nearest first. */
export const predecessorKeys = (store: Store, key: string): string[] => {
  const out: string[] = [];
  const seen = new Set<string>([key]);
  let current = store.q.sessions.getRow(key)?.predecessor ?? null;
  while (current !== null && !seen.has(current) && out.length < MAX_HOPS) {
    out.push(current);
    seen.add(current);
    current = store.q.sessions.getRow(current)?.predecessor ?? null;
  }
  return out;
};
