// The logger: pino, JSON lines to stderr, level from CLAIRE_LOG_LEVEL (default info).
import { type Logger, pino } from "pino";

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

export const createLogger = (env: Record<string, string | undefined> = process.env): Logger => {
  const wanted = (env.CLAIRE_LOG_LEVEL ?? "info").toLowerCase();
  const level = LEVELS.has(wanted) ? wanted : "info";
  // Synchronous writes to fd 2: log lines are never lost when the process exits right after.
  const log = pino({ level, base: { pid: process.pid } }, pino.destination({ fd: 2, sync: true }));
  if (!LEVELS.has(wanted))
    log.warn({ CLAIRE_LOG_LEVEL: env.CLAIRE_LOG_LEVEL }, "unknown log level; using info");
  return log;
};
