// What Claude Code's hooks and Claire's MCP server send to the agent operations (service/agent.ts):
// the hook events, their input schemas, and the session state each hook event means.
import { z } from "zod";
import { int, isPlainObject, optStr, sessionIdAccepted } from "../domain/fast-accept.ts";
import { lazySchema } from "../domain/lazy-schema.ts";
import type { SessionFacts } from "../domain/session.ts";
import { SessionRefSchema } from "../domain/session-ref.ts";

export const HOOK_EVENTS = [
  "SessionStart",
  "UserPromptSubmit",
  "Notification",
  "Stop",
  "SessionEnd",
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** The most a hook may print: Claude Code injects 10,000 characters whole, and no more. */
export const HOOK_OUTPUT_LIMIT = 10_000;

const SessionIdSchema = lazySchema(() => SessionRefSchema.shape.sessionId);
const optText = (max: number) => z.string().max(max).nullable().optional();

export const HookEventInputSchema = lazySchema(() =>
  z.strictObject({
    event: z.enum(HOOK_EVENTS),
    sessionId: SessionIdSchema,
    cwd: optText(4096),
    transcriptPath: optText(4096),
    /** SessionStart: startup, resume, clear, compact, fork. */
    source: optText(64),
    /** SessionEnd: clear, other, prompt_input_exit, ... */
    reason: optText(200),
    /** Notification: permission_prompt, idle_prompt, ... and its text. */
    notificationType: optText(200),
    message: optText(2000),
    /** The Claude Code process (CLAUDE_PID). */
    claudePid: z.number().int().positive().max(4_294_967_295).nullable().optional(),
    /** The session this same Claude process registered before (the hook remembers it). */
    predecessor: SessionIdSchema.nullable().optional(),
    /** Tasks the session was told it owns at its last briefing (UserPromptSubmit reports changes). */
    knownTasks: z.array(z.string().max(64)).max(1000).optional(),
    /** Longest briefing, as JSON-escaped characters. */
    budget: z
      .number()
      .int()
      .min(1000)
      .max(HOOK_OUTPUT_LIMIT)
      .default(HOOK_OUTPUT_LIMIT - 200),
  }),
);
export type HookEventInput = z.input<typeof HookEventInputSchema>;

const HOOK_EVENT_SET: ReadonlySet<string> = new Set(HOOK_EVENTS);
const optTextChecks = (max: number) => (x: unknown) => optStr(x, max);
const HOOK_INPUT_CHECKS: Readonly<Record<string, (x: unknown) => boolean>> = {
  event: (x) => typeof x === "string" && HOOK_EVENT_SET.has(x),
  sessionId: sessionIdAccepted,
  cwd: optTextChecks(4096),
  transcriptPath: optTextChecks(4096),
  source: optTextChecks(64),
  reason: optTextChecks(200),
  notificationType: optTextChecks(200),
  message: optTextChecks(2000),
  claudePid: (x) => x === undefined || x === null || int(x, 1, 4_294_967_295),
  predecessor: (x) => x === undefined || x === null || sessionIdAccepted(x),
  knownTasks: (x) =>
    x === undefined ||
    (Array.isArray(x) && x.length <= 1000 && x.every((t) => typeof t === "string" && t.length <= 64)),
  budget: (x) => int(x, 1000, HOOK_OUTPUT_LIMIT),
};

/**
 * True when HookEventInputSchema surely accepts `x` unchanged (see domain/fast-accept.ts): what
 * the hook itself sends, budget included. Anything else is the schema's to judge.
 */
export const hookEventInputAccepted = (x: unknown): x is z.output<typeof HookEventInputSchema> => {
  if (!isPlainObject(x) || x.event === undefined || x.sessionId === undefined || x.budget === undefined)
    return false;
  for (const k in x) {
    const check = HOOK_INPUT_CHECKS[k];
    if (check === undefined || !check(x[k])) return false;
  }
  return true;
};

export const RegisterSessionInputSchema = lazySchema(() =>
  z.strictObject({
    sessionId: SessionIdSchema,
    cwd: optText(4096),
    pid: z.number().int().positive().max(4_294_967_295).nullable().optional(),
  }),
);

export const CompleteTaskInputSchema = lazySchema(() =>
  z.strictObject({
    session: z.string().min(1).max(300).describe("the completing session: id, handle or machine/session key"),
    taskId: z.string().min(1).max(200),
    summary: z
      .string()
      .max(20_000)
      .refine((s) => !s.includes("\u0000"), "must not contain NUL characters")
      .optional()
      .describe("what was done; posted as a 'done' update"),
  }),
);

/** The session state a hook event means (docs/agents.md: the session state machine). */
export const hookStateFacts = (p: z.output<typeof HookEventInputSchema>): SessionFacts => {
  switch (p.event) {
    case "SessionStart":
      // Compaction restarts a session in the middle of a turn: its state does not change.
      return p.source === "compact" ? {} : { state: "idle", stateReason: null };
    case "UserPromptSubmit":
      return { state: "working", stateReason: null };
    case "Notification": {
      const what = `${p.notificationType ?? ""} ${p.message ?? ""}`.toLowerCase();
      if (what.includes("permission")) return { state: "waiting", stateReason: "permission" };
      if (/idle|input|elicitation|waiting/.test(what)) return { state: "waiting", stateReason: "input" };
      return {}; // other notices (auth_success, ...) say nothing about the state
    }
    case "Stop":
      return { state: "idle", stateReason: null };
    case "SessionEnd":
      return { state: "ended", stateReason: p.reason ?? null, pid: null };
  }
};
