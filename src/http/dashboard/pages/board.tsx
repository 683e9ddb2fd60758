// A project's board: a column per task status. Each card shows its assignee, dependencies and the
// newest note, with "Move" and "Assign" controls that open a small dialog (keyboard: Tab to the
// control, Enter, pick, Enter; focus comes back to the card in its new column). A form above the
// board adds tasks. Columns are live sections, so a change elsewhere redraws only its columns.
import { TASK_STATUSES, type TaskStatus } from "../../../domain/task.ts";
import type { Board, BoardCard } from "../../../service/dashboard.ts";
import { type FormState, freshForm } from "../forms.ts";
import type { PageDef } from "../page.ts";
import { ActionForm, FormMessage, SelectField, TextArea, TextField } from "../views/fields.tsx";
import { actorLabel, projectHref, STATUS_LABEL, sessionHref, sessionName, taskHref, truncate } from "../views/format.ts";
import { escape, timeHtml, trusted } from "../views/escape.ts";

export const createTaskFormId = "new-task";

const PRIORITY_OPTIONS = [
  { value: "normal", label: "Normal" },
  { value: "high", label: "High" },
  { value: "urgent", label: "Urgent" },
  { value: "low", label: "Low" },
];

export const CreateTaskForm = (p: { projectId: string; state: FormState; back: string }) => {
  const f = createTaskFormId;
  return (
    <ActionForm id={f} action={`${projectHref(p.projectId)}/tasks`} back={p.back} label="New task">
      <FormMessage state={p.state} />
      <TextField form={f} name="title" label="Title" state={p.state} />
      <div class="form row">
        <SelectField form={f} name="priority" label="Priority" state={p.state} options={PRIORITY_OPTIONS} />
        <TextField form={f} name="labels" label="Labels" state={p.state} hint="separated by spaces or commas" />
        <TextField
          form={f}
          name="dependsOn"
          label="Depends on"
          state={p.state}
          hint="task handles, separated by spaces"
        />
      </div>
      <TextArea form={f} name="description" label="Description" state={p.state} rows={2} />
      <div class="actions">
        <button>Add task</button>
      </div>
    </ActionForm>
  );
};

/**
 * One card, as a string (see views/escape.ts): a board may hold thousands. The Move and Assign
 * links work without JavaScript (pages of their own); the page script opens them in the dialog.
 */
const cardHtml = (c: BoardCard): string => {
  const title = escape(c.title ?? "(untitled)");
  const href = escape(taskHref(c.id));
  let owner = "unassigned";
  if (c.owner) {
    const name = c.ownerSession ? sessionName(c.ownerSession) : c.owner.sessionId.slice(0, 8);
    owner = `${c.owner.via === "claimed" ? "claimed by" : "assigned to"} <a href="${escape(sessionHref(c.owner))}">${escape(name)}</a>${c.ownerSession ? ` (${escape(c.ownerSession.state)})` : ""}`;
  }
  const labels = c.labels.length > 0 ? ` · ${escape(c.labels.join(", "))}` : "";
  const updated = c.updatedAt ? ` · ${timeHtml(c.updatedAt)}` : "";
  let deps = "";
  if (c.deps.length > 0) {
    const links = c.deps
      .slice(0, 4)
      .map((d) => `<a href="${escape(taskHref(d.id))}">${escape(d.handle)}</a>`)
      .join(", ");
    deps = `<p class="meta">waits for ${c.openDeps} of ${c.deps.length}: ${links}${c.deps.length > 4 ? " …" : ""}</p>`;
  }
  const note = c.lastUpdate
    ? `<p class="note">${escape(truncate(c.lastUpdate.text, 140))} <span class="muted">— ${escape(actorLabel(c.lastUpdate.actor))}, ${timeHtml(c.lastUpdate.at)}</span></p>`
    : "";
  return (
    `<li class="card" id="card-${escape(c.id)}"><a class="title" href="${href}">${title}</a> <code class="handle">${escape(c.handle)}</code>` +
    `<p class="meta"><span class="prio-${escape(c.priority)}">${escape(c.priority)}</span> · ${owner}${labels}${updated}</p>${deps}${note}` +
    `<div class="card-actions"><a class="button secondary small" id="mv-${escape(c.id)}" href="${href}/move" data-dialog="">Move<span class="vh"> ${title}</span></a>` +
    ` <a class="button secondary small" id="as-${escape(c.id)}" href="${href}/assign" data-dialog="">Assign<span class="vh"> ${title}</span></a></div></li>`
  );
};

const Column = (p: { status: TaskStatus; cards: readonly BoardCard[] }) => (
  <section class="column" aria-labelledby={`col-${p.status}-h`}>
    <h2 id={`col-${p.status}-h`}>
      {STATUS_LABEL[p.status]} <span class="muted">{p.cards.length}</span>
    </h2>
    <ul class="cards">{trusted(p.cards.map(cardHtml).join(""))}</ul>
  </section>
);

export const boardPage: PageDef = {
  pattern: "/projects/:id",
  render: (ctx) => {
    const project = ctx.service.getProject(ctx.params.id!);
    if (!project.ok) return null;
    let board: Board | null = null;
    const cards = (status: TaskStatus) => {
      if (!board) {
        const r = ctx.service.projectBoard(project.value.id);
        board = r.ok ? r.value : { project: project.value, cards: [] };
      }
      return board.cards.filter((c) => c.status === status);
    };
    const back = projectHref(project.value.id);
    return {
      title: project.value.name,
      nav: "projects",
      body: (
        <>
          {ctx.live.section("board-head", () => {
            const pr = ctx.service.getProject(project.value.id);
            const p = pr.ok ? pr.value : project.value;
            return (
              <div class="page-head">
                <h1>
                  {p.name} <code class="handle">{p.handle}</code>
                </h1>
                {p.archived && <span class="badge st-ended">archived</span>}
                {p.description && <p class="muted">{p.description}</p>}
              </div>
            );
          })}
          <details
            class="panel"
            open={ctx.forms.has(createTaskFormId) || TASK_STATUSES.every((s) => project.value.taskCounts[s] === 0)}
          >
            <summary>Add a task</summary>
            <CreateTaskForm
              projectId={project.value.id}
              state={ctx.forms.get(createTaskFormId) ?? freshForm({ priority: "normal" })}
              back={back}
            />
          </details>
          <div class="board">
            {TASK_STATUSES.map((s) =>
              ctx.live.section(`col-${s}`, () => <Column status={s} cards={cards(s)} />, { class: "column-wrap" }),
            )}
          </div>
        </>
      ),
    };
  },
};
