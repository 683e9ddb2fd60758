// Moving and assigning a task: the board loads these into its dialog; without JavaScript they are
// small pages of their own that return to the board.
import type { Task } from "../../../domain/task.ts";
import { freshForm } from "../forms.ts";
import type { PageCtx, PageDef } from "../page.ts";
import { ButtonForm } from "../views/fields.tsx";
import { projectHref, sessionHref, taskHref } from "../views/format.ts";
import { AssignForm, FORM_IDS, MoveForm } from "../views/task-forms.tsx";

const backOf = (task: Task) => (task.projectId ? projectHref(task.projectId) : taskHref(task.id));

const Heading = (p: { ctx: PageCtx; text: string }) =>
  p.ctx.dialog ? <h2 id="dialog-title">{p.text}</h2> : <h1>{p.text}</h1>;

const Cancel = (p: { ctx: PageCtx; back: string }) =>
  p.ctx.dialog ? (
    <p class="actions">
      <button type="button" class="secondary" data-dialog-close="">
        Cancel
      </button>
    </p>
  ) : (
    <p>
      <a href={p.back}>Back to the board</a>
    </p>
  );

const taskOf = (ctx: PageCtx): Task | null => {
  const t = ctx.service.getTask(ctx.params.id!);
  return t.ok && !t.value.pending ? t.value : null;
};

export const movePage: PageDef = {
  pattern: "/tasks/:id/move",
  render: (ctx) => {
    const task = taskOf(ctx);
    if (!task) return null;
    const back = backOf(task);
    return {
      title: `Move ${task.title ?? task.handle}`,
      nav: "projects",
      body: (
        <>
          <Heading ctx={ctx} text={`Move “${task.title ?? task.handle}”`} />
          <MoveForm
            task={task}
            state={ctx.forms.get(FORM_IDS.move) ?? freshForm()}
            back={back}
            dialog={ctx.dialog}
          />
          <Cancel ctx={ctx} back={back} />
        </>
      ),
    };
  },
};

export const assignPage: PageDef = {
  pattern: "/tasks/:id/assign",
  render: (ctx) => {
    const task = taskOf(ctx);
    if (!task) return null;
    const back = backOf(task);
    const owner = task.owner;
    return {
      title: `Assign ${task.title ?? task.handle}`,
      nav: "projects",
      body: (
        <>
          <Heading ctx={ctx} text={`Assign “${task.title ?? task.handle}”`} />
          {owner && (
            <p>
              Now {owner.via === "claimed" ? "claimed by" : "assigned to"}{" "}
              <a href={sessionHref(owner.session)}>{owner.session.sessionId.slice(0, 8)}</a>.
            </p>
          )}
          <AssignForm
            task={task}
            sessions={ctx.choices()}
            state={ctx.forms.get(FORM_IDS.assign) ?? freshForm()}
            back={back}
            dialog={ctx.dialog}
          />
          {owner && (
            <ButtonForm
              action={`${taskHref(task.id)}/unassign`}
              back={back}
              label="Unassign"
              class="secondary"
              dialog={ctx.dialog}
            />
          )}
          <Cancel ctx={ctx} back={back} />
        </>
      ),
    };
  },
};
