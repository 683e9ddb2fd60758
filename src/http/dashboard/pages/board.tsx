// A project's board: a column per task status. Each card shows its assignee, dependencies and the
// newest note, with "Move" and "Assign" controls that open a small dialog (keyboard: Tab to the
// control, Enter, pick, Enter; focus comes back to the card in its new column). A form above the
// board adds tasks. Columns are live sections, so a change elsewhere redraws only its columns.
// A column shows its first BOARD_COLUMN_LIMIT cards (service/dashboard.ts) and says how many
// there are; `?all=done` (repeatable) shows that column whole.
import { TASK_STATUSES, type TaskStatus } from "../../../domain/task.ts";
import type { Update } from "../../../domain/update.ts";
import type { Board, BoardCard } from "../../../service/dashboard.ts";
import { type FormState, freshForm } from "../forms.ts";
import type { PageDef } from "../page.ts";
import { escHtml, timeHtml, trusted } from "../views/escape.ts";
import { ActionForm, FormMessage, SelectField, TextArea, TextField } from "../views/fields.tsx";
import {
  actorLabel,
  projectHref,
  STATUS_LABEL,
  sessionHref,
  sessionName,
  truncate,
} from "../views/format.ts";
import { FreeText, Time } from "../views/parts.tsx";

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
        <TextField
          form={f}
          name="labels"
          label="Labels"
          state={p.state}
          hint="separated by spaces or commas"
        />
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
        <button type="submit">Add task</button>
      </div>
    </ActionForm>
  );
};

/**
 * One card, as a string (see views/escape.ts): a board may hold thousands, so every byte counts
 * (the actions group is labelled with the title once rather than each control carrying it). The
 * Move and Assign links work without JavaScript (pages of their own); the page script opens them
 * in the dialog.
 */
const cardHtml = (c: BoardCard): string => {
  const title = escHtml(c.title ?? "(untitled)");
  const id = escHtml(c.id);
  const href = `/tasks/${id}`;
  let owner = "unassigned";
  if (c.owner) {
    const name = c.ownerSession ? sessionName(c.ownerSession) : c.owner.sessionId.slice(0, 8);
    owner = `${c.owner.via === "claimed" ? "claimed by" : "assigned to"} <a href="${escHtml(sessionHref(c.owner))}">${escHtml(name)}</a>${c.ownerSession ? ` (${c.ownerSession.state})` : ""}`;
  }
  const labels = c.labels.length > 0 ? ` · ${escHtml(c.labels.join(", "))}` : "";
  const updated = c.updatedAt ? ` · ${timeHtml(c.updatedAt)}` : "";
  let deps = "";
  if (c.deps.length > 0) {
    const links = c.deps
      .slice(0, 4)
      .map((d) => `<a href="/tasks/${escHtml(d.id)}">${escHtml(d.handle)}</a>`)
      .join(", ");
    deps = `<p class="meta">waits for ${c.openDeps} of ${c.deps.length}: ${links}${c.deps.length > 4 ? " …" : ""}</p>`;
  }
  const note = c.lastUpdate
    ? `<p class="note">${escHtml(truncate(c.lastUpdate.text, 120))} <span class="muted">— ${escHtml(actorLabel(c.lastUpdate.actor))}, ${timeHtml(c.lastUpdate.at)}</span></p>`
    : "";
  return (
    `<li class="card" id="card-${id}"><a class="title" href="${href}">${title}</a> <code class="handle">${c.handle}</code>` +
    `<p class="meta"><span class="prio-${c.priority}">${c.priority}</span> · ${owner}${labels}${updated}</p>${deps}${note}` +
    `<div class="card-actions" role="group" aria-label="${title}"><a id="mv-${id}" href="${href}/move" data-dialog>Move</a>` +
    ` <a id="as-${id}" href="${href}/assign" data-dialog>Assign</a></div></li>`
  );
};

const Column = (p: { status: TaskStatus; cards: readonly BoardCard[]; total: number; allHref: string }) => (
  <section class="column" aria-labelledby={`col-${p.status}-h`}>
    <h2 id={`col-${p.status}-h`}>
      {STATUS_LABEL[p.status]} <span class="muted">{p.total.toLocaleString("en-US")}</span>
    </h2>
    <ul class="cards">{trusted(p.cards.map(cardHtml).join(""))}</ul>
    {p.cards.length < p.total && (
      <p class="more muted">
        {p.status === "done" || p.status === "cancelled" ? "The most recent " : "The first "}
        {p.cards.length.toLocaleString("en-US")} of {p.total.toLocaleString("en-US")}.{" "}
        <a href={p.allHref}>Show all</a>
      </p>
    )}
  </section>
);

/**
 * Links to each column with its count, for a screen too narrow to show the columns side by side
 * (styles.ts shows it only there): on a phone the five columns stack, and Done is far below.
 */
const ColumnJump = (p: { counts: Readonly<Record<TaskStatus, number>> }) => (
  <nav class="board-jump" aria-label="Columns">
    {TASK_STATUSES.map((s) => (
      <a href={`#col-${s}-h`}>
        {STATUS_LABEL[s]} <span class="muted">{p.counts[s].toLocaleString("en-US")}</span>
      </a>
    ))}
  </nav>
);

/** The columns a board URL asks to see whole (`?all=done&all=todo`), unknown names ignored. */
const wholeColumns = (query: URLSearchParams): TaskStatus[] =>
  TASK_STATUSES.filter((s) => query.getAll("all").includes(s));

/** Notes about the project itself (a release cut, a decision): an agent's or `claire update -p`. */
const ProjectNotes = (p: { notes: readonly Update[]; handle: string }) =>
  p.notes.length === 0 ? null : (
    <details class="panel" open>
      <summary>
        Project notes{" "}
        <span class="muted">
          (the newest {p.notes.length}; all: <code>claire updates -p {p.handle}</code>)
        </span>
      </summary>
      <ol class="timeline">
        {p.notes.map((u) => (
          <li>
            <Time iso={u.createdAt} /> — <strong>{actorLabel(u.actor)}</strong>, {u.kind}:
            <FreeText class="message-body" text={u.text} />
          </li>
        ))}
      </ol>
    </details>
  );

export const boardPage: PageDef = {
  pattern: "/projects/:id",
  render: (ctx) => {
    // One read for the whole board: its project (for the title and head) and every card.
    const whole = wholeColumns(ctx.query);
    const read = ctx.service.projectBoard(ctx.params.id!, whole);
    if (!read.ok) return null;
    const board: Board = read.value;
    const project = board.project;
    const byStatus = new Map<TaskStatus, BoardCard[]>(TASK_STATUSES.map((s) => [s, []]));
    for (const c of board.cards) byStatus.get(c.status)!.push(c);
    const cards = (status: TaskStatus) => byStatus.get(status)!;
    const back = projectHref(project.id);
    const allHref = (s: TaskStatus) => `${back}?${[...whole, s].map((w) => `all=${w}`).join("&")}#col-${s}-h`;
    return {
      title: project.name,
      nav: "projects",
      body: (
        <>
          {ctx.live.section("board-head", () => {
            const p = board.project;
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
            open={ctx.forms.has(createTaskFormId) || TASK_STATUSES.every((s) => project.taskCounts[s] === 0)}
          >
            <summary>Add a task</summary>
            <CreateTaskForm
              projectId={project.id}
              state={ctx.forms.get(createTaskFormId) ?? freshForm({ priority: "normal" })}
              back={back}
            />
          </details>
          {ctx.live.section("project-notes", () => (
            <ProjectNotes notes={board.notes} handle={project.handle} />
          ))}
          {ctx.live.section("board-jump", () => (
            <ColumnJump counts={board.counts} />
          ))}
          <div class="board">
            {TASK_STATUSES.map((s) =>
              ctx.live.section(
                `col-${s}`,
                () => <Column status={s} cards={cards(s)} total={board.counts[s]} allHref={allHref(s)} />,
                {
                  class: "column-wrap",
                },
              ),
            )}
          </div>
        </>
      ),
    };
  },
};
