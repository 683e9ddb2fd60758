// Turning what a caller typed into entity ids, with not-found and ambiguity as typed errors.
import { notFound, type ServiceError } from "../domain/errors.ts";
import { groupIdFromName } from "../domain/group.ts";
import { shortHandle } from "../domain/ids.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { parseSessionKey, type SessionRef } from "../domain/session-ref.ts";
import type { Store } from "../store/store.ts";

export const createResolvers = (store: Store) => {
  const { q } = store;
  const project = (input: string): Result<string, ServiceError> => {
    const r = q.resolve("projects", input);
    if (r.ok) return r;
    // People also name projects by name: an active one first, else an archived one (to show or
    // unarchive it). Two of one name (made on two machines apart) are ambiguous, not unknown.
    const name = input.trim();
    if (name === "") return r;
    const active = q.projects.idsByName(name);
    const named = active.length > 0 ? active : q.projects.archivedIdsByName(name);
    if (named.length === 1) return ok(named[0]!);
    if (named.length > 1)
      return err({
        type: "AmbiguousIdError",
        entity: "project",
        prefix: input,
        matches: named.slice(0, 10).map(shortHandle),
      });
    return r;
  };
  const task = (input: string): Result<string, ServiceError> => q.resolve("tasks", input);
  const session = (input: string): Result<SessionRef, ServiceError> => {
    const trimmed = input.trim();
    if (trimmed.length === 0) return err(notFound("session", input));
    // <machine>/<session>, the machine by id prefix or name (a session id alone may be on two
    // machines: a transcript copied over, or ids that share their first digits).
    const slash = trimmed.indexOf("/");
    if (slash > 0 && !q.sessions.getRow(trimmed)) {
      const m = machine(trimmed.slice(0, slash));
      if (m.ok) {
        // The store matches with LIKE ('%' and '_' are wildcards): keep only true prefixes.
        const prefix = `${m.value}/${trimmed.slice(slash + 1)}`;
        const keys = q.sessions.findKeys(prefix).filter((k) => k.startsWith(prefix));
        if (keys.length === 1) return ok(parseSessionKey(keys[0]!)!);
        if (keys.length > 1) return err(ambiguousSessions(input, keys));
        return err(notFound("session", input));
      }
    }
    // The store matches with LIKE, where '%' and '_' are wildcards: keep only true prefixes.
    const lower = trimmed.toLowerCase();
    const isPrefix = (k: string) =>
      k.toLowerCase().startsWith(lower) ||
      k
        .slice(k.indexOf("/") + 1)
        .toLowerCase()
        .startsWith(lower);
    const keys = q.sessions.findKeys(trimmed).filter(isPrefix);
    const exact = keys.find((k) => k === trimmed || k.slice(k.indexOf("/") + 1) === trimmed);
    const pick = exact ?? (keys.length === 1 ? keys[0] : undefined);
    if (pick) return ok(parseSessionKey(pick)!);
    if (keys.length === 0) return err(notFound("session", input));
    return err(ambiguousSessions(input, keys));
  };
  /** Matches named by handle, or by machine/handle when they are on more than one machine. */
  const ambiguousSessions = (input: string, keys: readonly string[]): ServiceError => {
    const machines = new Set(keys.map((k) => k.slice(0, k.indexOf("/"))));
    const name = (id: string) => q.machines.get(id)?.name ?? shortHandle(id);
    return {
      type: "AmbiguousIdError",
      entity: "session",
      prefix: input,
      matches: keys.slice(0, 10).map((k) => {
        const handle = shortHandle(k.slice(k.indexOf("/") + 1));
        return machines.size > 1 ? `${name(k.slice(0, k.indexOf("/")))}/${handle}` : handle;
      }),
    };
  };
  const group = (input: string): Result<string, ServiceError> => {
    const byName = groupIdFromName(input.trim());
    if (q.groups.get(byName)) return ok(byName);
    return q.resolve("groups", input);
  };
  const machine = (input: string): Result<string, ServiceError> => {
    const named = q.machines.idsByName(input.trim());
    if (named.length === 1) return ok(named[0]!);
    return q.resolve("machines", input);
  };
  return { project, task, session, group, machine };
};

export type Resolvers = ReturnType<typeof createResolvers>;
