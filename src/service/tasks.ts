// Task operations: create, edit, status transitions, dependencies (never a cycle), reads.
import type { Actor } from "../domain/actor.ts";
import { conflict, notFound, type ServiceError, validationError } from "../domain/errors.ts";
import { type EventDraft, isKnownEventType, type StoredEvent } from "../domain/events.ts";
import { hlcMs } from "../domain/merge.ts";
import { err, ok, type Result } from "../domain/result.ts";
import {
  CreateTaskInputSchema,
  isAllowedTransition,
  type Task,
  TaskListQuerySchema,
  type TaskStatus,
  TaskStatusSchema,
  UpdateTaskInputSchema,
} from "../domain/task.ts";
import { msToIso } from "../domain/text.ts";
import { knownEventData, TASK_TIMELINE_TYPES, type TimelineEntry } from "../domain/timeline.ts";
import { tasksOnCycles } from "../store/queries/tasks.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";

const FINISHED = new Set(["done", "cancelled"]);

/** The path from `from` to `to` along dependencies, if any (to detect a cycle before adding an edge). */
export const dependencyPath = (
  edges: ReadonlyMap<string, readonly string[]>,
  from: string,
  to: string,
): string[] | null => {
  const prev = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const v = queue.shift()!;
    if (v === to) {
      const path = [v];
      let c = v;
      while (c !== from) {
        c = prev.get(c)!;
        path.unshift(c);
      }
      return path;
    }
    for (const w of edges.get(v) ?? []) {
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return null;
};

const TIMELINE_TYPES = new Set<string>(TASK_TIMELINE_TYPES);

/** A stored event as a timeline entry; null for events the timeline does not show. */
export const eventToTimelineEntry = (e: StoredEvent): TimelineEntry | null => {
  if (!e.applied || !TIMELINE_TYPES.has(e.type) || !isKnownEventType(e.type)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(e.data);
  } catch {
    return null;
  }
  const data = knownEventData(e.type, raw);
  if (!data) return null;
  return {
    id: e.id,
    type: e.type,
    hlc: e.hlc,
    at: msToIso(hlcMs(e.hlc)),
    actor: e.actor,
    data,
  } as TimelineEntry;
};

export const createTaskOps = ({ store, ids }: ServiceDeps, resolve: Resolvers) => {
  const view = (id: string): Result<Task, ServiceError> => {
    const t = store.q.tasks.get(id);
    return t ? ok(t) : err(notFound("task", id));
  };
  const existingTask = (input: string): Result<Task, ServiceError> => {
    const id = resolve.task(input);
    if (!id.ok) return id;
    const t = store.q.tasks.get(id.value);
    if (!t || t.pending) return err(notFound("task", input));
    return ok(t);
  };

  const changeStatus = (actor: Actor, idInput: string, status: TaskStatus): Result<Task, ServiceError> =>
    store.write(() => {
      const t = existingTask(idInput);
      if (!t.ok) return t;
      if (!isAllowedTransition(t.value.status, status)) {
        return err({
          type: "InvalidTransitionError",
          entity: "task",
          id: t.value.handle,
          from: t.value.status,
          to: status,
        });
      }
      store.log.append(actor, [{ type: "task.status_changed", entityId: t.value.id, data: { status } }]);
      return view(t.value.id);
    });

  return {
    createTask: (actor: Actor, input: unknown): Result<Task, ServiceError> => {
      const parsed = parseInput(CreateTaskInputSchema, input, "task");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const { projectId, dependsOn, labels, ...rest } = parsed.value;
        const project = resolve.project(projectId);
        if (!project.ok) return project;
        if (store.q.projects.isArchived(project.value)) {
          return err(conflict("that project is archived; unarchive it before adding tasks"));
        }
        const deps: string[] = [];
        for (const d of dependsOn) {
          const t = existingTask(d);
          if (!t.ok) return t;
          if (!deps.includes(t.value.id)) deps.push(t.value.id);
        }
        const id = ids.newId();
        store.log.append(actor, [
          {
            type: "task.created",
            entityId: id,
            data: {
              ...rest,
              projectId: project.value,
              status: "todo",
              labels: [...new Set(labels)],
              dependsOn: deps,
            },
          },
        ]);
        return view(id);
      });
    },

    updateTask: (actor: Actor, idInput: string, input: unknown): Result<Task, ServiceError> => {
      const parsed = parseInput(UpdateTaskInputSchema, input, "task change");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const t = existingTask(idInput);
        if (!t.ok) return t;
        const { addLabels, removeLabels, projectId, ...fields } = parsed.value;
        const drafts: EventDraft[] = [];
        let project: string | undefined;
        if (projectId !== undefined) {
          const p = resolve.project(projectId);
          if (!p.ok) return p;
          project = p.value;
        }
        const changed = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        if (Object.keys(changed).length > 0 || project !== undefined) {
          drafts.push({
            type: "task.updated",
            entityId: t.value.id,
            data: { ...changed, ...(project !== undefined && { projectId: project }) },
          });
        }
        for (const label of new Set(addLabels ?? [])) {
          drafts.push({ type: "task.label_added", entityId: t.value.id, data: { label } });
        }
        for (const label of new Set(removeLabels ?? [])) {
          if (addLabels?.includes(label))
            return err(validationError("a label cannot be both added and removed"));
          drafts.push({ type: "task.label_removed", entityId: t.value.id, data: { label } });
        }
        store.log.append(actor, drafts);
        return view(t.value.id);
      });
    },

    changeTaskStatus: (actor: Actor, idInput: string, status: unknown): Result<Task, ServiceError> => {
      const s = parseInput(TaskStatusSchema, status, "status");
      return s.ok ? changeStatus(actor, idInput, s.value) : s;
    },

    addDependency: (actor: Actor, idInput: string, depInput: string): Result<Task, ServiceError> =>
      store.write(() => {
        if (depInput.trim() === "")
          return err(
            validationError("name the task it waits for", [
              { path: "dependsOn", message: "must not be empty" },
            ]),
          );
        const t = existingTask(idInput);
        if (!t.ok) return t;
        const d = existingTask(depInput);
        if (!d.ok) return d;
        if (t.value.dependsOn.includes(d.value.id)) {
          return err(conflict(`task ${t.value.handle} already depends on ${d.value.handle}`));
        }
        if (d.value.id === t.value.id)
          return err({ type: "DependencyCycleError", cycle: [t.value.handle, t.value.handle] });
        const path = dependencyPath(store.q.tasks.depGraph(), d.value.id, t.value.id);
        if (path) {
          const handles = path.map((id) => store.q.tasks.get(id)?.handle ?? id);
          return err({ type: "DependencyCycleError", cycle: [t.value.handle, ...handles] });
        }
        store.log.append(actor, [
          { type: "task.dependency_added", entityId: t.value.id, data: { dependsOn: d.value.id } },
        ]);
        return view(t.value.id);
      }),

    removeDependency: (actor: Actor, idInput: string, depInput: string): Result<Task, ServiceError> =>
      store.write(() => {
        const t = existingTask(idInput);
        if (!t.ok) return t;
        const d = resolve.task(depInput);
        if (!d.ok) return d;
        if (!t.value.dependsOn.includes(d.value)) return err(notFound("dependency", depInput));
        store.log.append(actor, [
          { type: "task.dependency_removed", entityId: t.value.id, data: { dependsOn: d.value } },
        ]);
        return view(t.value.id);
      }),

    getTask: (idInput: string): Result<Task, ServiceError> => {
      const id = resolve.task(idInput);
      return id.ok ? view(id.value) : id;
    },

    listTasks: (
      query: unknown,
    ): Result<{ tasks: Task[]; total: number; limit: number; offset: number }, ServiceError> => {
      const parsed = parseInput(TaskListQuerySchema, query, "task query");
      if (!parsed.ok) return parsed;
      const f = parsed.value;
      let projectId: string | undefined;
      if (f.project) {
        const p = resolve.project(f.project);
        if (!p.ok) return p;
        projectId = p.value;
      }
      let owner: { machineId: string; sessionId: string } | undefined;
      if (f.session) {
        const s = resolve.session(f.session);
        if (!s.ok) return s;
        owner = s.value;
      }
      const { tasks, total } = store.q.tasks.list({
        projectId,
        statuses: f.status,
        owner,
        label: f.label,
        limit: f.limit,
        offset: f.offset,
      });
      return ok({ tasks, total, limit: f.limit, offset: f.offset });
    },

    /** The task's applied events and its assignments' state changes, oldest first. */
    taskTimeline: (idInput: string, limit = 1000): Result<TimelineEntry[], ServiceError> => {
      const id = resolve.task(idInput);
      if (!id.ok) return id;
      const max = Math.min(Math.max(limit, 1), 5000);
      const assignments = store.q.assignments.list({ taskId: id.value, limit: 1000 });
      const events = [id.value, ...assignments.map((a) => a.id)]
        .flatMap((entity) => store.q.events.timeline(entity, max))
        .sort((a, b) => (a.hlc === b.hlc ? (a.id < b.id ? -1 : 1) : a.hlc < b.hlc ? -1 : 1));
      const entries = events.flatMap((e) => eventToTimelineEntry(e) ?? []);
      return ok(entries.slice(0, max));
    },

    readyTasks: (projectInput?: string): Result<Task[], ServiceError> => {
      if (!projectInput) return ok(store.q.tasks.ready(null));
      const p = resolve.project(projectInput);
      return p.ok ? ok(store.q.tasks.ready(p.value)) : p;
    },

    /**
     * Open tasks that wait for each other in a circle. Each machine refuses to make a cycle, but
     * two machines apart can each add one half (A waits for B here, B for A there); after sync none
     * of them is ever ready until a person removes one of the dependencies.
     */
    dependencyCycles: (): { task: Task; waitsFor: Task[] }[] => {
      const graph = store.q.tasks.depGraph();
      const cyclic = tasksOnCycles(graph);
      return [...cyclic]
        .flatMap((id) => store.q.tasks.get(id) ?? [])
        .filter((t) => !t.pending && !FINISHED.has(t.status))
        .map((t) => ({
          task: t,
          waitsFor: (graph.get(t.id) ?? [])
            .filter((d) => cyclic.has(d))
            .flatMap((d) => store.q.tasks.get(d) ?? []),
        }))
        .sort((a, b) => (a.task.handle < b.task.handle ? -1 : 1));
    },
  };
};
