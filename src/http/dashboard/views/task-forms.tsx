// The forms that change a task: move (status), assign, add a dependency, post a note, edit. The
// board opens move and assign in its dialog; the task page shows them all in place.
import type { Project } from "../../../domain/project.ts";
import { TASK_TRANSITIONS, type Task } from "../../../domain/task.ts";
import { UPDATE_KINDS } from "../../../domain/update.ts";
import type { SessionView } from "../../../service/dashboard.ts";
import type { FormState } from "../forms.ts";
import { ActionForm, FormMessage, type OptionGroup, SelectField, TextArea, TextField } from "./fields.tsx";
import { STATUS_LABEL, sessionKeyOf, taskHref } from "./format.ts";
import { sessionOptions } from "./pickers.tsx";

/** The fields the Edit form shows, each sent back as it was shown (was_<field>). */
export const EDIT_FIELDS = ["title", "description", "priority", "labels", "projectId"] as const;
export type EditField = (typeof EDIT_FIELDS)[number];

/** What the Edit form shows for a task, field by field (and what its action compares against). */
export const editFormValues = (task: Task): Record<EditField, string> => ({
  title: task.title ?? "",
  description: task.description,
  priority: task.priority,
  labels: task.labels.join(" "),
  projectId: task.projectId ?? "",
});

export const FORM_IDS = {
  move: "move-task",
  assign: "assign-task",
  dependency: "add-dependency",
  note: "post-note",
  edit: "edit-task",
} as const;

/** One button per status the task may move to (finished tasks reopen to "To do" first). */
export const MoveForm = (p: { task: Task; state: FormState; back: string; dialog: boolean }) => (
  <ActionForm
    id={FORM_IDS.move}
    action={`${taskHref(p.task.id)}/status`}
    back={p.back}
    target={p.dialog ? "dialog" : "self"}
    label="Move task"
  >
    <FormMessage state={p.state} />
    <p>
      Now <strong>{STATUS_LABEL[p.task.status]}</strong>. Move to:
    </p>
    <div class="choices">
      {TASK_TRANSITIONS[p.task.status].map((s, i) => (
        <button
          type="submit"
          id={`${FORM_IDS.move}-${s}`}
          name="status"
          value={s}
          class={i === 0 ? undefined : "secondary"}
          autofocus={p.dialog && i === 0}
        >
          {STATUS_LABEL[s]}
        </button>
      ))}
    </div>
  </ActionForm>
);

/**
 * The session that owns the task now is shown but cannot be picked: assigning it again is refused
 * (409), and the picker's first choice is what a plain click on Assign sends.
 */
const ownerDisabled = (groups: OptionGroup[], task: Task): OptionGroup[] => {
  const owner = task.owner ? sessionKeyOf(task.owner.session) : null;
  return groups.map((g) => ({
    ...g,
    options: g.options.map((o) =>
      o.value === owner ? { ...o, label: `${o.label} (owns it)`, disabled: true } : o,
    ),
  }));
};

export const AssignForm = (p: {
  task: Task;
  sessions: readonly SessionView[];
  state: FormState;
  back: string;
  dialog: boolean;
}) => (
  <ActionForm
    id={FORM_IDS.assign}
    action={`${taskHref(p.task.id)}/assign`}
    back={p.back}
    target={p.dialog ? "dialog" : "self"}
    label="Assign task"
  >
    <FormMessage state={p.state} />
    {p.sessions.length === 0 ? (
      <p class="empty">No sessions to assign to yet.</p>
    ) : (
      <>
        <SelectField
          form={FORM_IDS.assign}
          name="session"
          label="Session"
          state={p.state}
          options={ownerDisabled(sessionOptions(p.sessions), p.task)}
          hint="running sessions first"
        />
        <div class="actions">
          <button type="submit">Assign</button>
        </div>
      </>
    )}
  </ActionForm>
);

export const DependencyForm = (p: { task: Task; state: FormState; back: string }) => (
  <ActionForm
    id={FORM_IDS.dependency}
    action={`${taskHref(p.task.id)}/dependencies`}
    back={p.back}
    class="row"
  >
    <FormMessage state={p.state} />
    <TextField
      form={FORM_IDS.dependency}
      name="dependsOn"
      label="Waits for task"
      state={p.state}
      hint="a task handle or id"
    />
    <button type="submit">Add dependency</button>
  </ActionForm>
);

export const NoteForm = (p: { task: Task; state: FormState; back: string }) => (
  <ActionForm id={FORM_IDS.note} action={`${taskHref(p.task.id)}/updates`} back={p.back} label="Post a note">
    <FormMessage state={p.state} />
    <SelectField
      form={FORM_IDS.note}
      name="kind"
      label="Kind"
      state={p.state}
      options={UPDATE_KINDS.map((k) => ({ value: k, label: k }))}
    />
    <TextArea form={FORM_IDS.note} name="text" label="Note" state={p.state} rows={2} />
    <div class="actions">
      <button type="submit">Post note</button>
    </div>
  </ActionForm>
);

export const EditTaskForm = (p: {
  task: Task;
  /** Every project, archived ones included: the active ones are offered, and the task's own. */
  projects: readonly Project[];
  state: FormState;
  back: string;
}) => {
  const f = FORM_IDS.edit;
  const shownNow = editFormValues(p.task);
  const state: FormState =
    Object.keys(p.state.values).length > 0 ? p.state : { ...p.state, values: shownNow };
  // What the form showed when it was opened: only the fields the user changes from these are
  // saved (labels as the ones added and taken away), so a change someone else made meanwhile (an
  // agent, the CLI) is not written back over.
  const was = Object.fromEntries(
    EDIT_FIELDS.map((name) => [name, p.state.values[`was_${name}`] ?? shownNow[name]]),
  ) as Record<EditField, string>;
  const options = p.projects
    .filter((x) => !x.archived || x.id === p.task.projectId)
    .map((x) => ({ value: x.id, label: x.archived ? `${x.name} (archived)` : x.name }));
  return (
    <ActionForm id={f} action={`${taskHref(p.task.id)}/edit`} back={p.back} label="Edit task">
      <FormMessage state={state} />
      {EDIT_FIELDS.map((name) => (
        <input type="hidden" name={`was_${name}`} value={was[name]} />
      ))}
      <TextField form={f} name="title" label="Title" state={state} />
      <div class="form row">
        <SelectField
          form={f}
          name="priority"
          label="Priority"
          state={state}
          options={["low", "normal", "high", "urgent"].map((v) => ({ value: v, label: v }))}
        />
        <SelectField form={f} name="projectId" label="Project" state={state} options={options} />
      </div>
      <TextField form={f} name="labels" label="Labels" state={state} hint="separated by spaces or commas" />
      <TextArea form={f} name="description" label="Description" state={state} rows={4} />
      <div class="actions">
        <button type="submit">Save</button>
      </div>
    </ActionForm>
  );
};
