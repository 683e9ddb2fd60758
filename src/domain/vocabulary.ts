// The fixed words of Claire's domain, without a schema library, so the thin CLI can check an
// option against them without loading zod. The schemas in task.ts and session.ts are built on these.
export const TASK_STATUSES = ["todo", "in_progress", "blocked", "done", "cancelled"] as const;
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const SESSION_STATES = ["working", "waiting", "idle", "ended", "unknown"] as const;
