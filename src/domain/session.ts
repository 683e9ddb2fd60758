// Session: one Claude Code session, keyed fleet-wide by (machine, session id). Only the hosting
// machine writes its fields.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";

import { SESSION_STATES } from "./vocabulary.ts";

export { SESSION_STATES };
export const SessionStateSchema = lazySchema(() => z.enum(SESSION_STATES));
export type SessionState = z.infer<typeof SessionStateSchema>;

export const TokensSchema = lazySchema(() =>
  z.strictObject({
    input: z.number().int().nonnegative(),
    output: z.number().int().nonnegative(),
    cacheCreation: z.number().int().nonnegative(),
    cacheRead: z.number().int().nonnegative(),
  }),
);
export type Tokens = z.infer<typeof TokensSchema>;

/** The facts a session source or hook reports; every field optional so a source sends what it knows. */
export const SessionFactsSchema = lazySchema(() =>
  z.strictObject({
    cwd: z.string().max(4096).nullable().optional(),
    gitBranch: z.string().max(512).nullable().optional(),
    version: z.string().max(64).nullable().optional(),
    title: z.string().max(500).nullable().optional(),
    model: z.string().max(200).nullable().optional(),
    transcriptPath: z.string().max(4096).nullable().optional(),
    source: z.string().max(64).nullable().optional(),
    pid: z.number().int().nonnegative().nullable().optional(),
    parentPid: z.number().int().nonnegative().nullable().optional(),
    firstActivity: z.iso.datetime().nullable().optional(),
    lastActivity: z.iso.datetime().nullable().optional(),
    userMessages: z.number().int().nonnegative().optional(),
    assistantMessages: z.number().int().nonnegative().optional(),
    tokens: TokensSchema.optional(),
    costUsd: z.number().nonnegative().nullable().optional(),
    state: SessionStateSchema.optional(),
    stateReason: z.string().max(200).nullable().optional(),
  }),
);
export type SessionFacts = z.infer<typeof SessionFactsSchema>;

/** Fields whose change alone is "activity": throttled to one event per session per 15 s. */
export const ACTIVITY_FIELDS = [
  "lastActivity",
  "userMessages",
  "assistantMessages",
  "tokens",
  "costUsd",
] as const satisfies readonly (keyof SessionFacts)[];
export const ACTIVITY_THROTTLE_MS = 15_000;

export const SessionSchema = lazySchema(() =>
  z.strictObject({
    machineId: z.string(),
    machineName: z.string().nullable(),
    sessionId: z.string(),
    handle: z.string(),
    cwd: z.string().nullable(),
    gitBranch: z.string().nullable(),
    version: z.string().nullable(),
    title: z.string().nullable(),
    model: z.string().nullable(),
    transcriptPath: z.string().nullable(),
    source: z.string().nullable(),
    pid: z.number().nullable(),
    firstActivity: z.string().nullable(),
    lastActivity: z.string().nullable(),
    userMessages: z.number(),
    assistantMessages: z.number(),
    tokens: TokensSchema,
    costUsd: z.number().nullable(),
    state: SessionStateSchema,
    stateReason: z.string().nullable(),
    stateSince: z.string().nullable(),
    predecessor: z.string().nullable(),
    successor: z.string().nullable(),
  }),
);
export type Session = z.infer<typeof SessionSchema>;
