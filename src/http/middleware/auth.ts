// Bearer tokens: required for requests that do not come from this machine (loopback), or for all
// requests when auth.require = "always" (e.g. behind a reverse proxy, where everything looks local).
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { PROBLEM_JSON, problem } from "../problem.ts";

export type AuthDeps = {
  readonly require: "off-loopback" | "always";
  readonly verify: (token: string) => boolean;
};

export const isLoopbackAddress = (addr: string | undefined): boolean => {
  if (addr === undefined) return true; // In-process requests (the CLI without a server) have no socket.
  const a = addr.toLowerCase();
  return a === "::1" || a.startsWith("127.") || a.startsWith("::ffff:127.");
};

type SocketInfo = { remoteAddress?: string; localAddress?: string };
const socketOf = (env: unknown): SocketInfo | undefined =>
  (env as { incoming?: { socket?: SocketInfo } } | undefined)?.incoming?.socket;

/**
 * From this machine: no socket (in-process), a loopback source, or a source address equal to the
 * address it reached — a server listening on one private address (a WireGuard or Tailscale IP)
 * sees this machine's own CLI and hooks arrive from that very address, and they hold no token.
 */
export const isFromThisMachine = (env: unknown): boolean => {
  const socket = socketOf(env);
  if (!socket) return true;
  if (isLoopbackAddress(socket.remoteAddress)) return true;
  return socket.remoteAddress !== undefined && socket.remoteAddress === socket.localAddress;
};

export const bearerAuth =
  (deps: AuthDeps): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const needed = deps.require === "always" || !isFromThisMachine(c.env);
    const header = c.req.header("authorization") ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    // A token sent where none is needed (this machine, or a peer over loopback) is checked all the
    // same: its "last used" is kept, and GET /auth can tell a peer that its token was revoked
    // before it moves off loopback and finds out by failing.
    const valid = m ? deps.verify(m[1]!) : false;
    c.set("token", valid ? "accepted" : m ? "refused" : "none");
    c.set("tokenNeeded", needed);
    if (needed) {
      if (!m || !valid) {
        const detail = m
          ? "that token is not valid here (revoked, or made on another machine)"
          : "this request needs 'Authorization: Bearer <token>'; create one on the server with `claire token create`";
        return c.json(problem(401, detail, [], "unauthorized"), 401, {
          ...PROBLEM_JSON,
          "www-authenticate": 'Bearer realm="claire"',
        });
      }
    }
    await next();
  };
