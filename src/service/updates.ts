// Update operations: post a progress note about a task, a project or a session; list them.
import type { Actor } from "../domain/actor.ts";
import { type ServiceError, validationError } from "../domain/errors.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { SessionRef } from "../domain/session-ref.ts";
import { sessionKey } from "../domain/session-ref.ts";
import { PostUpdateInputSchema, type Update } from "../domain/update.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";

export const createUpdateOps = ({ store, ids }: ServiceDeps, resolve: Resolvers) => ({
  postUpdate: (actor: Actor, input: unknown): Result<Update, ServiceError> => {
    const parsed = parseInput(PostUpdateInputSchema, input, "update");
    if (!parsed.ok) return parsed;
    return store.write(() => {
      const { kind, text, taskId, projectId, session } = parsed.value;
      let task: string | null = null;
      let project: string | null = null;
      let ref: SessionRef | null = null;
      if (taskId) {
        const t = resolve.task(taskId);
        if (!t.ok) return t;
        task = t.value;
        project = store.q.tasks.get(t.value)?.projectId ?? null;
      }
      if (projectId) {
        const p = resolve.project(projectId);
        if (!p.ok) return p;
        if (project !== null && project !== p.value) {
          return err(
            validationError("that task belongs to another project", [
              { path: "projectId", message: "does not match the task's project" },
            ]),
          );
        }
        project = p.value;
      }
      if (session) {
        const s = resolve.session(session);
        if (!s.ok) return s;
        ref = s.value;
      }
      const id = ids.newId();
      store.log.append(actor, [
        {
          type: "update.posted",
          entityId: id,
          data: { kind, text, taskId: task, projectId: project, session: ref },
        },
      ]);
      return ok(store.q.updates.get(id)!);
    });
  },

  listUpdates: (f: {
    task?: string;
    project?: string;
    session?: string;
    since?: string;
    limit?: number;
  }): Result<Update[], ServiceError> => {
    let taskId: string | undefined;
    let projectId: string | undefined;
    let key: string | undefined;
    if (f.task) {
      const t = resolve.task(f.task);
      if (!t.ok) return t;
      taskId = t.value;
    }
    if (f.project) {
      const p = resolve.project(f.project);
      if (!p.ok) return p;
      projectId = p.value;
    }
    if (f.session) {
      const s = resolve.session(f.session);
      if (!s.ok) return s;
      key = sessionKey(s.value);
    }
    let sinceHlc: string | undefined;
    if (f.since) {
      const ms = Date.parse(f.since);
      if (Number.isNaN(ms))
        return err(
          validationError("since must be an ISO-8601 time", [{ path: "since", message: "not a time" }]),
        );
      sinceHlc = ms.toString(16).padStart(12, "0");
    }
    return ok(
      store.q.updates.list({
        taskId,
        projectId,
        sessionKey: key,
        sinceHlc,
        limit: Math.min(f.limit ?? 100, 1000),
      }),
    );
  },
});
