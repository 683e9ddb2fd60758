// Project operations: create, update, archive, read.
import type { Actor } from "../domain/actor.ts";
import { conflict, notFound, type ServiceError } from "../domain/errors.ts";
import { shortHandle } from "../domain/ids.ts";
import { CreateProjectInputSchema, type Project, UpdateProjectInputSchema } from "../domain/project.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";

export const createProjectOps = ({ store, ids }: ServiceDeps, resolve: Resolvers) => {
  const view = (id: string): Result<Project, ServiceError> => {
    const p = store.q.projects.get(id);
    return p ? ok(p) : err(notFound("project", id));
  };
  return {
    createProject: (actor: Actor, input: unknown): Result<Project, ServiceError> => {
      const parsed = parseInput(CreateProjectInputSchema, input, "project");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        if (store.q.projects.idsByName(parsed.value.name).length > 0) {
          return err(conflict(`a project named '${parsed.value.name}' already exists`));
        }
        const id = ids.newId();
        store.log.append(actor, [{ type: "project.created", entityId: id, data: parsed.value }]);
        return view(id);
      });
    },
    updateProject: (actor: Actor, idInput: string, input: unknown): Result<Project, ServiceError> => {
      const parsed = parseInput(UpdateProjectInputSchema, input, "project change");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const id = resolve.project(idInput);
        if (!id.ok) return id;
        const { name, description } = parsed.value;
        if (name !== undefined && store.q.projects.idsByName(name).some((other) => other !== id.value)) {
          return err(conflict(`a project named '${name}' already exists`));
        }
        store.log.append(actor, [
          {
            type: "project.updated",
            entityId: id.value,
            data: { ...(name !== undefined && { name }), ...(description !== undefined && { description }) },
          },
        ]);
        return view(id.value);
      });
    },
    archiveProject: (actor: Actor, idInput: string, archived = true): Result<Project, ServiceError> =>
      store.write(() => {
        const id = resolve.project(idInput);
        if (!id.ok) return id;
        const current = store.q.projects.get(id.value);
        if (current?.archived === archived) {
          return err(conflict(`project '${current.name}' is already ${archived ? "archived" : "active"}`));
        }
        // Names are unique among active projects: the name may have been taken since it was archived.
        if (!archived && current && store.q.projects.idsByName(current.name).length > 0) {
          return err(
            conflict(
              `an active project is named '${current.name}' too; rename one of them first (claire project edit ${shortHandle(current.id)} --name ...)`,
            ),
          );
        }
        store.log.append(actor, [{ type: "project.archived", entityId: id.value, data: { archived } }]);
        return view(id.value);
      }),
    getProject: (idInput: string): Result<Project, ServiceError> => {
      const id = resolve.project(idInput);
      return id.ok ? view(id.value) : id;
    },
    listProjects: (opts: { includeArchived?: boolean } = {}): Project[] =>
      store.q.projects.list(opts.includeArchived ?? false),
  };
};
