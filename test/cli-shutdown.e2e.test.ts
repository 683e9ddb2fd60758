// Graceful shutdown of `claire serve`: SIGTERM in the middle of a stream of concurrent writes loses
// no acknowledged write, the process exits 0, serve.json goes away and the database is intact.
import { existsSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureBuilt, killAllServes, runCli, startServe, tempHome } from "./support/cli-run.ts";

const CONCURRENCY = 48;
const SIGNAL_AFTER_ACKS = 300;

let home = "";
beforeAll(() => {
  ensureBuilt();
  home = tempHome("claire-cli-shutdown-");
});
afterAll(async () => {
  await killAllServes();
  rmSync(home, { recursive: true, force: true });
});

type Answer = { status: number; body: string } | { error: string };

const post = (agent: Agent, url: string, path: string, body: unknown): Promise<Answer> =>
  new Promise((done) => {
    const u = new URL(url);
    const payload = JSON.stringify(body);
    const req = request(
      {
        agent,
        host: u.hostname,
        port: u.port,
        method: "POST",
        path,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => done({ status: res.statusCode ?? 0, body: text }));
        res.on("error", (e) => done({ error: e.message }));
      },
    );
    req.on("error", (e) => done({ error: e.message }));
    req.end(payload);
  });

it("SIGTERM during concurrent writes: every acknowledged write is kept, exit 0, serve.json removed", async () => {
  const served = await startServe(home);
  const project = await runCli(["project", "add", "Load", "--json"], { home });
  expect(project.code, project.stderr).toBe(0);
  const projectId = (project.json as { id: string }).id;

  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const acked: string[] = [];
  const refused: number[] = []; // non-2xx answers (none expected)
  const failed: string[] = []; // connection errors: the server had stopped taking requests
  let inFlight = 0;
  let inFlightAtSignal = -1;
  let ackedAtSignal = -1;
  let sent = 0;
  let signalled = false;

  const worker = async (w: number): Promise<void> => {
    for (let i = 0; ; i++) {
      inFlight++;
      sent++;
      const a = await post(agent, served.url, "/api/v1/tasks", { projectId, title: `w${w}-${i}` });
      inFlight--;
      if ("error" in a) {
        failed.push(a.error);
        return; // the listener is closed: stop this worker
      }
      if (a.status >= 200 && a.status < 300) acked.push((JSON.parse(a.body) as { id: string }).id);
      else refused.push(a.status);
      if (!signalled && acked.length >= SIGNAL_AFTER_ACKS) {
        signalled = true;
        inFlightAtSignal = inFlight;
        ackedAtSignal = acked.length;
        served.process.kill("SIGTERM");
      }
      if (signalled && served.process.exitCode !== null) return;
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, (_, w) => worker(w));
  const exit = await served.exited;
  await Promise.all(workers);
  agent.destroy();

  expect(exit).toEqual({ code: 0, signal: null });
  expect(refused).toEqual([]);
  // the signal really came in the middle of the stream
  expect(inFlightAtSignal).toBeGreaterThanOrEqual(CONCURRENCY / 2);
  expect(acked.length).toBeGreaterThanOrEqual(ackedAtSignal);
  expect(failed.length).toBeGreaterThan(0); // writes kept coming after the listener closed
  expect(existsSync(join(home, "serve.json"))).toBe(false);
  const log = served.logLines().join("\n");
  expect(log).toMatch(/"signal":"SIGTERM".*shutting down/);
  expect(log).toMatch(/"msg":"stopped"/);
  // Drained, not cut off: keep-alive clients are told to close, so the server neither waits out
  // its 10 s grace period nor force-closes connections with requests in them.
  expect(log).not.toMatch(/did not finish in time/);
  const at = (msg: string) => {
    const line = served.logLines().find((l) => l.includes(msg));
    return line ? (JSON.parse(line) as { time: number }).time : Number.NaN;
  };
  const stoppedAfterMs = at('"msg":"stopped"') - at("shutting down");
  expect(stoppedAfterMs).toBeLessThan(5_000);

  // every write the server acknowledged is in the database, which is intact
  const db = new Database(join(home, "claire.db"), { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    const ids = new Set((db.prepare("SELECT id FROM tasks").all() as { id: string }[]).map((r) => r.id));
    const missing = acked.filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    const events = db.prepare("SELECT count(*) AS n FROM events WHERE type = 'task.created'").get() as {
      n: number;
    };
    expect(events.n).toBe(ids.size);
  } finally {
    db.close();
  }

  // and Claire reads it back: the CLI, in-process now, lists every acknowledged task
  const listed = new Set<string>();
  for (let offset = 0; ; offset += 1000) {
    const page = await runCli(["task", "list", "--limit", "1000", "--offset", String(offset), "--json"], {
      home,
    });
    expect(page.code, page.stderr).toBe(0);
    const { tasks, total } = page.json as { tasks: { id: string }[]; total: number };
    for (const t of tasks) listed.add(t.id);
    if (offset + tasks.length >= total) break;
  }
  expect(acked.filter((id) => !listed.has(id))).toEqual([]);
  const check = await runCli(["rebuild", "--check", "--json"], { home });
  expect(check.json).toMatchObject({ equal: true });
  console.info(
    `shutdown: ${sent} writes sent, ${acked.length} acknowledged (${acked.length - ackedAtSignal} after SIGTERM, ${inFlightAtSignal} in flight at the signal), ${failed.length} refused connection; stopped ${stoppedAfterMs} ms after the signal`,
  );
});

it("a database file removed under the server stops it (exit 1, saying so), rather than writing to a file no one can open", async () => {
  const h = tempHome("claire-cli-removed-");
  try {
    const served = await startServe(h, ["--port", "0"]);
    rmSync(join(h, "claire.db"));
    // A write right after (before the server's next look at the file) is refused, not acknowledged.
    const write = await fetch(`${served.url}/api/v1/projects`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "into the void" }),
    }).then(
      (r) => r.status,
      () => "connection closed",
    );
    expect([503, "connection closed"]).toContain(write);
    const { code } = await Promise.race([
      served.exited,
      new Promise<never>((_, fail) => setTimeout(() => fail(new Error("the server went on")), 10_000)),
    ]);
    expect(code).toBe(1);
    expect(served.logLines().join("\n")).toMatch(/was removed or replaced while the server ran; stopped/);
    expect(existsSync(join(h, "serve.json"))).toBe(false);
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});

it("SIGHUP (its terminal closed) stops it cleanly too: exit 0, serve.json removed", async () => {
  const h = tempHome("claire-cli-hup-");
  try {
    const served = await startServe(h, ["--port", "0"]);
    const { code } = await served.stop("SIGHUP");
    expect(code).toBe(0);
    expect(existsSync(join(h, "serve.json"))).toBe(false);
  } finally {
    rmSync(h, { recursive: true, force: true });
  }
});
