// GET /live/<page address>: server-sent events for one open page. After each database change (from
// this process, another process on this database, or a peer through sync) the page's live sections
// are rendered again and those that changed are sent as one `fragments` event, which htmx swaps in
// by id. A comment every 25 s keeps idle connections open through proxies.
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Logger } from "pino";
import type { ChangeFeed } from "../../../runtime/change-feed.ts";
import type { LiveHub } from "./hub.ts";
import type { SectionRenderer } from "./renderer.tsx";

export const LIVE_PREFIX = "/live";
const KEEPALIVE_MS = 25_000;
const SHUTDOWN_CHECK_MS = 1_000;

/**
 * Whether the HTTP server this request came through has stopped listening (serve is shutting
 * down): a stream then ends, so the server's close does not wait out its grace period for it.
 */
const serverClosing = (env: unknown): boolean =>
  (env as { incoming?: { socket?: { server?: { listening?: boolean } } } } | undefined)?.incoming?.socket
    ?.server?.listening === false;

/** The live URL of a page: its own address under /live, with the client id and rendered version. */
export const liveUrl = (pageAddress: string, clientId: string, version: string): string => {
  const u = new URL(pageAddress, "http://dashboard.invalid");
  u.searchParams.set("__c", clientId);
  u.searchParams.set("__v", version);
  return `${LIVE_PREFIX}${u.pathname === "/" ? "/" : u.pathname}${u.search}`;
};

/** The page address a live URL follows, and the client id and version it carries. */
export const parseLiveUrl = (
  url: URL,
): { address: string; clientId: string | null; version: string | null } => {
  const q = new URLSearchParams(url.search);
  const clientId = q.get("__c");
  const version = q.get("__v");
  q.delete("__c");
  q.delete("__v");
  const path = url.pathname.slice(LIVE_PREFIX.length) || "/";
  const search = q.toString();
  return { address: search ? `${path}?${search}` : path, clientId, version };
};

export const liveStream = (
  c: Context,
  deps: {
    hub: LiveHub;
    renderer: SectionRenderer;
    changes: ChangeFeed | null;
    newId: () => string;
    log?: Logger | undefined;
    /**
     * Whether the request may still see the page: its sign-in is checked again before every send,
     * so a revoked token or a sign-out elsewhere ends the stream (the browser's reconnect then
     * gets 401 and the page goes to /sign-in).
     */
    allowed?: () => boolean;
  },
) => {
  const { address, clientId, version } = parseLiveUrl(new URL(c.req.url));
  return streamSSE(c, async (stream) => {
    const client = deps.hub.open(clientId ?? deps.newId(), address);
    let closed = false;
    let dirty = false;
    let wake: (() => void) | null = null;
    const poke = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    const unsubscribe =
      deps.changes?.subscribe(() => {
        dirty = true;
        poke();
      }) ?? (() => {});
    stream.onAbort(() => {
      closed = true;
      poke();
    });
    const shutdownWatch = setInterval(() => {
      if (serverClosing(c.env)) {
        closed = true;
        poke();
      }
    }, SHUTDOWN_CHECK_MS);
    shutdownWatch.unref();
    try {
      // The page was rendered at `version`: if nothing changed since, its sections are what the
      // browser shows; otherwise send every section now so nothing between render and connect is lost.
      const first = await deps.renderer.sections(address);
      if (first) {
        if (version === deps.renderer.version()) deps.hub.remember(client, first);
        else dirty = true;
      }
      await stream.writeSSE({ event: "ready", data: "", retry: 2000 });
      while (!closed) {
        if (deps.allowed && !deps.allowed()) break;
        if (dirty) {
          dirty = false;
          let html = "";
          try {
            const rendered = await deps.renderer.sections(address);
            html = rendered ? deps.hub.take(client, rendered) : "";
          } catch (e) {
            // The page stays as it was; the next change tries again.
            deps.log?.error({ err: e, page: address }, "rendering live sections failed");
          }
          if (html && !closed) await stream.writeSSE({ event: "fragments", data: html });
          continue;
        }
        const timedOut = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), KEEPALIVE_MS);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        if (timedOut && !closed) await stream.write(": keepalive\n\n");
      }
    } finally {
      clearInterval(shutdownWatch);
      unsubscribe();
      deps.hub.close(client);
    }
  });
};
