// Session operations: record what this machine sees of its own sessions (only changed fields,
// activity throttled), and read sessions of the whole fleet.
import type { Actor } from "../domain/actor.ts";
import { notFound, type ServiceError, validationError } from "../domain/errors.ts";
import { hlcMs } from "../domain/merge.ts";
import { err, ok, type Result } from "../domain/result.ts";
import {
  ACTIVITY_FIELDS,
  ACTIVITY_THROTTLE_MS,
  type Session,
  type SessionFacts,
  SessionFactsSchema,
  type SessionState,
  SessionStateSchema,
} from "../domain/session.ts";
import { type SessionRef, SessionRefSchema, sessionKey } from "../domain/session-ref.ts";
import type { SessionRow } from "../store/queries/sessions.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";

/** The fields of `facts` that differ from what this machine last recorded for the session. */
export const changedFacts = (row: SessionRow | null, facts: SessionFacts): SessionFacts => {
  if (!row) return facts;
  const current: Record<keyof SessionFacts, unknown> = {
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
    userMessages: row.user_messages,
    assistantMessages: row.assistant_messages,
    tokens:
      row.tokens_input === null
        ? null
        : {
            input: row.tokens_input,
            output: row.tokens_output,
            cacheCreation: row.tokens_cache_creation,
            cacheRead: row.tokens_cache_read,
          },
    costUsd: row.cost_usd,
    state: row.state,
    stateReason: row.state_reason,
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
};

export const createSessionOps = ({ store, now, machine }: ServiceDeps, resolve: Resolvers) => {
  const lastEmittedMs = (row: SessionRow | null): number | null => {
    const stamps = [row?.last_activity_s, row?.state_s].filter((s): s is string => typeof s === "string");
    return stamps.length > 0 ? Math.max(...stamps.map(hlcMs)) : null;
  };
  return {
    /** Records facts about a session hosted by this machine. Only the host writes its sessions. */
    observeSession: (actor: Actor, ref: unknown, facts: unknown): Result<ObserveResult, ServiceError> => {
      const r = parseInput(SessionRefSchema, ref, "session reference");
      if (!r.ok) return r;
      const f = parseInput(SessionFactsSchema, facts, "session facts");
      if (!f.ok) return f;
      if (r.value.machineId !== machine.machineId) {
        return err(
          validationError("only the machine that hosts a session records it", [
            { path: "machineId", message: "not this machine" },
          ]),
        );
      }
      const key = sessionKey(r.value);
      return store.write(() => {
        const row = store.q.sessions.getRow(key);
        const changed = changedFacts(row, f.value);
        const fields = Object.keys(changed);
        if (fields.length === 0)
          return ok({ session: store.q.sessions.get(key)!, changed: [], throttled: false });
        const activityOnly =
          row !== null && fields.every((k) => (ACTIVITY_FIELDS as readonly string[]).includes(k));
        const last = lastEmittedMs(row);
        if (activityOnly && last !== null && now() - last < ACTIVITY_THROTTLE_MS) {
          return ok({ session: store.q.sessions.get(key)!, changed: [], throttled: true });
        }
        store.log.append(actor, [{ type: "session.observed", entityId: key, data: changed }]);
        return ok({ session: store.q.sessions.get(key)!, changed: fields, throttled: false });
      });
    },

    getSession: (input: string): Result<Session, ServiceError> => {
      const s = resolve.session(input);
      if (!s.ok) return s;
      const view = store.q.sessions.get(sessionKey(s.value));
      return view ? ok(view) : err(notFound("session", input));
    },

    listSessions: (f: {
      machine?: string;
      state?: string[];
      cwd?: string;
      project?: string;
      limit?: number;
      offset?: number;
    }): Result<{ sessions: Session[]; total: number }, ServiceError> => {
      let machineId: string | undefined;
      if (f.machine) {
        const m = resolve.machine(f.machine);
        if (!m.ok) return m;
        machineId = m.value;
      }
      const states: SessionState[] = [];
      for (const s of f.state ?? []) {
        const p = SessionStateSchema.safeParse(s);
        if (!p.success)
          return err(
            validationError(`unknown session state '${s}'`, [
              { path: "state", message: "working, waiting, idle, ended or unknown" },
            ]),
          );
        states.push(p.data);
      }
      const limit = Math.min(Math.max(f.limit ?? 200, 1), 5000);
      const result = store.q.sessions.list({
        machineId,
        states,
        cwdPrefix: f.cwd,
        limit,
        offset: f.offset ?? 0,
      });
      if (!f.project) return ok(result);
      const p = resolve.project(f.project);
      if (!p.ok) return p;
      // Sessions "on" a project are those owning one of its tasks.
      const owners = new Set(
        store.q.tasks
          .list({ projectId: p.value, limit: 100_000, offset: 0 })
          .tasks.flatMap((t) => (t.owner ? [sessionKey(t.owner.session)] : [])),
      );
      const sessions = result.sessions.filter((s) => owners.has(`${s.machineId}/${s.sessionId}`));
      return ok({ sessions, total: sessions.length });
    },
  };
};

export type { SessionRef };
