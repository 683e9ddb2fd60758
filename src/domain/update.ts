// Update: an append-only progress note about a task, a project or a session.
import { z } from "zod";
import { ActorSchema } from "./actor.ts";
import { lazySchema } from "./lazy-schema.ts";
import { SessionRefSchema } from "./session-ref.ts";
import { longText } from "./text.ts";

export const UPDATE_KINDS = ["note", "progress", "blocker", "done"] as const;
export const UpdateKindSchema = lazySchema(() => z.enum(UPDATE_KINDS));

export const UpdateSchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    handle: z.string(),
    kind: UpdateKindSchema,
    text: z.string(),
    taskId: z.string().nullable(),
    projectId: z.string().nullable(),
    session: SessionRefSchema.nullable(),
    actor: ActorSchema,
    createdAt: z.string(),
  }),
);
export type Update = z.infer<typeof UpdateSchema>;

export const PostUpdateInputSchema = lazySchema(() =>
  z
    .strictObject({
      kind: UpdateKindSchema.default("note"),
      text: longText(20_000).refine((s) => s.trim().length > 0, "must not be empty"),
      taskId: z.string().min(1).optional(),
      projectId: z.string().min(1).optional(),
      session: z.string().min(1).optional(),
    })
    .refine(
      (v) => v.taskId || v.projectId || v.session,
      "say what the update is about: taskId, projectId or session",
    ),
);
export type PostUpdateInput = z.input<typeof PostUpdateInputSchema>;
