// A task's timeline: its events (created, moved, assigned, claimed, dependencies, labels, the
// assignment's acceptance and completion by the agent) and its notes, oldest first, each with who.
import type { Task } from "../../../domain/task.ts";
import type { TimelineEntry } from "../../../domain/timeline.ts";
import type { Update } from "../../../domain/update.ts";
import type { PageCtx } from "../page.ts";
import { actorLabel, STATUS_LABEL, sessionHref } from "./format.ts";
import { Empty, Panel, TaskLink, Time } from "./parts.tsx";

const SessionRefLink = (p: { s: { machineId: string; sessionId: string } }) => (
  <a href={sessionHref(p.s)}>
    session <code>{p.s.sessionId.slice(0, 8)}</code>
  </a>
);

/** What an event did, in words. */
const describe = (e: TimelineEntry, ctx: PageCtx) => {
  const d = e.data as Record<string, unknown>;
  const session = d.session as { machineId: string; sessionId: string } | null | undefined;
  switch (e.type) {
    case "task.created":
      return <>created the task</>;
    case "task.updated":
      return <>changed {Object.keys(d).join(", ")}</>;
    case "task.status_changed":
      return <>moved it to {STATUS_LABEL[d.status as Task["status"]] ?? String(d.status)}</>;
    case "task.label_added":
      return <>added label {String(d.label)}</>;
    case "task.label_removed":
      return <>removed label {String(d.label)}</>;
    case "task.dependency_added":
    case "task.dependency_removed": {
      const dep = ctx.service.getTask(String(d.dependsOn));
      const link = dep.ok ? <TaskLink task={dep.value} /> : <code>{String(d.dependsOn)}</code>;
      return (
        <>
          {e.type === "task.dependency_added" ? "made it wait for " : "stopped it waiting for "}
          {link}
        </>
      );
    }
    case "task.assigned":
      return session ? (
        <>
          assigned it to <SessionRefLink s={session} />
        </>
      ) : (
        <>unassigned it</>
      );
    case "task.claimed":
      return session ? (
        <>
          claimed it for <SessionRefLink s={session} />
        </>
      ) : (
        <>claimed it</>
      );
    case "assignment.state_changed":
      return <>marked the assignment {String(d.state)}</>;
    default:
      return <>{e.type}</>;
  }
};

type Line = { at: string; key: string; body: unknown };

export const Timeline = (p: {
  entries: readonly TimelineEntry[];
  notes: readonly Update[];
  ctx: PageCtx;
}) => {
  const lines: Line[] = [
    ...p.entries.map((e) => ({
      at: e.at,
      key: e.hlc,
      body: (
        <>
          <strong>{actorLabel(e.actor)}</strong> {describe(e, p.ctx)}
        </>
      ),
    })),
    ...p.notes.map((u) => ({
      at: u.createdAt,
      key: u.createdAt,
      body: (
        <>
          <strong>{actorLabel(u.actor)}</strong> posted {u.kind === "note" ? "a note" : `a ${u.kind} note`}:
          <span class="message-body"> {u.text}</span>
        </>
      ),
    })),
  ].sort((a, b) => (a.at === b.at ? (a.key < b.key ? -1 : 1) : a.at < b.at ? -1 : 1));
  return (
    <Panel title="Timeline" id="timeline">
      {lines.length === 0 ? (
        <Empty>Nothing has happened yet.</Empty>
      ) : (
        <ol class="timeline">
          {lines.map((l) => (
            <li>
              <Time iso={l.at} /> — {l.body as never}
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
};
