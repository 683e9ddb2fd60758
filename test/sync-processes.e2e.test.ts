// Three real `claire serve` processes on loopback, each with a token (`claire token create`), B
// with auth.require = "always" so tokens matter on loopback too, peers set with `claire peer add`
// in a line A-B-C (no A-C link), every link through a TCP proxy that can drop, delay or black-hole
// connections. Writes through the CLI on each; convergence checked through the API and with
// `claire sync --verify`; sync health in `claire status`; backup while serving, restore after.
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  claire,
  ensureBuilt,
  eventually,
  type Home,
  killAll,
  makeHome,
  must,
  removeHome,
  type Served,
  serve,
  vectors,
  waitConverged,
} from "./support/sync-cluster.ts";
import { type SyncProxy, startProxy } from "./support/sync-proxy.ts";

const TOML = "[sync]\ninterval_seconds = 1\nbatch_size = 200";

type Health = { peer: string; lastSuccessAt: string | null; lastError: string | null; behind: number | null };
type Status = { events: { total: number; quarantined: number; rejected: number }; peers: Health[] };

describe("three claire serve processes on loopback with tokens and a fault proxy", () => {
  const homes: Home[] = [];
  const proxies: SyncProxy[] = [];
  let a: Served;
  let b: Served;
  let c: Served;
  let pa: SyncProxy;
  let pb: SyncProxy;
  let pc: SyncProxy;
  const all = () => [a, b, c];

  beforeAll(async () => {
    ensureBuilt();
    const [ha, hb, hc] = await Promise.all([
      makeHome("a", { toml: TOML }),
      makeHome("b", { toml: `${TOML}\n[auth]\nrequire = "always"` }),
      makeHome("c", { toml: TOML }),
    ]);
    homes.push(ha, hb, hc);
    [a, b, c] = await Promise.all([serve(ha), serve(hb), serve(hc)]);
    [pa, pb, pc] = await Promise.all([startProxy(a.port), startProxy(b.port), startProxy(c.port)]);
    proxies.push(pa, pb, pc);
    // A line through the proxies: A <-> B <-> C.
    await must(ha, ["peer", "add", pb.url, "--token", hb.token, "--name", "b"]);
    await must(hb, ["peer", "add", pa.url, "--token", ha.token, "--name", "a"]);
    await must(hb, ["peer", "add", pc.url, "--token", hc.token, "--name", "c"]);
    await must(hc, ["peer", "add", pb.url, "--token", hb.token, "--name", "b"]);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled(
      all()
        .filter(Boolean)
        .map((s) => s.stop()),
    );
    await Promise.allSettled(proxies.map((p) => p.close()));
    await killAll();
    for (const h of homes) removeHome(h);
  });

  const projectNames = async (s: Served) =>
    (await api<{ name: string }[]>(s, "/projects")).body.map((p) => p.name).sort();

  it("converge after writes on each, checked through the API and `claire sync --verify`", async () => {
    await must(a.home, ["project", "add", "Alpha"]);
    await must(a.home, ["task", "add", "alpha task", "-p", "Alpha", "-l", "sync"]);
    await must(b.home, ["project", "add", "Beta"]);
    await must(b.home, ["task", "add", "beta task", "-p", "Beta"]);
    await must(c.home, ["project", "add", "Gamma"]);
    await must(c.home, ["broadcast", "all", "hello from C"]);
    await waitConverged(all(), 30_000);
    // A and C have no link: each has the other's writes through B.
    for (const s of all())
      expect(await projectNames(s)).toEqual(expect.arrayContaining(["Alpha", "Beta", "Gamma"]));
    for (const s of all()) {
      const r = await claire(s.home, ["sync", "--verify", "--json"]);
      expect(r.code, `${s.home.name}: ${r.stdout}${r.stderr}`).toBe(0);
      const v = (r.json as { verification: { equal: boolean; peers: { equal: boolean }[] } }).verification;
      expect(v.equal).toBe(true);
      expect(v.peers.length).toBe(s === b ? 2 : 1);
    }
  }, 90_000);

  it("reports sync health per peer in `claire status --json` and GET /api/v1/status", async () => {
    const r = await must(b.home, ["status", "--json"]);
    const status = r.json as Status;
    expect(status.peers.map((p) => p.peer).sort()).toEqual([pa.url, pc.url].sort());
    for (const p of status.peers) {
      expect(p.lastSuccessAt).not.toBeNull();
      expect(p.lastError).toBeNull();
      expect(p.behind).toBe(0);
    }
    expect(status.events).toMatchObject({ quarantined: 0, rejected: 0 });
    const viaApi = await api<Status>(a, "/status");
    expect(viaApi.status).toBe(200);
    expect(viaApi.body.peers).toHaveLength(1);
    expect(viaApi.body.peers[0]).toMatchObject({ peer: pb.url, lastError: null });
  }, 30_000);

  it("B (auth.require = always) refuses requests without its token, even on loopback", async () => {
    for (const headers of [
      {},
      { authorization: "Bearer claire_wrong" },
      { authorization: `Bearer ${a.home.token}` },
    ]) {
      const res = await fetch(`${b.url}/api/v1/sync/events?after=0`, { headers });
      expect(res.status).toBe(401);
      await res.text();
    }
    const noToken = await claire({ env: { ...b.home.env, CLAIRE_TOKEN: "" } }, ["status", "--json"]);
    expect(noToken.code).not.toBe(0);
    expect(noToken.stderr).toMatch(/token/i);
    // A keeps the default (tokens only off loopback).
    const res = await fetch(`${a.url}/api/v1/sync/summary`);
    expect(res.status).toBe(200);
    await res.text();
  }, 30_000);

  it("keeps taking writes during drops, delays and black holes, and converges once they stop", async () => {
    const before = await vectors(all());
    expect(new Set(before).size).toBe(1);
    pa.setMode("drop");
    pb.setMode("blackhole");
    pc.setMode("delay", 300);
    for (let i = 0; i < 3; i++) {
      await must(a.home, ["project", "add", `A during faults ${i}`]);
      await must(b.home, ["project", "add", `B during faults ${i}`]);
      await must(c.home, ["project", "add", `C during faults ${i}`]);
    }
    // B cannot reach A: its health says so.
    await eventually("B to record an error for A", async () => {
      const s = (await api<Status>(b, "/status")).body;
      return s.peers.find((p) => p.peer === pa.url)?.lastError;
    });
    expect(await projectNames(a)).not.toContain("C during faults 0");
    // Partly healed: black hole turns into a slow link, then everything passes.
    pb.setMode("delay", 200);
    await new Promise((r) => setTimeout(r, 1_500));
    for (const p of proxies) p.setMode("pass");
    const ms = await waitConverged(all(), 60_000);
    for (const s of all())
      expect(await projectNames(s)).toEqual(
        expect.arrayContaining(["A during faults 2", "B during faults 2", "C during faults 2"]),
      );
    for (const s of all()) {
      const r = await claire(s.home, ["sync", "--verify"]);
      expect(r.code, `${s.home.name}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    expect(ms).toBeLessThan(60_000);
    await eventually("every peer healthy again", async () => {
      const s = (await api<Status>(b, "/status")).body;
      return s.peers.every((p) => p.lastError === null);
    });
  }, 120_000);

  it("backs up C while it serves and writes; restore waits for the server to stop; C re-learns", async () => {
    // Writes keep landing on C while the backup is taken.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const r = await api(c, "/projects", { method: "POST", body: { name: `C busy ${written}` } });
        if (r.status === 201 || r.status === 200) written++;
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const backup = await must(c.home, ["backup", "--json"]);
    writing = false;
    await writer;
    const info = backup.json as { path: string; events: number; machineId: string };
    expect(existsSync(info.path)).toBe(true);
    expect(info.machineId).toBe(c.home.machineId);
    const copy = new Database(info.path, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
    expect(written).toBeGreaterThan(0);

    const refused = await claire(c.home, ["restore", info.path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/server is running/);

    // After the backup: a write that peers get, then C's disk "dies".
    await must(c.home, ["project", "add", "C after backup"]);
    await waitConverged(all(), 30_000);
    const oldLog = (await api<{ logId: string }>(c, "/sync/summary")).body.logId;
    expect(await c.stop()).toBe(0);
    const restored = await must(c.home, ["restore", info.path, "--json"]);
    const r = restored.json as { logId: string; epoch: number; replacedPath: string };
    expect(r.logId).not.toBe(oldLog);
    expect(r.epoch).toBe(1);
    expect(existsSync(r.replacedPath)).toBe(true);

    c = await serve(c.home, { port: c.port });
    await must(c.home, ["project", "add", "C after restore"]);
    await waitConverged(all(), 60_000);
    for (const s of all())
      expect(await projectNames(s)).toEqual(expect.arrayContaining(["C after backup", "C after restore"]));
    for (const s of all()) {
      const status = (await api<Status>(s, "/status")).body;
      expect(status.events.rejected).toBe(0);
    }
    const summary = (await api<{ vector: { machineId: string; epoch: number }[] }>(a, "/sync/summary")).body;
    expect(summary.vector.filter((v) => v.machineId === c.home.machineId).map((v) => v.epoch)).toEqual([
      0, 1,
    ]);
    for (const s of all()) expect((await claire(s.home, ["sync", "--verify"])).code).toBe(0);
  }, 120_000);
});
