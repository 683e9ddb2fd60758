// The fault proxy the sync end-to-end suites put between servers: it must do what each mode says.
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type SyncProxy, startProxy } from "./support/sync-proxy.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const echoServer = async (): Promise<number> => {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => {});
    s.pipe(s);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return (server.address() as { port: number }).port;
};

const proxyTo = async (port: number): Promise<SyncProxy> => {
  const p = await startProxy(port);
  cleanup.push(p.close);
  return p;
};

/** A client: what it has received so far, and whether the connection ended. */
const client = (port: number) => {
  const s = connect(port, "127.0.0.1");
  const state = { data: "", closed: false, socket: s };
  s.setEncoding("utf8").on("data", (d: string) => {
    state.data += d;
  });
  s.on("error", () => {});
  s.on("close", () => {
    state.closed = true;
  });
  cleanup.push(() => {
    s.destroy();
  });
  return state;
};

const waitFor = async (cond: () => boolean, ms = 2_000) => {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("sync fault proxy", () => {
  it("passes, delays, black-holes (and then lets through), and drops", async () => {
    const proxy = await proxyTo(await echoServer());
    const c = client(proxy.port);
    c.socket.write("one");
    await waitFor(() => c.data === "one");

    proxy.setMode("delay", 150);
    const t = Date.now();
    c.socket.write("two");
    await waitFor(() => c.data === "onetwo");
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);

    proxy.setMode("blackhole");
    c.socket.write("three");
    await sleep(200);
    expect(c.data).toBe("onetwo");
    expect(c.closed).toBe(false);
    proxy.setMode("pass");
    await waitFor(() => c.data === "onetwothree");

    proxy.setMode("drop");
    await waitFor(() => c.closed);
    const d = client(proxy.port);
    d.socket.write("lost");
    await waitFor(() => d.closed);
    expect(d.data).toBe("");

    proxy.setMode("pass");
    const e = client(proxy.port);
    e.socket.write("back");
    await waitFor(() => e.data === "back");
    expect(proxy.connections()).toBe(3);
  });
});
