// Agent operations: what Claude Code's hooks and Claire's MCP server need. A hook event registers
// the session and records its state, records a succession (the same Claude process with a new
// session id: open assignments and unread deliveries move to the successor), and answers with the
// briefing the agent is given. Claims that stop owning their task get a notice in the losing
// session's inbox, written by the machine hosting that session with a deterministic id.
import { z } from "zod";
import type { Actor } from "../domain/actor.ts";
import { conflict, notFound, type ServiceError } from "../domain/errors.ts";
import type { EventDraft } from "../domain/events.ts";
import { derivedId, shortHandle } from "../domain/ids.ts";
import { deliveryId, type MessageTarget } from "../domain/message.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { Session, SessionFacts } from "../domain/session.ts";
import { parseSessionKey, type SessionRef, SessionRefSchema, sessionKey } from "../domain/session-ref.ts";
import { isAllowedTransition, type Task } from "../domain/task.ts";
import { msToIso } from "../domain/text.ts";
import type { Update } from "../domain/update.ts";
import type { InboxItem } from "../store/queries/messages.ts";
import { type BriefMessage, type BriefTask, composeBriefing } from "./agent-briefing.ts";
import { latestSuccessorKey, predecessorKeys } from "./agent-succession.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";
import type { ObserveResult } from "./sessions.ts";

export const HOOK_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "Notification",
  "Stop",
  "SessionEnd",
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** The most a hook may print: Claude Code injects 10,000 characters whole, and no more. */
export const HOOK_OUTPUT_LIMIT = 10_000;

const SessionIdSchema = SessionRefSchema.shape.sessionId;
const optText = (max: number) => z.string().max(max).nullable().optional();

export const HookEventInputSchema = z.strictObject({
  event: z.enum(HOOK_EVENTS),
  sessionId: SessionIdSchema,
  cwd: optText(4096),
  transcriptPath: optText(4096),
  /** SessionStart: startup, resume, clear, compact, fork. */
  source: optText(64),
  /** SessionEnd: clear, other, prompt_input_exit, ... */
  reason: optText(200),
  /** Notification: permission_prompt, idle_prompt, ... and its text. */
  notificationType: optText(200),
  message: optText(2000),
  /** The Claude Code process (CLAUDE_PID). */
  claudePid: z.number().int().positive().max(4_294_967_295).nullable().optional(),
  /** The session this same Claude process registered before (the hook remembers it). */
  predecessor: SessionIdSchema.nullable().optional(),
  /** Tasks the session was told it owns at its last briefing (UserPromptSubmit reports changes). */
  knownTasks: z.array(z.string().max(64)).max(1000).optional(),
  /** Longest briefing, as JSON-escaped characters. */
  budget: z
    .number()
    .int()
    .min(1000)
    .max(HOOK_OUTPUT_LIMIT)
    .default(HOOK_OUTPUT_LIMIT - 200),
});
export type HookEventInput = z.input<typeof HookEventInputSchema>;

export const RegisterSessionInputSchema = z.strictObject({
  sessionId: SessionIdSchema,
  cwd: optText(4096),
  pid: z.number().int().positive().max(4_294_967_295).nullable().optional(),
});

export const CompleteTaskInputSchema = z.strictObject({
  session: z.string().min(1).max(300).describe("the completing session: id, handle or machine/session key"),
  taskId: z.string().min(1).max(200),
  summary: z
    .string()
    .max(20_000)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters")
    .optional()
    .describe("what was done; posted as a 'done' update"),
});

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

/** The id of the notice telling a session its claim stopped owning the task: one per claim. */
export const claimLostNoticeId = (assignmentId: string): string =>
  derivedId("claire-notice", "claim-lost", assignmentId);

const stateFacts = (p: z.output<typeof HookEventInputSchema>): SessionFacts => {
  switch (p.event) {
    case "SessionStart":
      // Compaction restarts a session in the middle of a turn: its state does not change.
      return p.source === "compact" ? {} : { state: "idle", stateReason: null };
    case "UserPromptSubmit":
      return { state: "working", stateReason: null };
    case "Notification": {
      const what = `${p.notificationType ?? ""} ${p.message ?? ""}`.toLowerCase();
      if (what.includes("permission")) return { state: "waiting", stateReason: "permission" };
      if (/idle|input|elicitation|waiting/.test(what)) return { state: "waiting", stateReason: "input" };
      return {}; // other notices (auth_success, ...) say nothing about the state
    }
    case "Stop":
      return { state: "idle", stateReason: null };
    case "SessionEnd":
      return { state: "ended", stateReason: p.reason ?? null, pid: null };
  }
};

export const createAgentOps = (deps: ServiceDeps, resolve: Resolvers, ops: AgentDeps) => {
  const { store, now, machine } = deps;
  const machineActor: Actor = { kind: "machine", id: machine.machineId };
  const local = (sessionId: string): SessionRef => ({ machineId: machine.machineId, sessionId });

  /** Names looked up once per briefing (it names the same few projects and groups many times). */
  const namer = () => {
    const memo = <T>(fn: (id: string) => T) => {
      const seen = new Map<string, T>();
      return (id: string): T => {
        if (!seen.has(id)) seen.set(id, fn(id));
        return seen.get(id)!;
      };
    };
    const machineName = memo((id) =>
      id === machine.machineId ? machine.machineName : (store.q.machines.get(id)?.name ?? shortHandle(id)),
    );
    const projectName = memo((id) => store.q.projects.get(id)?.name ?? null);
    const groupName = memo((id) => store.q.groups.get(id)?.name ?? shortHandle(id));
    const actor = (a: { kind: string; id: string }): string =>
      a.kind === "machine" ? `claire on machine "${machineName(a.id)}"` : `${a.kind}:${a.id}`;
    const target = (t: MessageTarget): string => {
      switch (t.kind) {
        case "session":
          return "you";
        case "group":
          return `group "${groupName(t.groupId)}"`;
        case "machine":
          return `every session on machine "${machineName(t.machineId)}"`;
        case "all":
          return "every session";
      }
    };
    return {
      machineName,
      actor,
      task: (t: Task): BriefTask => ({
        id: t.id,
        handle: t.handle,
        title: t.title ?? "(untitled)",
        status: t.status,
        priority: t.priority,
        project: t.projectId === null ? null : projectName(t.projectId),
        description: t.description,
        via: t.owner?.via ?? null,
      }),
      message: (i: InboxItem): BriefMessage => ({
        id: i.message.id,
        handle: i.message.handle,
        sender: actor(i.message.sender),
        to: target(i.message.target),
        createdAt: i.message.createdAt,
        body: i.message.body,
      }),
    };
  };

  const ownedOpen = (ref: SessionRef): Task[] =>
    store.q.tasks.list({ owner: ref, statuses: [...OPEN], limit: 1000, offset: 0 }).tasks;
  const pendingItems = (ref: SessionRef): InboxItem[] =>
    store.q.messages.inbox(ref.machineId, ref.sessionId, false).filter((i) => i.delivery.state === "pending");

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
    for (const t of ownedOpen(pred)) {
      const before = t.owner ? store.q.assignments.get(t.owner.assignmentId) : null;
      const drafts: EventDraft[] = [];
      if (before && before.state !== "released")
        drafts.push({ type: "assignment.state_changed", entityId: before.id, data: { state: "released" } });
      drafts.push({ type: "task.assigned", entityId: t.id, data: { session: succ } });
      const appended = store.log.append(machineActor, drafts);
      const created = appended.at(-1)!;
      if (before?.state === "accepted")
        store.log.append(machineActor, [
          { type: "assignment.state_changed", entityId: created.id, data: { state: "accepted" } },
        ]);
    }
    const moved: EventDraft[] = [];
    for (const i of pendingItems(pred)) {
      const id = deliveryId(i.message.id, succ);
      if (store.q.messages.deliveryState(id) !== null) continue;
      moved.push({
        type: "delivery.recorded",
        entityId: id,
        data: { messageId: i.message.id, session: succ, state: "pending" },
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
    if (row.successor !== null) return null; // already continued (by this one or another)
    // Never a cycle: the new session must not be among the predecessor's own predecessors.
    if (predecessorKeys(store, sessionKey(pred)).includes(succKey)) return null;
    if (store.q.sessions.getRow(succKey)?.predecessor) return null;
    return pred;
  };

  /** Claims hosted here that no longer own their task get one notice each. Inside a write. */
  const claimLossNotices = (taskIds: Iterable<string>): number => {
    let made = 0;
    for (const taskId of new Set(taskIds)) {
      const task = store.q.tasks.get(taskId);
      if (!task || task.pending) continue;
      for (const a of store.q.assignments.list({ taskId, limit: 1000 })) {
        if (a.via !== "claimed" || a.current || a.session.machineId !== machine.machineId) continue;
        if (a.state === "released" || a.state === "done") continue;
        const id = claimLostNoticeId(a.id);
        if (store.q.messages.hlcOf(id) !== null) continue;
        const target: MessageTarget = { kind: "session", session: a.session };
        const [event] = store.log.append(machineActor, [
          { type: "message.sent", entityId: id, data: { body: lossText(task), target } },
        ]);
        store.log.append(machineActor, ops.localDeliveries([{ id, hlc: event!.hlc, target }]));
        made++;
      }
    }
    return made;
  };

  const lossText = (t: Task): string => {
    const names = namer();
    const title = `task ${t.handle} "${t.title ?? ""}"`;
    let why: string;
    if (t.owner === null) why = "the task was unassigned since (a new epoch with no owner)";
    else {
      const owner = store.q.assignments.get(t.owner.assignmentId);
      const who = `session ${shortHandle(t.owner.session.sessionId)} on machine "${names.machineName(t.owner.session.machineId)}"`;
      why =
        t.owner.via === "claimed"
          ? `${who} claimed it first (the earliest claim on an assignment epoch wins once machines sync)`
          : `it was assigned to ${who}${owner ? ` by ${names.actor(owner.by)}` : ""}`;
    }
    return (
      `Your claim on ${title} did not hold: ${why}. It is not yours any more: stop working on it, ` +
      "post what you have with post_update, and pick another task with next_task."
    );
  };

  /** Tasks whose owner may have changed because of these events (for claimLossNotices). */
  const tasksTouched = (events: readonly { type: string; entityId: string }[]): string[] => {
    const out: string[] = [];
    for (const e of events) {
      if (e.type === "task.claimed" || e.type === "task.assigned") out.push(e.entityId);
      else if (e.type === "assignment.state_changed") {
        const a = store.q.assignments.get(e.entityId);
        if (a) out.push(a.taskId);
      }
    }
    return out;
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
      const parsed = parseInput(HookEventInputSchema, input, "hook event");
      if (!parsed.ok) return parsed;
      const p = parsed.value;
      return store.write(() => {
        const ref = local(p.sessionId);
        const row = store.q.sessions.getRow(sessionKey(ref));
        const nowIso = msToIso(now());
        const facts: SessionFacts = {
          source: "claude",
          ...(p.cwd ? { cwd: p.cwd } : {}),
          ...(p.transcriptPath ? { transcriptPath: p.transcriptPath } : {}),
          ...(p.claudePid ? { pid: p.claudePid } : {}),
          ...(row?.first_activity ? {} : { firstActivity: nowIso }),
          ...(row?.last_activity ? {} : { lastActivity: nowIso }),
          ...stateFacts(p),
        };
        const observed = ops.observeSession(actor, ref, facts);
        if (!observed.ok) return observed;
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

    /** The session an id stands for now: the latest successor of the one named. */
    whoAmI: (input: string): Result<WhoAmI, ServiceError> => {
      const s = resolve.session(input);
      if (!s.ok) return s;
      const asked = sessionKey(s.value);
      const latest = latestSuccessorKey(store, asked);
      const view = store.q.sessions.get(latest);
      if (!view) return err(notFound("session", input));
      const followed = latest === asked ? [] : [...predecessorKeys(store, latest)].reverse();
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

    /** After events that may change task owners (local or ingested): notices for lost claims. */
    afterOwnerChanges: (events: readonly { type: string; entityId: string }[]): number =>
      claimLossNotices(tasksTouched(events)),

    /** The same, for tasks named directly. Call inside a write. */
    claimLossNotices,
  };
};

export type AgentOps = ReturnType<typeof createAgentOps>;
