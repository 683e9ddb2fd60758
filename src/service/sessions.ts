// Session operations: record what this machine sees of its own sessions (only changed fields,
// activity throttled), and read sessions of the whole fleet.
import type { Actor } from "../domain/actor.ts";
import { notFound, type ServiceError, validationError } from "../domain/errors.ts";
import type { EventDraft } from "../domain/events.ts";
import { sessionFactsAccepted, sessionRefAccepted } from "../domain/fast-accept.ts";
import { hlcMs } from "../domain/merge.ts";
import { err, ok, type Result } from "../domain/result.ts";
import {
  ACTIVITY_FIELDS,
  ACTIVITY_THROTTLE_MS,
  type Session,
  type SessionFacts,
  SessionFactsSchema,
  type SessionState,
} from "../domain/session.ts";
import { type SessionRef, SessionRefSchema, sessionKey } from "../domain/session-ref.ts";
import type { SessionRow } from "../store/queries/sessions.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";
import { createScanStateOps } from "./scan-state.ts";
import { parseSessionFilter } from "./session-filter.ts";
import { shownState, silentMachines } from "./silence.ts";

/** What this machine's row currently says, in the shape of the facts a source reports. */
export const factsOfRow = (row: SessionRow): Required<SessionFacts> => ({
  cwd: row.cwd,
  gitBranch: row.git_branch,
  version: row.version,
  title: row.title,
  model: row.model,
  transcriptPath: row.transcript_path,
  source: row.source,
  pid: row.pid,
  parentPid: row.parent_pid,
  firstActivity: row.first_activity,
  lastActivity: row.last_activity,
  userMessages: row.user_messages ?? 0,
  assistantMessages: row.assistant_messages ?? 0,
  tokens: {
    input: row.tokens_input ?? 0,
    output: row.tokens_output ?? 0,
    cacheCreation: row.tokens_cache_creation ?? 0,
    cacheRead: row.tokens_cache_read ?? 0,
  },
  costUsd: row.cost_usd,
  state: (row.state ?? "unknown") as SessionState,
  stateReason: row.state_reason,
});

/** The fields of `facts` that differ from what this machine last recorded for the session. */
export const changedFacts = (row: SessionRow | null, facts: SessionFacts): SessionFacts => {
  if (!row) return facts;
  const current: Record<keyof SessionFacts, unknown> = {
    ...factsOfRow(row),
    userMessages: row.user_messages,
    assistantMessages: row.assistant_messages,
    tokens: row.tokens_input === null ? null : factsOfRow(row).tokens,
    state: row.state,
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) {
    if (v === undefined) continue;
    if (JSON.stringify(v) !== JSON.stringify(current[k as keyof SessionFacts])) out[k] = v;
  }
  return out as SessionFacts;
};

export type ObserveResult = {
  readonly session: Session;
  readonly changed: readonly string[];
  readonly throttled: boolean;
  /** When throttled: the time (ms) from which the same activity change would be recorded. */
  readonly retryAtMs: number | null;
};

export type Observation = { readonly ref: unknown; readonly facts: unknown };
export type Observed = Omit<ObserveResult, "session">;

export const createSessionOps = (deps: ServiceDeps, resolve: Resolvers) => {
  const { store, now, machine } = deps;
  const lastEmittedMs = (row: SessionRow | null): number | null => {
    const stamps = [row?.last_activity_s, row?.state_s].filter((s): s is string => typeof s === "string");
    return stamps.length > 0 ? Math.max(...stamps.map(hlcMs)) : null;
  };
  const parseObservation = (
    ref: unknown,
    facts: unknown,
  ): Result<{ ref: SessionRef; facts: SessionFacts }, ServiceError> => {
    const r = parseInput(SessionRefSchema, ref, "session reference", sessionRefAccepted);
    if (!r.ok) return r;
    const f = parseInput(SessionFactsSchema, facts, "session facts", sessionFactsAccepted);
    if (!f.ok) return f;
    if (r.value.machineId !== machine.machineId) {
      return err(
        validationError("only the machine that hosts a session records it", [
          { path: "machineId", message: "not this machine" },
        ]),
      );
    }
    return ok({ ref: r.value, facts: f.value });
  };
  /** What to record for one observation (read inside the write transaction that appends it). */
  const decide = (input: {
    ref: SessionRef;
    facts: SessionFacts;
  }): { done: Observed; draft?: EventDraft } => {
    const key = sessionKey(input.ref);
    const row = store.q.sessions.getRow(key);
    const changed = changedFacts(row, input.facts);
    const fields = Object.keys(changed);
    if (fields.length === 0) return { done: { changed: [], throttled: false, retryAtMs: null } };
    const activityOnly =
      row !== null && fields.every((k) => (ACTIVITY_FIELDS as readonly string[]).includes(k));
    const last = lastEmittedMs(row);
    if (activityOnly && last !== null && now() - last < ACTIVITY_THROTTLE_MS) {
      return { done: { changed: [], throttled: true, retryAtMs: last + ACTIVITY_THROTTLE_MS } };
    }
    return {
      done: { changed: fields, throttled: false, retryAtMs: null },
      draft: { type: "session.observed", entityId: key, data: changed },
    };
  };
  /** Call inside a write transaction. */
  const observeParsed = (actor: Actor, input: { ref: SessionRef; facts: SessionFacts }): Observed => {
    const { done, draft } = decide(input);
    if (draft) store.log.append(actor, [draft]);
    return done;
  };
  /**
   * Titles kept out of events (sessions.share_titles = false) are still shown on this machine:
   * a local session without a recorded title gets the one its transcript's scanner state holds.
   */
  const withLocalTitles = (sessions: Session[]): Session[] => {
    const paths = sessions.flatMap((s) =>
      s.machineId === machine.machineId && s.title === null && s.transcriptPath ? [s.transcriptPath] : [],
    );
    if (paths.length === 0) return sessions;
    const titles = store.q.discovery.localTitles(paths);
    return sessions.map((s) => {
      const t = s.title === null && s.transcriptPath ? titles.get(s.transcriptPath) : undefined;
      return t === undefined || s.machineId !== machine.machineId ? s : { ...s, title: t };
    });
  };
  const localView = (s: Session): Session => withLocalTitles([s])[0]!;
  return {
    ...createScanStateOps(deps),

    /** Records facts about a session hosted by this machine. Only the host writes its sessions. */
    observeSession: (actor: Actor, ref: unknown, facts: unknown): Result<ObserveResult, ServiceError> => {
      const input = parseObservation(ref, facts);
      if (!input.ok) return input;
      return store.write(() => {
        const done = observeParsed(actor, input.value);
        return ok({ ...done, session: localView(store.q.sessions.get(sessionKey(input.value.ref))!) });
      });
    },

    /** observeSession for many sessions in one transaction (a scan); each result on its own. */
    observeSessions: (
      actor: Actor,
      observations: readonly Observation[],
    ): Result<Observed, ServiceError>[] => {
      const inputs = observations.map((o) => parseObservation(o.ref, o.facts));
      if (!inputs.some((i) => i.ok)) return inputs as Result<Observed, ServiceError>[];
      // One append for the whole batch: a cold scan records thousands of sessions at once.
      return store.write(() => {
        const decided = inputs.map((i) => (i.ok ? decide(i.value) : null));
        store.log.append(
          actor,
          decided.flatMap((d) => (d?.draft ? [d.draft] : [])),
        );
        return inputs.map((i, n) => (i.ok ? ok(decided[n]!.done) : i));
      });
    },

    /** The facts recorded for each session this machine hosts, by session id. */
    localSessionFacts: (): Map<string, Required<SessionFacts>> =>
      new Map(
        store.q.discovery
          .localSessionRows(machine.machineId)
          .map((r) => [r.session_id ?? r.id.slice(r.id.indexOf("/") + 1), factsOfRow(r)]),
      ),

    /** What this machine recorded for one of its sessions, or undefined when it never did. */
    localSessionFactsOf: (sessionId: string): Required<SessionFacts> | undefined => {
      const row = store.q.sessions.getRow(sessionKey({ machineId: machine.machineId, sessionId }));
      return row ? factsOfRow(row) : undefined;
    },

    getSession: (input: string): Result<Session, ServiceError> => {
      const s = resolve.session(input);
      if (!s.ok) return s;
      const view = store.q.sessions.get(sessionKey(s.value));
      return view
        ? ok(shownState(localView(view), silentMachines(store, now(), machine.machineId)))
        : err(notFound("session", input));
    },

    listSessions: (f: {
      machine?: string;
      state?: string[];
      cwd?: string;
      project?: string;
      limit?: number;
      offset?: number;
    }): Result<{ sessions: Session[]; total: number }, ServiceError> => {
      const filter = parseSessionFilter(resolve, f.machine, f.state);
      if (!filter.ok) return filter;
      const { machineId, states } = filter.value;
      const limit = Math.min(Math.max(f.limit ?? 200, 1), 5000);
      const offset = f.offset ?? 0;
      const silent = silentMachines(store, now(), machine.machineId);
      const shown = (list: Session[]) => withLocalTitles(list).map((x) => shownState(x, silent));
      // The common case pages in SQL. A project filter, or a state filter while some machine is
      // silent (its sessions' shown state differs from the recorded one), filters the shown rows.
      if (!f.project && (states.length === 0 || silent.size === 0)) {
        const result = store.q.sessions.list({ machineId, states, cwdPrefix: f.cwd, limit, offset });
        return ok({ ...result, sessions: shown(result.sessions) });
      }
      let owners: Set<string> | null = null;
      if (f.project) {
        const p = resolve.project(f.project);
        if (!p.ok) return p;
        // Sessions "on" a project are those owning one of its tasks.
        owners = new Set(
          store.q.tasks
            .list({ projectId: p.value, limit: 100_000, offset: 0 })
            .tasks.flatMap((t) => (t.owner ? [sessionKey(t.owner.session)] : [])),
        );
      }
      const all = shown(
        store.q.sessions.list({ machineId, cwdPrefix: f.cwd, limit: 100_000, offset: 0 }).sessions,
      ).filter(
        (x) =>
          (states.length === 0 || states.includes(x.state)) &&
          (owners === null || owners.has(`${x.machineId}/${x.sessionId}`)),
      );
      return ok({ sessions: all.slice(offset, offset + limit), total: all.length });
    },
  };
};

export type { SessionRef };
