// Whom a broadcast reaches now: the sessions, on any machine this one has heard of, that have not
// ended and that a message to the target would be delivered to. Shown with a group (its `reaches`)
// and told to whoever sends a message, so that a message to nobody, or to a session that has
// ended, is not sent in the belief that someone reads it.
import type { Group } from "../domain/group.ts";
import type { MessageTarget } from "../domain/message.ts";
import { parseSessionKey, type SessionRef, sessionKey } from "../domain/session-ref.ts";
import { matchesRule, type TargetCandidate } from "../domain/targets.ts";
import { currentSessionKey } from "./agent-succession.ts";
import type { ServiceDeps } from "./context.ts";
import { ownedProjects } from "./owned-projects.ts";

export type MessageReach = {
  /** Sessions that have not ended and will get the message (as this machine knows them now). */
  readonly sessions: readonly SessionRef[];
  /** For a message to one session: the session that has it now (a successor), and whether it ended. */
  readonly session: { readonly ref: SessionRef; readonly ended: boolean } | null;
};

export const createReach = ({ store, machine }: Pick<ServiceDeps, "store" | "machine">) => {
  const liveSessions = () =>
    store.q.sessions.list({ states: ["working", "waiting", "idle", "unknown"], limit: 100_000, offset: 0 })
      .sessions;

  /** Live sessions a broadcast to each group would reach now (its rules and explicit members). */
  const reachOf = (groups: readonly Omit<Group, "reaches">[]): Group[] => {
    if (groups.length === 0) return [];
    const live = liveSessions();
    const names = new Map(store.q.machines.list().map((m) => [m.id, m.name]));
    const projectsOf = new Map<string, string[]>();
    const owned = (s: SessionRef): string[] => {
      const key = `${s.machineId}/${s.sessionId}`;
      let p = projectsOf.get(key);
      if (!p) {
        p = ownedProjects(store, s);
        projectsOf.set(key, p);
      }
      return p;
    };
    return groups.map((g) => {
      const members = new Set(g.members.map((m) => `${m.machineId}/${m.sessionId}`));
      const needsProjects = g.rules.some((r) => r.startsWith("project:"));
      const reaches = live
        .filter((s) => {
          const key = `${s.machineId}/${s.sessionId}`;
          if (members.has(key)) return true;
          const candidate: TargetCandidate = {
            key,
            machineId: s.machineId,
            machineName:
              s.machineId === machine.machineId ? machine.machineName : (names.get(s.machineId) ?? null),
            cwd: s.cwd,
            firstActivityMs: null,
            endedBeforeMessage: false,
            projects: needsProjects ? owned(s) : [],
          };
          return g.rules.some((r) => matchesRule(r, candidate));
        })
        .map((s) => ({ machineId: s.machineId, sessionId: s.sessionId }));
      return { ...g, reaches };
    });
  };

  /** Whom a message to `target` reaches now. */
  const messageReach = (target: MessageTarget): MessageReach => {
    const refs = (rows: readonly SessionRef[]) =>
      rows.map((s) => ({ machineId: s.machineId, sessionId: s.sessionId }));
    switch (target.kind) {
      case "all":
        return { sessions: refs(liveSessions()), session: null };
      case "machine":
        return {
          sessions: refs(liveSessions().filter((s) => s.machineId === target.machineId)),
          session: null,
        };
      case "group": {
        const g = store.q.groups.get(target.groupId);
        return { sessions: g ? (reachOf([g])[0]?.reaches ?? []) : [], session: null };
      }
      case "session": {
        // A message to a session that was cleared or resumed goes on to the session that continues it.
        const key = currentSessionKey(store, sessionKey(target.session));
        const ref = parseSessionKey(key)!;
        const row = store.q.sessions.getRow(key);
        const ended = row?.state === "ended";
        return { sessions: row && !ended ? [ref] : [], session: { ref, ended } };
      }
    }
  };

  return { reachOf, messageReach };
};
