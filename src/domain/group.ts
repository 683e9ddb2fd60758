// Group: a named set of sessions, by rules (machine, cwd glob, project) and explicit members.
// Its id is derived from its name, so two machines creating "backend" make the same group.
import { z } from "zod";
import { derivedId } from "./ids.ts";
import { lazySchema } from "./lazy-schema.ts";
import { SessionRefSchema } from "./session-ref.ts";
import { longText } from "./text.ts";

export const GroupNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(
      /^[a-z0-9][a-z0-9_.-]{0,63}$/,
      "lowercase letters, digits, '_', '.', '-'; at most 64; start with a letter or digit",
    ),
);

export const GroupRuleSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^(machine|cwd|project):.{1,1000}$/s, "a rule is machine:<id|name>, cwd:<glob> or project:<id>"),
);
export type GroupRule = z.infer<typeof GroupRuleSchema>;

export const groupIdFromName = (name: string): string => derivedId("group", name);

export const GroupSchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    rules: z.array(z.string()),
    members: z.array(SessionRefSchema),
    /** The sessions, on any machine, that have not ended and a broadcast to the group reaches now. */
    reaches: z.array(SessionRefSchema),
    createdAt: z.string().nullable(),
  }),
);
export type Group = z.infer<typeof GroupSchema>;

export const CreateGroupInputSchema = lazySchema(() =>
  z.strictObject({
    name: GroupNameSchema,
    description: longText(2_000).default(""),
    rules: z.array(GroupRuleSchema).max(100).default([]),
    members: z.array(z.string().min(1)).max(1000).default([]),
  }),
);
export type CreateGroupInput = z.input<typeof CreateGroupInputSchema>;

export const EditGroupInputSchema = lazySchema(() =>
  z
    .strictObject({
      description: longText(2_000).optional(),
      addRules: z.array(GroupRuleSchema).max(100).optional(),
      removeRules: z.array(GroupRuleSchema).max(100).optional(),
      addMembers: z.array(z.string().min(1)).max(1000).optional(),
      removeMembers: z.array(z.string().min(1)).max(1000).optional(),
    })
    .refine((v) => Object.values(v).some((x) => x !== undefined), "give at least one change"),
);
export type EditGroupInput = z.input<typeof EditGroupInputSchema>;
