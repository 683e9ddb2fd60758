// Agent operations: what Claude Code's hooks and Claire's MCP server need. A hook event registers
// the session and records its state, records a succession (the same Claude process with a new
// session id: open assignments and unread deliveries move to the successor), and answers with the
// briefing the agent is given (agent-briefing.ts). Claims that stop owning their task get a notice
// in the losing session's inbox (claim-notices.ts). Inputs and hook states: agent-inputs.ts.
import type { z } from "zod";
import type { Actor } from "../domain/actor.ts";
import { conflict, notFound, type ServiceError } from "../domain/errors.ts";
import type { EventDraft } from "../domain/events.ts";
import { shortHandle } from "../domain/ids.ts";
import { deliveryId, type MessageTarget } from "../domain/message.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { Session, SessionFacts } from "../domain/session.ts";
import { parseSessionKey, type SessionRef, sessionKey } from "../domain/session-ref.ts";
import { isAllowedTransition, type Task } from "../domain/task.ts";
import { msToIso } from "../domain/text.ts";
import type { Update } from "../domain/update.ts";
import type { InboxItem } from "../store/queries/messages.ts";
import { composeBriefing } from "./agent-briefing.ts";
import {
  CompleteTaskInputSchema,
  HookEventInputSchema,
  hookEventInputAccepted,
  hookStateFacts,
  RegisterSessionInputSchema,
} from "./agent-inputs.ts";
import { createNamer } from "./agent-names.ts";
import { chainKeys, currentSessionKey, predecessorKeys } from "./agent-succession.ts";
import { createClaimNotices } from "./claim-notices.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";
import type { ObserveResult } from "./sessions.ts";

export type HookResult = {
  readonly session: SessionRef & { readonly handle: string };
  /** What the hook prints as additionalContext; null: print nothing. */
  readonly context: string | null;
  /** Messages included whole in the context: mark them delivered once printed. */
  readonly messages: string[];
  /** Open tasks the session owns now (the hook remembers them for the next prompt). */
  readonly tasks: string[];
  /** The predecessor recorded by this event, as a key. */
  readonly predecessor: string | null;
};

export type WhoAmI = { readonly session: Session; readonly asked: string; readonly followed: string[] };

type AgentDeps = {
  readonly observeSession: (
    actor: Actor,
    ref: unknown,
    facts: unknown,
  ) => Result<ObserveResult, ServiceError>;
  readonly localDeliveries: (
    messages: readonly { id: string; hlc: string; target: MessageTarget }[],
  ) => EventDraft[];
};

const OPEN = ["todo", "in_progress", "blocked"] as const;
const FINISHED = new Set(["done", "cancelled"]);

export const createAgentOps = (deps: ServiceDeps, resolve: Resolvers, ops: AgentDeps) => {
  const { store, now, machine } = deps;
  const machineActor: Actor = { kind: "machine", id: machine.machineId };
  const namer = createNamer(store, machine);
  const notices = createClaimNotices(deps, { namer, localDeliveries: ops.localDeliveries });
  const local = (sessionId: string): SessionRef => ({ machineId: machine.machineId, sessionId });

  const ownedOpen = (ref: SessionRef): Task[] =>
    store.q.tasks.list({ owner: ref, statuses: [...OPEN], limit: 1000, offset: 0 }).tasks;
  /**
   * The messages `ref` has not been shown, less those another session of its chain has been shown
   * (delivered or acknowledged): a message is shown once per conversation, so a session resumed
   * after its successor handled a message is not given it again.
   */
  const pendingItems = (ref: SessionRef): InboxItem[] => {
    const pending = store.q.messages
      .inbox(ref.machineId, ref.sessionId, false)
      .filter((i) => i.delivery.state === "pending");
    if (pending.length === 0) return pending;
    const others = chainKeys(store, sessionKey(ref)).map((k) => parseSessionKey(k)!);
    if (others.length === 0) return pending;
    return pending.filter((i) =>
      others.every((o) => (store.q.messages.deliveryState(deliveryId(i.message.id, o)) ?? 0) === 0),
    );
  };

  /**
   * Records that `succ` continues `pred` (both hosted here): the succession event, every open task
   * of `pred` reassigned to `succ` (its assignment released, a new epoch for the successor), and a
   * pending delivery for `succ` of every message `pred` has not been shown. Inside a write.
   */
  const recordSuccession = (pred: SessionRef, succ: SessionRef, reason: string | null): void => {
    store.log.append(machineActor, [
      {
        type: "session.succeeded",
        entityId: sessionKey(succ),
        data: { predecessor: pred, ...(reason ? { reason } : {}) },
      },
    ]);
    moveWork(pred, succ);
  };

  /**
   * Hands the open tasks of `from` to `to` (its assignment released, a new epoch for `to`; an
   * accepted assignment stays accepted) and gives `to` a pending delivery of every message `from`
   * has not been shown. Inside a write.
   */
  const moveWork = (from: SessionRef, to: SessionRef): void => {
    for (const t of ownedOpen(from)) {
      const before = t.owner ? store.q.assignments.get(t.owner.assignmentId) : null;
      const drafts: EventDraft[] = [];
      if (before && before.state !== "released")
        drafts.push({ type: "assignment.state_changed", entityId: before.id, data: { state: "released" } });
      drafts.push({ type: "task.assigned", entityId: t.id, data: { session: to } });
      const appended = store.log.append(machineActor, drafts);
      const created = appended.at(-1)!;
      if (before?.state === "accepted")
        store.log.append(machineActor, [
          { type: "assignment.state_changed", entityId: created.id, data: { state: "accepted" } },
        ]);
    }
    const moved: EventDraft[] = [];
    for (const i of pendingItems(from)) {
      const id = deliveryId(i.message.id, to);
      if (store.q.messages.deliveryState(id) !== null) continue;
      moved.push({
        type: "delivery.recorded",
        entityId: id,
        data: { messageId: i.message.id, session: to, state: "pending" },
      });
    }
    store.log.append(machineActor, moved);
  };

  /** Whether `predId` may be recorded as the predecessor of `succ`. */
  const validPredecessor = (predId: string, succ: SessionRef): SessionRef | null => {
    if (predId === succ.sessionId) return null;
    const pred = local(predId);
    const row = store.q.sessions.getRow(sessionKey(pred));
    if (!row) return null;
    const succKey = sessionKey(succ);
    // Already continued: by a session that still runs (a second process resumed the old one),
    // which keeps it; one that ended gives way to the newer continuation (resumed, then /clear).
    if (row.successor !== null && store.q.sessions.getRow(row.successor)?.state !== "ended") return null;
    // Never a cycle: the new session must not be among the predecessor's own predecessors.
    if (predecessorKeys(store, sessionKey(pred)).includes(succKey)) return null;
    if (store.q.sessions.getRow(succKey)?.predecessor) return null;
    return pred;
  };

  const brief = (
    p: z.output<typeof HookEventInputSchema>,
    ref: SessionRef,
    predecessor: string | null,
  ): { context: string | null; messages: string[]; tasks: string[] } => {
    const names = namer();
    const owned = ownedOpen(ref);
    const ids = owned.map((t) => t.id);
    if (p.event !== "SessionStart" && p.event !== "UserPromptSubmit")
      return { context: null, messages: [], tasks: ids };
    const start = p.event === "SessionStart";
    const known = p.knownTasks === undefined ? null : new Set(p.knownTasks);
    const fresh = start ? owned : known === null ? [] : owned.filter((t) => !known.has(t.id));
    const lost =
      start || known === null
        ? []
        : [...known]
            .filter((id) => !ids.includes(id))
            .flatMap((id) => {
              const t = store.q.tasks.get(id);
              return t && !t.pending && !FINISHED.has(t.status) ? [t] : [];
            });
    // Cancelled by someone while this session worked on it: said once (it then leaves `known`).
    const cancelled =
      start || known === null
        ? []
        : [...known].flatMap((id) => {
            const t = store.q.tasks.get(id);
            return t && !t.pending && t.status === "cancelled" ? [t] : [];
          });
    const ready =
      start && owned.length === 0
        ? store.q.tasks
            .ready(null)
            .filter((t) => t.owner === null)
            .slice(0, 5)
        : [];
    const b = composeBriefing({
      kind: start ? "start" : "prompt",
      session: { handle: shortHandle(ref.sessionId), machineName: machine.machineName },
      tasks: fresh.map(names.task),
      lostTasks: lost.map(names.task),
      cancelledTasks: cancelled.map(names.task),
      ready: ready.map(names.task),
      messages: pendingItems(ref).map(names.message),
      predecessor: predecessor ? shortHandle(parseSessionKey(predecessor)!.sessionId) : null,
      budget: p.budget,
    });
    return { context: b.text, messages: [...b.included], tasks: ids };
  };

  return {
    /** Hooks: register, record state and succession, and brief the agent. One transaction. */
    hookEvent: (actor: Actor, input: unknown): Result<HookResult, ServiceError> => {
      const parsed = parseInput(HookEventInputSchema, input, "hook event", hookEventInputAccepted);
      if (!parsed.ok) return parsed;
      const p = parsed.value;
      return store.write(() => {
        const ref = local(p.sessionId);
        const row = store.q.sessions.getRow(sessionKey(ref));
        // Claude Code ends sessions that never started: `claude mcp list` and `claude mcp get` fire
        // a SessionEnd with a fresh id as they exit. There is nothing to end; registering it would
        // add a session that never existed to every machine's list.
        if (p.event === "SessionEnd" && !row)
          return ok({
            session: { ...ref, handle: shortHandle(ref.sessionId) },
            context: null,
            messages: [],
            tasks: [],
            predecessor: null,
          });
        const nowIso = msToIso(now());
        const facts: SessionFacts = {
          source: "claude",
          ...(p.cwd ? { cwd: p.cwd } : {}),
          ...(p.transcriptPath ? { transcriptPath: p.transcriptPath } : {}),
          ...(p.claudePid ? { pid: p.claudePid } : {}),
          ...(row?.first_activity ? {} : { firstActivity: nowIso }),
          ...(row?.last_activity ? {} : { lastActivity: nowIso }),
          ...hookStateFacts(p),
        };
        const observed = ops.observeSession(actor, ref, facts);
        if (!observed.ok) return observed;
        // An ended session started again (`claude --resume` of a conversation since /clear-ed):
        // it stands for itself again, and takes back the work its successors left open when
        // they have all ended too (one that still runs keeps its own).
        if (p.event === "SessionStart" && row?.state === "ended" && row.successor !== null) {
          const last = currentSessionKey(store, row.successor);
          if (last !== sessionKey(ref) && store.q.sessions.getRow(last)?.state === "ended")
            moveWork(parseSessionKey(last)!, ref);
        }
        let predecessor: string | null = null;
        if (p.event === "SessionStart" && p.predecessor) {
          const pred = validPredecessor(p.predecessor, ref);
          if (pred) {
            recordSuccession(pred, ref, p.source ?? null);
            predecessor = sessionKey(pred);
          }
        }
        const b = brief(p, ref, predecessor);
        return ok({
          session: { ...ref, handle: shortHandle(ref.sessionId) },
          context: b.context,
          messages: b.messages,
          tasks: b.tasks,
          predecessor,
        });
      });
    },

    /** Registers a session that calls Claire without hooks (the MCP server's first call). */
    registerSession: (actor: Actor, input: unknown): Result<Session, ServiceError> => {
      const parsed = parseInput(RegisterSessionInputSchema, input, "session registration");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const ref = local(parsed.value.sessionId);
        const key = sessionKey(ref);
        if (!store.q.sessions.getRow(key)) {
          const nowIso = msToIso(now());
          const r = ops.observeSession(actor, ref, {
            source: "claude",
            state: "working",
            firstActivity: nowIso,
            lastActivity: nowIso,
            ...(parsed.value.cwd ? { cwd: parsed.value.cwd } : {}),
            ...(parsed.value.pid ? { pid: parsed.value.pid } : {}),
          });
          if (!r.ok) return r;
        }
        return ok(store.q.sessions.get(key)!);
      });
    },

    /** The session an id stands for now: its successor once it has ended (currentSessionKey). */
    whoAmI: (input: string): Result<WhoAmI, ServiceError> => {
      const s = resolve.session(input);
      if (!s.ok) return s;
      const asked = sessionKey(s.value);
      const latest = currentSessionKey(store, asked);
      const view = store.q.sessions.get(latest);
      if (!view) return err(notFound("session", input));
      const before = predecessorKeys(store, latest);
      const followed = latest === asked ? [] : before.slice(0, before.indexOf(asked) + 1).reverse();
      return ok({ session: view, asked, followed });
    },

    /** An agent finishes a task: status done, its assignment done, and a 'done' update if given. */
    completeTask: (
      actor: Actor,
      input: unknown,
    ): Result<{ task: Task; update: Update | null }, ServiceError> => {
      const parsed = parseInput(CompleteTaskInputSchema, input, "completion");
      if (!parsed.ok) return parsed;
      const { taskId, summary } = parsed.value;
      return store.write(() => {
        const s = resolve.session(parsed.value.session);
        if (!s.ok) return s;
        const id = resolve.task(taskId);
        if (!id.ok) return id;
        const t = store.q.tasks.get(id.value);
        if (!t || t.pending) return err(notFound("task", taskId));
        if (t.owner && sessionKey(t.owner.session) !== sessionKey(s.value))
          return err(
            conflict(
              `task ${t.handle} belongs to session ${shortHandle(t.owner.session.sessionId)}, not to ${shortHandle(s.value.sessionId)}; only its owner (or a person) completes it`,
            ),
          );
        if (t.status === "done") return err(conflict(`task ${t.handle} is already done`));
        if (!isAllowedTransition(t.status, "done"))
          return err({
            type: "InvalidTransitionError",
            entity: "task",
            id: t.handle,
            from: t.status,
            to: "done",
          });
        const drafts: EventDraft[] = [
          { type: "task.status_changed", entityId: t.id, data: { status: "done" } },
        ];
        if (t.owner) {
          const a = store.q.assignments.get(t.owner.assignmentId);
          if (a && a.state !== "done")
            drafts.push({ type: "assignment.state_changed", entityId: a.id, data: { state: "done" } });
        }
        let updateId: string | null = null;
        if (summary?.trim()) {
          updateId = deps.ids.newId();
          drafts.push({
            type: "update.posted",
            entityId: updateId,
            data: { kind: "done", text: summary, taskId: t.id, projectId: t.projectId, session: s.value },
          });
        }
        store.log.append(actor, drafts);
        return ok({
          task: store.q.tasks.get(t.id)!,
          update: updateId ? store.q.updates.get(updateId) : null,
        });
      });
    },

    afterOwnerChanges: notices.afterOwnerChanges,
    claimLossNotices: notices.claimLossNotices,
  };
};

export type AgentOps = ReturnType<typeof createAgentOps>;
