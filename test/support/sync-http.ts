// Real HTTP on loopback for the sync suites: the Claire app of a TempClaire behind a real
// @hono/node-server listener, and a fake peer that answers whatever a test tells it to.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/http/app.ts";
import type { Service } from "../../src/service/index.ts";
import { createSyncControl } from "../../src/sync/control.ts";
import { createHttpTransport } from "../../src/sync/transport.ts";

export type Listening = { readonly url: string; readonly close: () => Promise<void> };

const listening = (server: import("node:http").Server): Promise<string> =>
  new Promise((resolve) => {
    const done = () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (server.listening) done();
    else server.once("listening", done);
  });

const closer = (server: import("node:http").Server) => () =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** Serves a service's API on 127.0.0.1 (a free port), with bearer auth as configured. */
export const serveClaire = async (
  service: Service,
  opts: { require?: "off-loopback" | "always"; peers?: { url: string; token?: string }[] } = {},
): Promise<Listening> => {
  const app = createApp({
    service,
    auth: { require: opts.require ?? "off-loopback", verify: service.verifyToken },
    sync: createSyncControl({
      service,
      transport: createHttpTransport({ timeoutMs: 5_000 }),
      now: Date.now,
      batchSize: 500,
      intervalMs: 60_000,
      peers: () => opts.peers ?? [],
      localVector: () => service.syncSummary().vector,
      attempts: 1,
    }),
  });
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }) as import("node:http").Server;
  return { url: await listening(server), close: closer(server) };
};

export type FakeReply = { status?: number; body: string; contentType?: string };

/** A peer that answers every request with what `reply` returns for it. */
export const fakePeer = async (
  reply: (req: IncomingMessage) => FakeReply,
): Promise<Listening & { readonly requests: string[] }> => {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      const r = reply(req);
      res.writeHead(r.status ?? 200, { "content-type": r.contentType ?? "application/json" });
      res.end(r.body);
    });
  });
  server.listen(0, "127.0.0.1");
  return { url: await listening(server), close: closer(server), requests };
};
