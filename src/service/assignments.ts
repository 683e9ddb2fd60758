// Assignment operations: a person assigns or unassigns (a new epoch), an agent claims (on the epoch
// it saw), assignment state changes, and the next task for a session.
import type { Actor } from "../domain/actor.ts";
import {
  AssignInputSchema,
  type Assignment,
  AssignmentStateSchema,
  ClaimInputSchema,
} from "../domain/assignment.ts";
import { conflict, notFound, type ServiceError } from "../domain/errors.ts";
import { shortHandle } from "../domain/ids.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { type SessionRef, sessionKey } from "../domain/session-ref.ts";
import type { Task } from "../domain/task.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";

const FINISHED = new Set(["done", "cancelled"]);

export type AssignResult = { readonly task: Task; readonly assignment: Assignment | null };
export type NextResult = { readonly task: Task | null; readonly claimed: boolean; readonly reason: string };

/** Called inside the write after a person changed a task's owner (claim-loss notices, agent.ts). */
type OnOwnerChange = (taskIds: readonly string[]) => void;

export const createAssignmentOps = (
  { store }: ServiceDeps,
  resolve: Resolvers,
  onOwnerChange: OnOwnerChange = () => {},
) => {
  const liveTask = (input: string): Result<Task, ServiceError> => {
    const id = resolve.task(input);
    if (!id.ok) return id;
    const t = store.q.tasks.get(id.value);
    return t && !t.pending ? ok(t) : err(notFound("task", input));
  };
  const isOwner = (t: Task, s: SessionRef) =>
    t.owner !== null && sessionKey(t.owner.session) === sessionKey(s);

  const claimIn = (actor: Actor, t: Task, session: SessionRef): Result<AssignResult, ServiceError> => {
    if (FINISHED.has(t.status))
      return err(conflict(`task ${t.handle} is ${t.status}; reopen it before claiming`));
    if (t.owner) {
      if (isOwner(t, session))
        return ok({ task: t, assignment: store.q.assignments.get(t.owner.assignmentId) });
      return err(
        conflict(`task ${t.handle} is already owned by session ${shortHandle(t.owner.session.sessionId)}`),
      );
    }
    const [event] = store.log.append(actor, [
      { type: "task.claimed", entityId: t.id, data: { epoch: store.q.tasks.epoch(t.id), session } },
    ]);
    return ok({ task: store.q.tasks.get(t.id)!, assignment: store.q.assignments.get(event!.id) });
  };

  return {
    assignTask: (actor: Actor, input: unknown): Result<AssignResult, ServiceError> => {
      const parsed = parseInput(AssignInputSchema, input, "assignment");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const t = liveTask(parsed.value.taskId);
        if (!t.ok) return t;
        if (FINISHED.has(t.value.status))
          return err(conflict(`task ${t.value.handle} is ${t.value.status}; reopen it first`));
        const s = resolve.session(parsed.value.session);
        if (!s.ok) return s;
        if (isOwner(t.value, s.value) && t.value.owner?.via === "assigned") {
          return err(conflict(`task ${t.value.handle} is already assigned to that session`));
        }
        const [event] = store.log.append(actor, [
          { type: "task.assigned", entityId: t.value.id, data: { session: s.value } },
        ]);
        onOwnerChange([t.value.id]);
        return ok({ task: store.q.tasks.get(t.value.id)!, assignment: store.q.assignments.get(event!.id) });
      });
    },

    unassignTask: (actor: Actor, taskInput: string): Result<AssignResult, ServiceError> =>
      store.write(() => {
        const t = liveTask(taskInput);
        if (!t.ok) return t;
        if (!t.value.owner) return err(conflict(`task ${t.value.handle} has no owner`));
        store.log.append(actor, [{ type: "task.assigned", entityId: t.value.id, data: { session: null } }]);
        onOwnerChange([t.value.id]);
        return ok({ task: store.q.tasks.get(t.value.id)!, assignment: null });
      }),

    claimTask: (actor: Actor, input: unknown): Result<AssignResult, ServiceError> => {
      const parsed = parseInput(ClaimInputSchema, input, "claim");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const t = liveTask(parsed.value.taskId);
        if (!t.ok) return t;
        const s = resolve.session(parsed.value.session);
        if (!s.ok) return s;
        return claimIn(actor, t.value, s.value);
      });
    },

    changeAssignmentState: (
      actor: Actor,
      idInput: string,
      state: unknown,
    ): Result<Assignment, ServiceError> => {
      const parsed = parseInput(AssignmentStateSchema, state, "assignment state");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const id = store.q.resolve("assignments", idInput);
        if (!id.ok) return id;
        const a = store.q.assignments.get(id.value);
        if (!a) return err(notFound("assignment", idInput));
        if (a.state === parsed.value) return err(conflict(`assignment ${a.handle} is already ${a.state}`));
        if (a.state === "released")
          return err(conflict(`assignment ${a.handle} was released; assign the task again instead`));
        // Only the assignment that owns its task moves: an older one (the task was reassigned since,
        // or a later claim won) is history.
        if (!a.current)
          return err(
            conflict(
              `assignment ${a.handle} no longer owns its task (it was reassigned since); change the current one (claire task show)`,
            ),
          );
        store.log.append(actor, [
          { type: "assignment.state_changed", entityId: a.id, data: { state: parsed.value } },
        ]);
        return ok(store.q.assignments.get(a.id)!);
      });
    },

    listAssignments: (f: {
      task?: string;
      session?: string;
      current?: boolean;
      limit?: number;
    }): Result<Assignment[], ServiceError> => {
      let taskId: string | undefined;
      let session: SessionRef | undefined;
      if (f.task) {
        const t = resolve.task(f.task);
        if (!t.ok) return t;
        taskId = t.value;
      }
      if (f.session) {
        const s = resolve.session(f.session);
        if (!s.ok) return s;
        session = s.value;
      }
      return ok(
        store.q.assignments.list({
          taskId,
          session,
          currentOnly: f.current,
          limit: Math.min(f.limit ?? 200, 1000),
        }),
      );
    },

    /** What a session should work on next: its own open tasks first, then the ready queue. */
    nextTask: (
      actor: Actor,
      sessionInput: string,
      opts: { claim?: boolean; project?: string } = {},
    ): Result<NextResult, ServiceError> =>
      store.write(() => {
        const s = resolve.session(sessionInput);
        if (!s.ok) return s;
        let projectId: string | null = null;
        if (opts.project) {
          const p = resolve.project(opts.project);
          if (!p.ok) return p;
          projectId = p.value;
        }
        const own = store.q.tasks.list({
          owner: s.value,
          statuses: ["in_progress", "todo"],
          projectId: projectId ?? undefined,
          limit: 1,
          offset: 0,
        }).tasks[0];
        if (own) return ok({ task: own, claimed: false, reason: "already yours" });
        const candidate = store.q.tasks.ready(projectId).find((t) => t.owner === null);
        if (!candidate) return ok({ task: null, claimed: false, reason: "no ready task without an owner" });
        if (!opts.claim) return ok({ task: candidate, claimed: false, reason: "ready" });
        const claimed = claimIn(actor, candidate, s.value);
        if (!claimed.ok) return claimed;
        return ok({ task: claimed.value.task, claimed: true, reason: "claimed" });
      }),
  };
};
