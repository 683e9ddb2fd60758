// The projects whose tasks a session owns: what a group's `project:` rule matches, both for a
// message's targets (messages.ts) and for whom a group reaches now (groups.ts).
import type { SessionRef } from "../domain/session-ref.ts";
import type { Store } from "../store/store.ts";

export const ownedProjects = (store: Store, s: SessionRef): string[] => [
  ...new Set(
    store.q.tasks
      .list({ owner: s, limit: 10_000, offset: 0 })
      .tasks.flatMap((t) => (t.projectId ? [t.projectId] : [])),
  ),
];
