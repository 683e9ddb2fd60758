// Task: a unit of work in a project, with status, priority, labels, dependencies and an owner.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";
import { SessionRefSchema } from "./session-ref.ts";
import { LabelSchema, lineText, longText } from "./text.ts";

import { PRIORITIES, TASK_STATUSES } from "./vocabulary.ts";

export { PRIORITIES, TASK_STATUSES };
export const TaskStatusSchema = lazySchema(() => z.enum(TASK_STATUSES));
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const PrioritySchema = lazySchema(() => z.enum(PRIORITIES));
export type Priority = z.infer<typeof PrioritySchema>;

/** Allowed status changes. Finished tasks must be reopened (to todo) before work resumes. */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  todo: ["in_progress", "blocked", "done", "cancelled"],
  in_progress: ["todo", "blocked", "done", "cancelled"],
  blocked: ["todo", "in_progress", "done", "cancelled"],
  done: ["todo"],
  cancelled: ["todo"],
};

export const isAllowedTransition = (from: TaskStatus, to: TaskStatus): boolean =>
  TASK_TRANSITIONS[from].includes(to);

export const TaskOwnerSchema = lazySchema(() =>
  z.strictObject({
    session: SessionRefSchema,
    via: z.enum(["assigned", "claimed"]),
    assignmentId: z.string(),
  }),
);

export const TaskSchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    handle: z.string(),
    projectId: z.string().nullable(),
    title: z.string().nullable(),
    description: z.string(),
    status: TaskStatusSchema,
    priority: PrioritySchema,
    labels: z.array(z.string()),
    dependsOn: z.array(z.string()),
    owner: TaskOwnerSchema.nullable(),
    /** True while only later events about the task have arrived, not its creation. */
    pending: z.boolean(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
  }),
);
export type Task = z.infer<typeof TaskSchema>;

export const CreateTaskInputSchema = lazySchema(() =>
  z.strictObject({
    projectId: z.string().min(1),
    title: lineText(300),
    description: longText(50_000).default(""),
    priority: PrioritySchema.default("normal"),
    labels: z.array(LabelSchema).max(50).default([]),
    dependsOn: z.array(z.string().min(1)).max(100).default([]),
  }),
);
export type CreateTaskInput = z.input<typeof CreateTaskInputSchema>;

export const UpdateTaskInputSchema = lazySchema(() =>
  z
    .strictObject({
      title: lineText(300).optional(),
      description: longText(50_000).optional(),
      priority: PrioritySchema.optional(),
      projectId: z.string().min(1).optional(),
      addLabels: z.array(LabelSchema).max(50).optional(),
      removeLabels: z.array(LabelSchema).max(50).optional(),
    })
    .refine((v) => Object.values(v).some((x) => x !== undefined), "give at least one field to change"),
);
export type UpdateTaskInput = z.input<typeof UpdateTaskInputSchema>;

export const TaskListQuerySchema = lazySchema(() =>
  z.strictObject({
    project: z.string().min(1).optional(),
    status: z.array(TaskStatusSchema).optional(),
    session: z.string().min(1).optional(),
    label: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  }),
);
export type TaskListQuery = z.input<typeof TaskListQuerySchema>;
