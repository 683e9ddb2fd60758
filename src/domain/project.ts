// Project: a named body of work holding tasks.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";
import { lineText, longText } from "./text.ts";

export const ProjectSchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    handle: z.string(),
    name: z.string(),
    description: z.string(),
    archived: z.boolean(),
    createdAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    taskCounts: z.strictObject({
      todo: z.number().int(),
      in_progress: z.number().int(),
      blocked: z.number().int(),
      done: z.number().int(),
      cancelled: z.number().int(),
    }),
  }),
);
export type Project = z.infer<typeof ProjectSchema>;

export const CreateProjectInputSchema = lazySchema(() =>
  z.strictObject({
    name: lineText(200),
    description: longText(20_000).default(""),
  }),
);
export type CreateProjectInput = z.input<typeof CreateProjectInputSchema>;

export const UpdateProjectInputSchema = lazySchema(() =>
  z
    .strictObject({ name: lineText(200).optional(), description: longText(20_000).optional() })
    .refine((v) => v.name !== undefined || v.description !== undefined, "give name or description to change"),
);
export type UpdateProjectInput = z.input<typeof UpdateProjectInputSchema>;
