// A request refused before its body was read (401, 403, 415, an unknown route...) must still have
// that body read, or the connection it came on is lost: the server stops reading while the client
// is still sending, and an HTTP client that reuses connections (undici: the CLI, sync) sees a
// socket error instead of the answer, so a peer with a revoked token retried as if the network
// failed. Small bodies are read to their end and dropped; one beyond DRAIN_MAX_BYTES, or one a
// refusal read part of (the 413 of the body limit), ends the connection with `Connection: close`.
import type { MiddlewareHandler } from "hono";

const DRAIN_MAX_BYTES = 8 * 1024 * 1024;

/** Reads a stream to its end, up to `max` bytes; whether it ended within them. */
const drain = async (body: ReadableStream<Uint8Array>, max: number): Promise<boolean> => {
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      read += value.byteLength;
      if (read > max) {
        await reader.cancel().catch(() => {});
        return false;
      }
    }
  } catch {
    return false;
  }
};

export const unreadBodies =
  (max = DRAIN_MAX_BYTES): MiddlewareHandler =>
  async (c, next) => {
    await next();
    const req = c.req.raw;
    if (req.body === null || c.res.status < 400) return;
    // A body already read was read whole, except by the body limit, which stops at its limit.
    const whole = req.bodyUsed ? c.res.status !== 413 : await drain(req.body, max);
    if (!whole) c.res.headers.set("connection", "close");
  };
