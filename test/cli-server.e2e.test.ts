// Where the CLI's requests go: to the `claire serve` this machine runs (found through serve.json),
// to --server / CLAIRE_SERVER, else in-process; a stale serve.json is ignored.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedPort, ensureBuilt, killAllServes, runCli, startServe, tempHome } from "./support/cli-run.ts";

const homes: string[] = [];
const home = (): string => {
  const h = tempHome("claire-cli-server-");
  homes.push(h);
  return h;
};

beforeAll(() => ensureBuilt());
afterAll(async () => {
  await killAllServes();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** The pid of a process that has exited (so no process has it, barring a fast wrap-around). */
const deadPid = (): Promise<number> =>
  new Promise((done) => {
    const p = spawn("true", { stdio: "ignore" });
    p.on("exit", () => done(p.pid!));
  });

/** An HTTP server that counts what reaches it and answers like nothing Claire knows. */
const listenCounting = async (): Promise<{ server: Server; url: string; hits: () => number }> => {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.writeHead(500, { "content-type": "text/plain" }).end("not claire");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hits: () => hits };
};

describe("with `claire serve` running", () => {
  it("sends writes over HTTP; after SIGTERM the CLI works in-process on the same data", async () => {
    const h = home();
    const served = await startServe(h);
    expect(existsSync(join(h, "serve.json"))).toBe(true);

    const before = served.requests().length;
    const added = await runCli(["project", "add", "Over HTTP", "--json"], { home: h });
    expect(added.code, added.stderr).toBe(0);
    const project = added.json as { id: string; name: string };
    // the write is in the server's request log: it went over HTTP, not to the database directly
    expect(served.requests().slice(before)).toEqual([
      { method: "POST", path: "/api/v1/projects", status: 201 },
    ]);
    const list = await runCli(["project", "list", "--json"], { home: h });
    expect((list.json as { id: string }[]).map((p) => p.id)).toEqual([project.id]);
    expect(served.requests().slice(before + 1)).toEqual([
      { method: "GET", path: "/api/v1/projects", status: 200 },
    ]);

    // --server and CLAIRE_SERVER reach it from anywhere (here: a home with no serve.json at all)
    const elsewhere = home();
    const viaFlag = await runCli(
      ["--server", served.url, "task", "add", "by flag", "-p", "Over HTTP", "--json"],
      {
        home: elsewhere,
      },
    );
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    const viaEnv = await runCli(["task", "add", "by env", "-p", "Over HTTP", "--json"], {
      home: elsewhere,
      env: { CLAIRE_SERVER: `${served.url}/` },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(existsSync(join(elsewhere, "claire.db"))).toBe(false); // nothing was opened locally
    expect(served.requests().filter((r) => r.method === "POST" && r.path === "/api/v1/tasks")).toHaveLength(
      2,
    );

    const requestsAtStop = served.requests().length;
    expect(await served.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(existsSync(join(h, "serve.json"))).toBe(false);
    expect(served.logLines().some((l) => l.includes('"msg":"stopped"'))).toBe(true);

    // no server: the same commands work in-process, on the data the server wrote
    const tasks = await runCli(["task", "list", "-p", "Over HTTP", "--json"], { home: h });
    expect(tasks.code, tasks.stderr).toBe(0);
    expect((tasks.json as { tasks: { title: string }[] }).tasks.map((t) => t.title).sort()).toEqual([
      "by env",
      "by flag",
    ]);
    const offline = await runCli(["project", "add", "Offline", "--json"], { home: h });
    expect(offline.code, offline.stderr).toBe(0);
    expect(served.requests()).toHaveLength(requestsAtStop);
    // and a named server that is gone is an error, not a silent fallback
    const named = await runCli(["--server", served.url, "status"], { home: h });
    expect(named.code).toBe(3);
  });
});

describe("serve.json", () => {
  it("left by a server that died (dead pid) is ignored: the CLI works in-process and rebuild is allowed", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const decoy = await listenCounting();
    try {
      writeFileSync(
        join(h, "serve.json"),
        JSON.stringify({ pid: await deadPid(), url: decoy.url, startedAt: new Date().toISOString() }),
      );
      const added = await runCli(["project", "add", "Stale", "--json"], { home: h });
      expect(added.code, added.stderr).toBe(0);
      const list = await runCli(["project", "list", "--json"], { home: h });
      expect((list.json as { name: string }[]).map((p) => p.name)).toEqual(["Stale"]);
      expect(decoy.hits()).toBe(0);
      const rebuild = await runCli(["rebuild", "--json"], { home: h });
      expect(rebuild.code, rebuild.stderr).toBe(0);
      expect(rebuild.json).toMatchObject({ rebuilt: true });
    } finally {
      decoy.server.close();
    }
  });

  it("naming a pid another process has taken since (its start time differs): ignored, the server at its address is not asked", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const decoy = await listenCounting(); // say, another home's Claire on that port now
    try {
      writeFileSync(
        join(h, "serve.json"),
        JSON.stringify({
          pid: process.pid,
          url: decoy.url,
          startedAt: new Date().toISOString(),
          procStart: "1",
        }),
      );
      const added = await runCli(["project", "add", "Mine", "--json"], { home: h });
      expect(added.code, added.stderr).toBe(0);
      expect(decoy.hits()).toBe(0);
      const list = await runCli(["project", "list", "--json"], { home: h });
      expect((list.json as { name: string }[]).map((p) => p.name)).toEqual(["Mine"]);
    } finally {
      decoy.server.close();
    }
  });

  it("naming a live process but an address nobody answers at: the CLI falls back to in-process", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    // this test runner is alive; the port is not listening (a server that hung up, or a reused pid)
    writeFileSync(
      join(h, "serve.json"),
      JSON.stringify({
        pid: process.pid,
        url: `http://127.0.0.1:${await closedPort()}`,
        startedAt: new Date().toISOString(),
      }),
    );
    const added = await runCli(["project", "add", "Fallback", "--json"], { home: h });
    expect(added.code, added.stderr).toBe(0);
    const list = await runCli(["project", "list", "--json"], { home: h });
    expect((list.json as { name: string }[]).map((p) => p.name)).toEqual(["Fallback"]);
    // Nor does it stop what needs the database alone, or count as running for doctor.
    const backup = join(h, "b.db");
    expect((await runCli(["backup", backup], { home: h })).code).toBe(0);
    const rebuild = await runCli(["rebuild"], { home: h });
    expect(rebuild.code, rebuild.stderr).toBe(0);
    const restore = await runCli(["restore", backup], { home: h });
    expect(restore.code, restore.stderr).toBe(0);
    const doctor = await runCli(["doctor", "--json"], { home: h, timeoutMs: 30_000 });
    const checks = (doctor.json as { checks: { id: string; detail: string }[] }).checks;
    expect(checks.find((c) => c.id === "server")?.detail).toMatch(/^not running/);
  });

  it("a write the server took but broke off is not made again in-process: it says it may have been applied", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const seen: string[] = [];
    // Reads the request, then hangs up without an answer (a server that crashed mid-request).
    const broken = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      req.on("end", () => res.socket?.destroy());
    });
    await new Promise<void>((r) => broken.listen(0, "127.0.0.1", () => r()));
    try {
      const port = (broken.address() as { port: number }).port;
      writeFileSync(
        join(h, "serve.json"),
        JSON.stringify({
          pid: process.pid,
          url: `http://127.0.0.1:${port}`,
          startedAt: new Date().toISOString(),
        }),
      );
      const added = await runCli(["project", "add", "Once"], { home: h });
      expect(added.code).toBe(3);
      expect(added.stderr).toMatch(/took the request but did not answer .*it may have been applied/);
      expect(seen).toEqual(["POST /api/v1/projects"]);
      // A read is answered locally; the write was not made a second time.
      const list = await runCli(["project", "list", "--json"], { home: h });
      expect(list.code, list.stderr).toBe(0);
      expect(list.json).toEqual([]);
    } finally {
      broken.closeAllConnections();
      broken.close();
    }
  });

  it("--host [::1] (an address as a URL writes it) listens on ::1, not on a name '[::1]'", async () => {
    const h = home();
    const ipv6 = await new Promise<boolean>((done) => {
      const probe = createServer();
      probe.once("error", () => done(false));
      probe.listen(0, "::1", () => probe.close(() => done(true)));
    });
    if (ipv6) {
      const served = await startServe(h, ["--host", "[::1]", "--port", "0"]);
      expect(served.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      expect((await fetch(`${served.url}/api/v1/health`)).status).toBe(200);
      await served.stop();
    } else {
      // No IPv6 loopback here: the refusal is about the address, not an unknown host name.
      const r = await runCli(["serve", "--host", "[::1]", "--port", "0"], { home: h, timeoutMs: 20_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/ENOTFOUND/);
    }
  });

  it("two `claire serve` started at the same moment on one home: exactly one runs", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const both = await Promise.allSettled([startServe(h, ["--port", "0"]), startServe(h, ["--port", "0"])]);
    const up = both.filter((r) => r.status === "fulfilled");
    const refused = both.filter((r) => r.status === "rejected");
    expect(up).toHaveLength(1);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(
      /a server is already running for this Claire home/,
    );
    const served = (up[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startServe>>>).value;
    // And no rebuild or restore under it, serve.json or not.
    rmSync(join(h, "serve.json"));
    const rebuild = await runCli(["rebuild"], { home: h });
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toMatch(/a server is running; stop it before rebuilding/);
    await served.stop();
    expect((await runCli(["rebuild"], { home: h })).code).toBe(0);
  });

  it("a second `claire serve` on the same home is refused, and the first keeps serving and its serve.json", async () => {
    const h = home();
    const first = await startServe(h, ["--port", "0"]);
    const before = readFileSync(join(h, "serve.json"), "utf8");
    const second = await runCli(["serve", "--port", "0"], { home: h });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /^claire: a server is already running for this Claire home \(pid \d+, http:/,
    );
    expect(second.stderr).toMatch(/CLAIRE_HOME=<dir> claire serve/);
    expect(readFileSync(join(h, "serve.json"), "utf8")).toBe(before);
    const rebuild = await runCli(["rebuild"], { home: h });
    expect(rebuild.stderr).toMatch(/a server is running/);
    expect((await fetch(`${first.url}/api/v1/health`)).status).toBe(200);
    await first.stop();
  });

  it("a serve.json naming a live process whose address does not answer does not stop `claire serve`", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    writeFileSync(
      join(h, "serve.json"),
      JSON.stringify({
        pid: process.pid,
        url: `http://127.0.0.1:${await closedPort()}`,
        startedAt: new Date().toISOString(),
      }),
    );
    const served = await startServe(h, ["--port", "0"]);
    expect(JSON.parse(readFileSync(join(h, "serve.json"), "utf8")).url).toBe(served.url);
    await served.stop();
  });
});
