// Project actions: create, archive and unarchive a project; add a task to its board.
import { Hono } from "hono";
import { splitList } from "../forms.ts";
import { CreateTaskForm, createTaskFormId } from "../pages/board.tsx";
import { CREATE_PROJECT_FORM, CreateProjectForm } from "../pages/projects.tsx";
import { projectHref } from "../views/format.ts";
import { type ActionDeps, readForm } from "./context.ts";
import { finish } from "./finish.tsx";

export const projectActions = (d: ActionDeps) =>
  new Hono()
    .post("/projects", async (c) => {
      const { values, back } = await readForm(c, "/projects");
      const result = d.service.createProject(d.actor, {
        name: values.name ?? "",
        description: values.description ?? "",
      });
      return finish(c, d, {
        values,
        result,
        back,
        next: result.ok ? projectHref(result.value.id) : undefined,
        title: "Create a project",
        done: result.ok ? `Created project ${result.value.name}.` : undefined,
        form: {
          id: CREATE_PROJECT_FORM,
          fields: ["name", "description"],
          render: (state) => <CreateProjectForm state={state} back={back} />,
        },
      });
    })
    .post("/projects/:id/archive", async (c) => {
      const { values, back } = await readForm(c, "/projects");
      const result = d.service.archiveProject(d.actor, c.req.param("id"), true);
      return finish(c, d, { values, result, back, title: "Archive a project", done: "Archived." });
    })
    .post("/projects/:id/unarchive", async (c) => {
      const { values, back } = await readForm(c, "/projects");
      const result = d.service.archiveProject(d.actor, c.req.param("id"), false);
      return finish(c, d, { values, result, back, title: "Unarchive a project", done: "Unarchived." });
    })
    .post("/projects/:id/tasks", async (c) => {
      const projectId = c.req.param("id");
      const { values, back } = await readForm(c, projectHref(projectId));
      const result = d.service.createTask(d.actor, {
        projectId,
        title: values.title ?? "",
        description: values.description ?? "",
        priority: values.priority || "normal",
        labels: splitList(values.labels),
        dependsOn: splitList(values.dependsOn),
      });
      return finish(c, d, {
        values,
        result,
        back,
        title: "Add a task",
        done: result.ok ? `Added ${result.value.title ?? "the task"} (${result.value.handle}).` : undefined,
        form: {
          id: createTaskFormId,
          fields: ["title", "description", "priority", "labels", "dependsOn"],
          keep: ["priority"],
          render: (state) => <CreateTaskForm projectId={projectId} state={state} back={back} />,
        },
      });
    });
