// What a Claude Code hook receives on stdin, checked by hand: the hook path must start about as
// fast as `node -e 0`, so it loads no schema library. Only the fields Claire uses are read;
// everything else Claude Code sends is ignored (its shape changes between versions).
// See docs/claude-code-notes.md section 4 for the observed shapes.

/**
 * Keep in step with HOOK_EVENTS in src/service/agent-inputs.ts and in bin/claire.cjs (a test
 * checks they agree).
 */
export const HOOK_EVENT_NAMES = [
  "SessionStart",
  "UserPromptSubmit",
  "Notification",
  "Stop",
  "SessionEnd",
] as const;
export type HookEventName = (typeof HOOK_EVENT_NAMES)[number];

export const isHookEventName = (s: string | undefined): s is HookEventName =>
  (HOOK_EVENT_NAMES as readonly string[]).includes(s ?? "");

/** The same rule as SessionRefSchema's session id. */
const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export type HookStdin = {
  readonly sessionId: string;
  readonly cwd: string | null;
  readonly transcriptPath: string | null;
  readonly source: string | null;
  readonly reason: string | null;
  readonly notificationType: string | null;
  readonly message: string | null;
};

const str = (v: unknown, max: number): string | null =>
  typeof v === "string" && v.length > 0 && v.length <= max ? v : null;

/** The hook's input, or a reason it is not one (the hook then does nothing). */
export const parseHookStdin = (
  text: string,
  event: HookEventName,
): { ok: true; value: HookStdin } | { ok: false; reason: string } => {
  if (text.trim() === "") return { ok: false, reason: "empty stdin" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: "stdin is not JSON" };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return { ok: false, reason: "stdin is not a JSON object" };
  const o = raw as Record<string, unknown>;
  const sessionId = typeof o.session_id === "string" ? o.session_id : "";
  if (!SESSION_ID.test(sessionId)) return { ok: false, reason: "no valid session_id" };
  if (o.hook_event_name !== undefined && o.hook_event_name !== event)
    return { ok: false, reason: `hook_event_name is ${String(o.hook_event_name)}, not ${event}` };
  return {
    ok: true,
    value: {
      sessionId,
      cwd: str(o.cwd, 4096),
      transcriptPath: str(o.transcript_path, 4096),
      source: str(o.source, 64),
      reason: str(o.reason, 200),
      notificationType: str(o.notification_type, 200),
      message: str(o.message, 2000),
    },
  };
};

/** The hook's stdout for a briefing, or null when there is nothing to print. */
export const hookOutput = (event: HookEventName, context: string | null): string | null =>
  context === null
    ? null
    : JSON.stringify({ hookSpecificOutput: { hookEventName: event, additionalContext: context } });
