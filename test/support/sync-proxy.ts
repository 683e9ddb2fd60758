// A small loopback TCP proxy for sync fault tests: every connection to it is forwarded to a
// target port on 127.0.0.1, unless the mode says otherwise. Switchable at any time:
//   pass        forward both ways
//   drop        refuse: every connection (new or open) is closed at once
//   delay       forward both ways, each chunk held back by delayMs
//   blackhole   accept, forward nothing and answer nothing; when the mode goes back to pass or
//               delay, what was held flows on (a network outage that heals)
// It listens on 127.0.0.1 only and connects to 127.0.0.1 only.
import { createServer, type Server, Socket } from "node:net";

export type ProxyMode = "pass" | "drop" | "delay" | "blackhole";

export type SyncProxy = {
  readonly port: number;
  readonly url: string;
  readonly mode: () => ProxyMode;
  readonly setMode: (mode: ProxyMode, delayMs?: number) => void;
  /** Connections accepted so far (a fault test checks that traffic went through). */
  readonly connections: () => number;
  readonly close: () => Promise<void>;
};

type Pump = { flush: () => void };

export const startProxy = async (targetPort: number): Promise<SyncProxy> => {
  let mode: ProxyMode = "pass";
  let delayMs = 200;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const pumps = new Set<Pump>();

  /** Moves chunks from one socket to the other in order, honouring the mode at each chunk. */
  const pump = (from: Socket, to: Socket): Pump => {
    const queue: Buffer[] = [];
    let busy = false;
    let ended = false;
    const next = () => {
      if (busy) return;
      if (queue.length === 0) {
        if (ended && !to.destroyed) to.end();
        return;
      }
      if (mode === "blackhole" || to.destroyed) return;
      const chunk = queue.shift()!;
      if (mode === "delay") {
        busy = true;
        setTimeout(() => {
          busy = false;
          if (!to.destroyed) to.write(chunk);
          next();
        }, delayMs);
      } else {
        to.write(chunk);
        next();
      }
    };
    from.on("data", (c: Buffer) => {
      queue.push(c);
      next();
    });
    from.on("end", () => {
      ended = true;
      next();
    });
    const p = { flush: next };
    pumps.add(p);
    from.on("close", () => pumps.delete(p));
    return p;
  };

  const server: Server = createServer((client) => {
    accepted++;
    client.on("error", () => {});
    if (mode === "drop") {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    pump(client, upstream);
    pump(upstream, client);
    upstream.connect(targetPort, "127.0.0.1");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    mode: () => mode,
    setMode: (m, ms) => {
      mode = m;
      if (ms !== undefined) delayMs = ms;
      if (m === "drop") for (const s of sockets) s.resetAndDestroy();
      else for (const p of pumps) p.flush();
    },
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
};
