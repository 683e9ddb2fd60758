// Merge rules: what each event does to the projections, as data. The store executes these writes
// with "only if newer" semantics, so any arrival order, batch split or duplicate yields the same
// projection:
//   lww      scalar fields, last writer wins by stamp (HLC, then event id)
//   element  one element of a set-valued field with its own LWW "present" flag
//   insert   append-only rows (updates, messages, assignment facts): the earliest copy (by HLC) is
//            kept whatever the arrival order; duplicates change nothing
//   delivery delivery state, merged by maximum (pending < delivered < acknowledged)
//   owner    recompute a task's owner from its epoch and claims (a pure function of merged rows)
import type { KnownEvent } from "./events.ts";
import { deliveryRank } from "./message.ts";
import { type SessionRef, sessionKey } from "./session-ref.ts";

export type Scalar = string | number | null;

export type LwwTable = "projects" | "tasks" | "assignments" | "sessions" | "groups" | "machines";
export type SetTable = "task_labels" | "task_deps" | "group_rules" | "group_members";
export type InsertTable = "assignments" | "updates" | "messages";

export type ProjectionWrite =
  | {
      readonly op: "lww";
      readonly table: LwwTable;
      readonly id: string;
      readonly values: Readonly<Record<string, Scalar>>;
    }
  | {
      readonly op: "element";
      readonly table: SetTable;
      readonly id: string;
      readonly element: string;
      readonly present: boolean;
    }
  | { readonly op: "insert"; readonly table: InsertTable; readonly row: Readonly<Record<string, Scalar>> }
  | {
      readonly op: "delivery";
      readonly id: string;
      readonly messageId: string;
      readonly session: SessionRef;
      readonly rank: number;
    }
  | { readonly op: "owner"; readonly taskId: string }
  | { readonly op: "owner-of-assignment"; readonly assignmentId: string };

/** The order key of an event for last-writer-wins: HLC first, the event id breaks a tie. */
export const eventStamp = (e: { readonly hlc: string; readonly id: string }): string => `${e.hlc}/${e.id}`;

/** Milliseconds encoded in an HLC string (its first 12 hex digits). */
export const hlcMs = (hlc: string): number => Number.parseInt(hlc.slice(0, 12), 16);

/** Picks only the keys present, mapping camelCase field names to columns. */
const present = (pairs: Readonly<Record<string, Scalar | undefined>>): Record<string, Scalar> => {
  const out: Record<string, Scalar> = {};
  for (const [k, v] of Object.entries(pairs)) if (v !== undefined) out[k] = v;
  return out;
};

export const eventWrites = (e: KnownEvent): ProjectionWrite[] => {
  const id = e.entityId;
  switch (e.type) {
    case "project.created":
      return [
        {
          op: "lww",
          table: "projects",
          id,
          values: { name: e.data.name, description: e.data.description, created_ms: hlcMs(e.hlc) },
        },
      ];
    case "project.updated":
      return [
        {
          op: "lww",
          table: "projects",
          id,
          values: present({ name: e.data.name, description: e.data.description }),
        },
      ];
    case "project.archived":
      return [{ op: "lww", table: "projects", id, values: { archived: e.data.archived ? 1 : 0 } }];
    case "task.created": {
      const d = e.data;
      return [
        {
          op: "lww",
          table: "tasks",
          id,
          values: {
            project_id: d.projectId,
            title: d.title,
            description: d.description,
            priority: d.priority,
            status: d.status,
            created_ms: hlcMs(e.hlc),
          },
        },
        ...d.labels.map(
          (l): ProjectionWrite => ({ op: "element", table: "task_labels", id, element: l, present: true }),
        ),
        ...d.dependsOn.map(
          (t): ProjectionWrite => ({ op: "element", table: "task_deps", id, element: t, present: true }),
        ),
      ];
    }
    case "task.updated":
      return [
        {
          op: "lww",
          table: "tasks",
          id,
          values: present({
            title: e.data.title,
            description: e.data.description,
            priority: e.data.priority,
            project_id: e.data.projectId,
          }),
        },
      ];
    case "task.status_changed":
      return [{ op: "lww", table: "tasks", id, values: { status: e.data.status } }];
    case "task.label_added":
    case "task.label_removed":
      return [
        {
          op: "element",
          table: "task_labels",
          id,
          element: e.data.label,
          present: e.type === "task.label_added",
        },
      ];
    case "task.dependency_added":
    case "task.dependency_removed":
      return [
        {
          op: "element",
          table: "task_deps",
          id,
          element: e.data.dependsOn,
          present: e.type === "task.dependency_added",
        },
      ];
    case "task.assigned": {
      const writes: ProjectionWrite[] = [{ op: "lww", table: "tasks", id, values: { epoch: e.id } }];
      if (e.data.session) writes.push(assignmentRow(e, e.data.session, "assigned", e.id));
      writes.push({ op: "owner", taskId: id });
      return writes;
    }
    case "task.claimed":
      return [assignmentRow(e, e.data.session, "claimed", e.data.epoch), { op: "owner", taskId: id }];
    case "assignment.state_changed":
      return [
        { op: "lww", table: "assignments", id, values: { state: e.data.state } },
        { op: "owner-of-assignment", assignmentId: id },
      ];
    case "session.observed": {
      const d = e.data;
      const [machineId, sessionId] = splitKey(id);
      return [
        {
          op: "lww",
          table: "sessions",
          id,
          values: present({
            machine_id: machineId,
            session_id: sessionId,
            cwd: d.cwd,
            git_branch: d.gitBranch,
            version: d.version,
            title: d.title,
            model: d.model,
            transcript_path: d.transcriptPath,
            source: d.source,
            pid: d.pid,
            parent_pid: d.parentPid,
            first_activity: d.firstActivity,
            last_activity: d.lastActivity,
            user_messages: d.userMessages,
            assistant_messages: d.assistantMessages,
            tokens_input: d.tokens?.input,
            tokens_output: d.tokens?.output,
            tokens_cache_creation: d.tokens?.cacheCreation,
            tokens_cache_read: d.tokens?.cacheRead,
            cost_usd: d.costUsd,
            state: d.state,
            state_reason: d.stateReason,
          }),
        },
      ];
    }
    case "session.succeeded": {
      const [machineId, sessionId] = splitKey(id);
      const pred = sessionKey(e.data.predecessor);
      return [
        {
          op: "lww",
          table: "sessions",
          id,
          values: { machine_id: machineId, session_id: sessionId, predecessor: pred },
        },
        {
          op: "lww",
          table: "sessions",
          id: pred,
          values: {
            machine_id: e.data.predecessor.machineId,
            session_id: e.data.predecessor.sessionId,
            successor: id,
          },
        },
      ];
    }
    case "group.created":
      return [
        {
          op: "lww",
          table: "groups",
          id,
          values: { name: e.data.name, description: e.data.description, created_ms: hlcMs(e.hlc) },
        },
      ];
    case "group.updated":
      return [{ op: "lww", table: "groups", id, values: { description: e.data.description } }];
    case "group.rule_added":
    case "group.rule_removed":
      return [
        {
          op: "element",
          table: "group_rules",
          id,
          element: e.data.rule,
          present: e.type === "group.rule_added",
        },
      ];
    case "group.member_added":
    case "group.member_removed":
      return [
        {
          op: "element",
          table: "group_members",
          id,
          element: sessionKey(e.data.session),
          present: e.type === "group.member_added",
        },
      ];
    case "update.posted":
      return [
        {
          op: "insert",
          table: "updates",
          row: {
            id,
            hlc: e.hlc,
            kind: e.data.kind,
            text: e.data.text,
            task_id: e.data.taskId,
            project_id: e.data.projectId,
            session_key: e.data.session ? sessionKey(e.data.session) : null,
            actor_kind: e.actor.kind,
            actor_id: e.actor.id,
          },
        },
      ];
    case "message.sent":
      return [
        {
          op: "insert",
          table: "messages",
          row: {
            id,
            hlc: e.hlc,
            body: e.data.body,
            target: JSON.stringify(e.data.target),
            sender_kind: e.actor.kind,
            sender_id: e.actor.id,
          },
        },
      ];
    case "delivery.recorded":
      return [
        {
          op: "delivery",
          id,
          messageId: e.data.messageId,
          session: e.data.session,
          rank: deliveryRank(e.data.state),
        },
      ];
    case "machine.announced":
      return [
        {
          op: "lww",
          table: "machines",
          id,
          values: { name: e.data.name, groups: JSON.stringify(e.data.groups) },
        },
      ];
  }
};

const assignmentRow = (
  e: KnownEvent,
  session: SessionRef,
  via: "assigned" | "claimed",
  epoch: string | null,
): ProjectionWrite => ({
  op: "insert",
  table: "assignments",
  row: {
    id: e.id,
    task_id: e.entityId,
    machine_id: session.machineId,
    session_id: session.sessionId,
    via,
    epoch,
    hlc: e.hlc,
    by_kind: e.actor.kind,
    by_id: e.actor.id,
  },
});

const splitKey = (key: string): [string, string] => {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
};
