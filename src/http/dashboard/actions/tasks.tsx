// Task actions: move (status), assign and unassign, dependencies, notes, edits. Each calls the same
// service operation as the API route that does the same.
import type { Context } from "hono";
import { Hono } from "hono";
import type { Task } from "../../../domain/task.ts";
import { splitList } from "../forms.ts";
import { taskHref } from "../views/format.ts";
import {
  AssignForm,
  DependencyForm,
  EDIT_FIELDS,
  type EditField,
  EditTaskForm,
  editFormValues,
  FORM_IDS,
  MoveForm,
  NoteForm,
} from "../views/task-forms.tsx";
import { type ActionDeps, readForm } from "./context.ts";
import { finish, isHtmx } from "./finish.tsx";

/** The task as it is now (after the action), or as a stand-in when it cannot be read. */
const current = (d: ActionDeps, id: string): Task | null => {
  const t = d.service.getTask(id);
  return t.ok ? t.value : null;
};

const inDialog = (c: Context) => isHtmx(c) && c.req.header("hx-target") === "dialog-body";

export const taskActions = (d: ActionDeps) =>
  new Hono()
    .post("/tasks/:id/status", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, taskHref(id));
      const result = d.service.changeTaskStatus(d.actor, id, values.status ?? "");
      const task = current(d, id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Move a task",
        done: result.ok ? `Moved ${result.value.title ?? result.value.handle}.` : undefined,
        form: task
          ? {
              id: FORM_IDS.move,
              fields: ["status"],
              render: (state) => <MoveForm task={task} state={state} back={back} dialog={inDialog(c)} />,
            }
          : undefined,
      });
    })
    .post("/tasks/:id/assign", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, taskHref(id));
      const result = d.service.assignTask(d.actor, { taskId: id, session: values.session ?? "" });
      const task = current(d, id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Assign a task",
        done: result.ok ? `Assigned ${result.value.task.title ?? result.value.task.handle}.` : undefined,
        form: task
          ? {
              id: FORM_IDS.assign,
              fields: ["session"],
              fieldOf: (p) => (p === "taskId" ? "" : p),
              render: (state) => (
                <AssignForm
                  task={task}
                  sessions={d.service.sessionChoices()}
                  state={state}
                  back={back}
                  dialog={inDialog(c)}
                />
              ),
            }
          : undefined,
      });
    })
    .post("/tasks/:id/unassign", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, taskHref(id));
      const result = d.service.unassignTask(d.actor, id);
      return finish(c, d, { values, result, back, title: "Unassign a task", done: "Unassigned." });
    })
    .post("/tasks/:id/dependencies", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, taskHref(id));
      const result = d.service.addDependency(d.actor, id, (values.dependsOn ?? "").trim());
      const task = current(d, id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Add a dependency",
        done: result.ok ? "Dependency added." : undefined,
        form: task
          ? {
              id: FORM_IDS.dependency,
              fields: ["dependsOn"],
              render: (state) => <DependencyForm task={task} state={state} back={back} />,
            }
          : undefined,
      });
    })
    .post("/tasks/:id/dependencies/:dep/remove", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, taskHref(id));
      const result = d.service.removeDependency(d.actor, id, c.req.param("dep"));
      return finish(c, d, {
        values,
        result,
        back,
        title: "Remove a dependency",
        done: "Dependency removed.",
      });
    })
    .post("/tasks/:id/updates", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, taskHref(id));
      const result = d.service.postUpdate(d.actor, {
        taskId: id,
        kind: values.kind || "note",
        text: values.text ?? "",
      });
      const task = current(d, id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Post a note",
        done: result.ok ? "Note posted." : undefined,
        form: task
          ? {
              id: FORM_IDS.note,
              fields: ["kind", "text"],
              keep: ["kind"],
              render: (state) => <NoteForm task={task} state={state} back={back} />,
            }
          : undefined,
      });
    })
    .post("/tasks/:id/edit", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, taskHref(id));
      const before = current(d, id);
      // Send only what the user changed from what the form showed (was_*): a field someone else
      // changed since the form was opened is not written back over; an unchanged title is no edit.
      // Labels go as the ones the user added and took away, so another's new label stays.
      const change: Record<string, string | string[]> = {};
      const now = before ? editFormValues(before) : null;
      const shown = (name: EditField): string | undefined => values[`was_${name}`] ?? now?.[name];
      for (const name of ["title", "description", "priority", "projectId"] as const) {
        const v = values[name];
        if (
          v !== undefined &&
          ((name !== "priority" && name !== "projectId") || v !== "") &&
          v !== shown(name)
        )
          change[name] = v;
      }
      if (values.labels !== undefined) {
        const was = new Set(splitList(shown("labels")));
        const wanted = new Set(splitList(values.labels));
        const added = [...wanted].filter((l) => !was.has(l));
        const removed = [...was].filter((l) => !wanted.has(l));
        if (added.length > 0) change.addLabels = added;
        if (removed.length > 0) change.removeLabels = removed;
      }
      const result =
        Object.keys(change).length === 0 && before
          ? ({ ok: true, value: before } as const)
          : d.service.updateTask(d.actor, id, change);
      const task = current(d, id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Edit a task",
        done: result.ok ? "Saved." : undefined,
        form: task
          ? {
              id: FORM_IDS.edit,
              fields: EDIT_FIELDS,
              // A refused label is shown at the one Labels field.
              fieldOf: (path) => {
                const field = path.split(".")[0] ?? "";
                return field === "addLabels" || field === "removeLabels" ? "labels" : field;
              },
              render: (state) => (
                <EditTaskForm
                  task={task}
                  projects={d.service.listProjects({ includeArchived: true })}
                  state={state}
                  back={back}
                />
              ),
            }
          : undefined,
      });
    });
