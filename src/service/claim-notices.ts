// Notices for lost claims: a claim (via "claimed") that stops owning its task, because another
// claim on the same assignment epoch came first once machines synced or a person reassigned the
// task, gets one message in the losing session's inbox. Written by the machine hosting that
// session, with a deterministic id, so every machine that sees the loss agrees on one notice.

import type { Actor } from "../domain/actor.ts";
import type { EventDraft } from "../domain/events.ts";
import { derivedId, shortHandle } from "../domain/ids.ts";
import type { MessageTarget } from "../domain/message.ts";
import { sessionKey } from "../domain/session-ref.ts";
import type { Task } from "../domain/task.ts";
import type { Namer } from "./agent-names.ts";
import type { ServiceDeps } from "./context.ts";

/** The id of the notice telling a session its claim stopped owning the task: one per claim. */
export const claimLostNoticeId = (assignmentId: string): string =>
  derivedId("claire-notice", "claim-lost", assignmentId);

export type ClaimNoticeDeps = {
  readonly namer: () => Namer;
  readonly localDeliveries: (
    messages: readonly { id: string; hlc: string; target: MessageTarget }[],
  ) => EventDraft[];
};

export const createClaimNotices = (deps: ServiceDeps, notices: ClaimNoticeDeps) => {
  const { store, machine } = deps;
  const machineActor: Actor = { kind: "machine", id: machine.machineId };
  const namer = notices.namer;

  /** Claims hosted here that no longer own their task get one notice each. Inside a write. */
  const claimLossNotices = (taskIds: Iterable<string>): number => {
    let made = 0;
    for (const taskId of new Set(taskIds)) {
      const task = store.q.tasks.get(taskId);
      if (!task || task.pending) continue;
      for (const a of store.q.assignments.list({ taskId, limit: 1000 })) {
        if (a.via !== "claimed" || a.current || a.session.machineId !== machine.machineId) continue;
        if (a.state === "released" || a.state === "done") continue;
        // The task went to the claiming session itself (a person made its claim official, or a
        // later claim of its own won): nothing was lost, and "stop working on it" would be wrong.
        if (task.owner && sessionKey(task.owner.session) === sessionKey(a.session)) continue;
        const id = claimLostNoticeId(a.id);
        if (store.q.messages.hlcOf(id) !== null) continue;
        const target: MessageTarget = { kind: "session", session: a.session };
        const [event] = store.log.append(machineActor, [
          { type: "message.sent", entityId: id, data: { body: lossText(task), target } },
        ]);
        store.log.append(machineActor, notices.localDeliveries([{ id, hlc: event!.hlc, target }]));
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

  return {
    /** After events that may change task owners (local or ingested): notices for lost claims. */
    afterOwnerChanges: (events: readonly { type: string; entityId: string }[]): number =>
      claimLossNotices(tasksTouched(events)),
    /** The same, for tasks named directly. Call inside a write. */
    claimLossNotices,
  };
};
