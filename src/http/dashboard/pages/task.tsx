// A task: its details, dependencies, assignment history with claims, and one timeline of its events
// and notes with who did each; forms to move, assign, add a dependency, post a note and edit.
import type { Assignment } from "../../../domain/assignment.ts";
import type { Task } from "../../../domain/task.ts";
import { freshForm } from "../forms.ts";
import type { PageCtx, PageDef } from "../page.ts";
import { ButtonForm } from "../views/fields.tsx";
import { actorLabel, projectHref, sessionHref, taskHref } from "../views/format.ts";
import { Empty, Panel, StackTable, StatusBadge, TaskLink, Time } from "../views/parts.tsx";
import {
  AssignForm,
  DependencyForm,
  EditTaskForm,
  FORM_IDS,
  MoveForm,
  NoteForm,
} from "../views/task-forms.tsx";
import { Timeline } from "../views/task-timeline.tsx";

const SessionRefLink = (p: { s: { machineId: string; sessionId: string } }) => (
  <a href={sessionHref(p.s)}>
    session <code>{p.s.sessionId.slice(0, 8)}</code>
  </a>
);

const Details = (p: { task: Task; ctx: PageCtx }) => {
  const t = p.task;
  const project = t.projectId ? p.ctx.service.getProject(t.projectId) : null;
  return (
    <Panel title="Details" id="details">
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={t.status} />
        </dd>
        <dt>Priority</dt>
        <dd class={`prio-${t.priority}`}>{t.priority}</dd>
        <dt>Project</dt>
        <dd>
          {project?.ok ? (
            <a href={projectHref(project.value.id)}>{project.value.name}</a>
          ) : (
            <span class="muted">—</span>
          )}
        </dd>
        <dt>Owner</dt>
        <dd>
          {t.owner ? (
            <>
              <SessionRefLink s={t.owner.session} /> ({t.owner.via})
            </>
          ) : (
            <span class="muted">nobody</span>
          )}
        </dd>
        <dt>Labels</dt>
        <dd>{t.labels.length > 0 ? t.labels.join(", ") : <span class="muted">—</span>}</dd>
        <dt>Created</dt>
        <dd>
          <Time iso={t.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time iso={t.updatedAt} />
        </dd>
      </dl>
      {t.description && <p class="message-body">{t.description}</p>}
    </Panel>
  );
};

const Dependencies = (p: { task: Task; ctx: PageCtx; back: string }) => {
  const deps = p.task.dependsOn.map((id) => {
    const t = p.ctx.service.getTask(id);
    return t.ok ? t.value : null;
  });
  return (
    <Panel title={`Waits for (${deps.length})`} id="deps">
      {deps.length === 0 ? (
        <Empty>No dependencies.</Empty>
      ) : (
        <ul>
          {deps.map((d, i) =>
            d ? (
              <li>
                <TaskLink task={d} /> <StatusBadge status={d.status} />{" "}
                <ButtonForm
                  action={`${taskHref(p.task.id)}/dependencies/${encodeURIComponent(d.id)}/remove`}
                  back={p.back}
                  class="secondary small"
                  label={
                    <>
                      Remove<span class="vh"> dependency on {d.title ?? d.handle}</span>
                    </>
                  }
                />
              </li>
            ) : (
              <li>
                <code>{p.task.dependsOn[i]}</code> (not here yet)
              </li>
            ),
          )}
        </ul>
      )}
    </Panel>
  );
};

const Assignments = (p: { list: readonly Assignment[] }) => (
  <Panel title="Assignments and claims" id="assignments">
    {p.list.length === 0 ? (
      <Empty>Never assigned or claimed.</Empty>
    ) : (
      <StackTable columns={["When", "Session", "How", "State", "By"]}>
        {p.list.map((a) => (
          <tr>
            <td data-label="When">
              <Time iso={a.createdAt} />
            </td>
            <td data-label="Session">
              <SessionRefLink s={a.session} />
              {a.current && <strong> (owner)</strong>}
            </td>
            <td data-label="How">{a.via}</td>
            <td data-label="State">
              {/* An assignment a later one (or an unassign) replaced is no longer in force. */}
              {!a.current && (a.state === "active" || a.state === "accepted") ? "superseded" : a.state}
            </td>
            <td data-label="By">{actorLabel(a.by)}</td>
          </tr>
        ))}
      </StackTable>
    )}
  </Panel>
);

export const taskPage: PageDef = {
  pattern: "/tasks/:id",
  render: (ctx) => {
    const first = ctx.service.getTask(ctx.params.id!);
    if (!first.ok || first.value.pending) return null;
    const id = first.value.id;
    let cached: Task | null = null;
    const task = () => {
      if (!cached) {
        const t = ctx.service.getTask(id);
        cached = t.ok ? t.value : first.value;
      }
      return cached;
    };
    const back = taskHref(id);
    const t0 = first.value;
    return {
      title: t0.title ?? t0.handle,
      nav: "projects",
      body: (
        <>
          {ctx.live.section("task-head", () => (
            <div class="page-head">
              <h1>
                {task().title ?? "(untitled)"} <code class="handle">{task().handle}</code>
              </h1>
              {task().projectId && <a href={projectHref(task().projectId!)}>Back to the board</a>}
            </div>
          ))}
          <div class="grid">
            <div>
              {ctx.live.section("task-details", () => (
                <Details task={task()} ctx={ctx} />
              ))}
              {ctx.live.section("task-deps", () => (
                <Dependencies task={task()} ctx={ctx} back={back} />
              ))}
              {ctx.live.section("task-assignments", () => {
                const a = ctx.service.listAssignments({ task: id, limit: 200 });
                return <Assignments list={a.ok ? a.value : []} />;
              })}
            </div>
            <div>
              {ctx.live.section("task-move", () => (
                <Panel title="Move" id="move-panel">
                  <MoveForm
                    task={task()}
                    state={ctx.forms.get(FORM_IDS.move) ?? freshForm()}
                    back={back}
                    dialog={false}
                  />
                </Panel>
              ))}
              <Panel title="Assign" id="assign-panel">
                <AssignForm
                  task={t0}
                  sessions={ctx.choices()}
                  state={ctx.forms.get(FORM_IDS.assign) ?? freshForm()}
                  back={back}
                  dialog={false}
                />
                {t0.owner && <ButtonForm action={`${back}/unassign`} back={back} label="Unassign" />}
              </Panel>
              <Panel title="Dependencies" id="dep-panel">
                <DependencyForm
                  task={t0}
                  state={ctx.forms.get(FORM_IDS.dependency) ?? freshForm()}
                  back={back}
                />
              </Panel>
              <Panel title="Post a note" id="note-panel">
                <NoteForm
                  task={t0}
                  state={ctx.forms.get(FORM_IDS.note) ?? freshForm({ kind: "note" })}
                  back={back}
                />
              </Panel>
              <details class="panel" open={ctx.forms.has(FORM_IDS.edit) || undefined}>
                <summary>Edit</summary>
                <EditTaskForm
                  task={t0}
                  projects={ctx.service.listProjects({ includeArchived: true })}
                  state={ctx.forms.get(FORM_IDS.edit) ?? freshForm()}
                  back={back}
                />
              </details>
            </div>
          </div>
          {ctx.live.section("task-timeline", () => {
            const entries = ctx.service.taskTimeline(id);
            const notes = ctx.service.listUpdates({ task: id, limit: 500 });
            return (
              <Timeline
                entries={entries.ok ? entries.value : []}
                notes={notes.ok ? notes.value : []}
                ctx={ctx}
              />
            );
          })}
        </>
      ),
    };
  },
};
