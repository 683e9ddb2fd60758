// One JSON log line per request: method, path, status, duration.
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";

export const requestLog =
  (log: Logger | undefined): MiddlewareHandler =>
  async (c, next) => {
    if (!log) return next();
    const start = performance.now();
    await next();
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 10) / 10,
      },
      "request",
    );
  };
