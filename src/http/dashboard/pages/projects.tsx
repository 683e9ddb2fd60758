// Projects: every project with its tasks by status (archived ones on request), a form to create one.
import type { Project } from "../../../domain/project.ts";
import { TASK_STATUSES } from "../../../domain/task.ts";
import { type FormState, freshForm } from "../forms.ts";
import type { PageDef } from "../page.ts";
import { ActionForm, ButtonForm, FormMessage, TextArea, TextField } from "../views/fields.tsx";
import { projectHref, STATUS_LABEL } from "../views/format.ts";
import { Empty, Panel, Time } from "../views/parts.tsx";

export const CREATE_PROJECT_FORM = "new-project";

export const CreateProjectForm = (p: { state: FormState; back: string }) => (
  <ActionForm id={CREATE_PROJECT_FORM} action="/projects" back={p.back} label="New project">
    <FormMessage state={p.state} />
    <TextField form={CREATE_PROJECT_FORM} name="name" label="Name" state={p.state} />
    <TextArea form={CREATE_PROJECT_FORM} name="description" label="Description" state={p.state} rows={2} />
    <div class="actions">
      <button type="submit">Create project</button>
    </div>
  </ActionForm>
);

const ProjectList = (p: { projects: readonly Project[]; back: string }) =>
  p.projects.length === 0 ? (
    <Empty>No projects yet: create the first one below.</Empty>
  ) : (
    <div class="table-wrap">
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">Project</th>
            {TASK_STATUSES.map((s) => (
              <th scope="col" class="num">
                {STATUS_LABEL[s]}
              </th>
            ))}
            <th scope="col">Updated</th>
            <th scope="col">
              <span class="muted">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {p.projects.map((pr) => (
            <tr>
              <td data-label="Project">
                <a href={projectHref(pr.id)}>{pr.name}</a> <code class="handle">{pr.handle}</code>
                {pr.archived && <span class="badge st-ended">archived</span>}
                {pr.description && <p class="muted">{pr.description.slice(0, 200)}</p>}
              </td>
              {TASK_STATUSES.map((s) => (
                <td data-label={STATUS_LABEL[s]} class="num">
                  {pr.taskCounts[s]}
                </td>
              ))}
              <td data-label="Updated">
                <Time iso={pr.updatedAt} />
              </td>
              <td data-label="Actions">
                <ButtonForm
                  action={`${projectHref(pr.id)}/${pr.archived ? "unarchive" : "archive"}`}
                  back={p.back}
                  class="secondary small"
                  label={
                    <>
                      {pr.archived ? "Unarchive" : "Archive"}
                      <span class="vh"> {pr.name}</span>
                    </>
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

export const projectsPage: PageDef = {
  pattern: "/projects",
  render: (ctx) => {
    const archived = ctx.query.get("archived") === "1";
    return {
      title: "Projects",
      nav: "projects",
      body: (
        <>
          <div class="page-head">
            <h1>Projects</h1>
            <p>
              {archived ? (
                <a href="/projects">Hide archived</a>
              ) : (
                <a href="/projects?archived=1">Show archived</a>
              )}
            </p>
          </div>
          {ctx.live.section("projects-list", () => (
            <ProjectList projects={ctx.service.listProjects({ includeArchived: archived })} back={ctx.url} />
          ))}
          <Panel title="New project" id="new-project-panel">
            <CreateProjectForm state={ctx.forms.get(CREATE_PROJECT_FORM) ?? freshForm()} back={ctx.url} />
          </Panel>
        </>
      ),
    };
  },
};
