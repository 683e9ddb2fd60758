// `claire doctor` reports each fault it claims to detect when that fault is injected: a bad
// claire.toml, a corrupt database file, an unreachable peer, a wrong token (a real `claire serve`
// demanding tokens on loopback), a peer whose clock is a day ahead (a stub peer), and two
// machines sharing one machine_id (a copied home). Real CLI processes, real files, loopback only.
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closedPort,
  ensureBuilt,
  killAllServes,
  machineIdOf,
  runCli,
  startServe,
  tempHome,
} from "./support/cli-run.ts";

type Check = { id: string; status: "pass" | "warn" | "fail"; detail: string; fix?: string };
type Report = { ok: boolean; checks: Check[]; counts: { pass: number; warn: number; fail: number } };

const doctor = async (home: string) => {
  const r = await runCli(["doctor", "--json"], { home, timeoutMs: 60_000 });
  const report = r.json as Report;
  expect(report, r.stderr).toBeDefined();
  return { code: r.code, report, byId: (id: string) => report.checks.find((c) => c.id === id) };
};

const initHome = async (prefix: string) => {
  const home = tempHome(prefix);
  expect((await runCli(["init"], { home })).code).toBe(0);
  expect((await runCli(["project", "add", "Doctor test"], { home })).code).toBe(0);
  return home;
};

beforeAll(() => ensureBuilt());
afterAll(() => killAllServes());

describe("claire doctor", () => {
  it("passes on a healthy machine, with a fix for every warning", async () => {
    const home = await initHome("claire-doctor-ok-");
    mkdirSync(join(home, ".claude"), { recursive: true });
    const { code, report, byId } = await doctor(home);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    for (const id of [
      "node",
      "config",
      "database.integrity",
      "database.wal",
      "database.schema",
      "disk",
      "log.size",
      "log.growth",
      "log.quarantine",
      "log.rejected",
      "identity",
      "claude.dirs",
    ])
      expect(byId(id)?.status, id).toBe("pass");
    for (const c of report.checks) if (c.status !== "pass") expect(c.fix, c.id).toBeTruthy();
    // Human form: one line per check, and the totals.
    const human = await runCli(["doctor"], { home });
    expect(human.stdout).toMatch(/pass {2}database integrity: PRAGMA quick_check: ok/);
    expect(human.stdout).toMatch(/\d+ passed, \d+ warnings?, 0 failed/);
  });

  it("fails on a bad claire.toml, naming the line and the fix", async () => {
    const home = await initHome("claire-doctor-config-");
    const path = join(home, "claire.toml");
    writeFileSync(path, `${readFileSync(path, "utf8")}\n[server]\nprot = 8765\n`);
    const { code, byId } = await doctor(home);
    expect(code).toBe(1);
    const c = byId("config")!;
    expect(c.status).toBe("fail");
    expect(c.detail).toMatch(/claire\.toml:\d+/);
    expect(c.detail).toMatch(/prot/);
    expect(c.fix).toMatch(/port/);
  });

  it("fails on a corrupt database file", async () => {
    const home = await initHome("claire-doctor-corrupt-");
    const db = join(home, "claire.db");
    const size = statSync(db).size;
    expect(size).toBeGreaterThan(8 * 4096);
    // Scribble over a page in the middle of the file, as a bad disk or a stray write would.
    const fd = openSync(db, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 4096 / 2) * 4096);
    closeSync(fd);
    const { code, byId } = await doctor(home);
    expect(code).toBe(1);
    const c = byId("database.integrity")!;
    expect(c.status).toBe("fail");
    expect(c.fix).toMatch(/claire restore/);
  });

  it("fails on an unreachable peer, saying why", async () => {
    const home = await initHome("claire-doctor-unreachable-");
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    expect((await runCli(["peer", "add", url, "--token", "claire_x"], { home })).code).toBe(0);
    const { code, byId } = await doctor(home);
    expect(code).toBe(1);
    const c = byId(`peer:${url}`)!;
    expect(c.status).toBe("fail");
    expect(c.detail).toMatch(/unreachable: connection refused/);
    expect(c.fix).toMatch(/claire serve/);
  });

  it("fails on a wrong token, and passes with the right one (auth.require = always)", async () => {
    const server = await initHome("claire-doctor-server-");
    writeFileSync(
      join(server, "claire.toml"),
      `${readFileSync(join(server, "claire.toml"), "utf8")}\n[auth]\nrequire = "always"\n`,
    );
    const made = await runCli(["token", "create", "peer-b", "--json"], { home: server });
    const token = (made.json as { token: string }).token;
    expect(token).toMatch(/^claire_/);
    const served = await startServe(server);
    try {
      const client = await initHome("claire-doctor-client-");
      expect(
        (await runCli(["peer", "add", served.url, "--token", "claire_wrong"], { home: client })).code,
      ).toBe(0);
      const wrong = await doctor(client);
      expect(wrong.code).toBe(1);
      const c = wrong.byId(`peer:${served.url}`)!;
      expect(c.status).toBe("fail");
      expect(c.detail).toMatch(/wrong token/);
      expect(c.fix).toMatch(/claire token create/);

      expect((await runCli(["peer", "add", served.url, "--token", token], { home: client })).code).toBe(0);
      const right = await doctor(client);
      const ok = right.byId(`peer:${served.url}`)!;
      expect(ok.status, ok.detail).not.toBe("fail");
      expect(ok.detail).toMatch(/token accepted/);
    } finally {
      await served.stop();
    }
  });

  it("fails on a peer whose clock is a day ahead", async () => {
    const stub: Server = createServer((req, res) => {
      if (req.url === "/api/v1/sync/summary") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            protocol: 1,
            logId: "3f0b7a0e-5d1c-4c55-9d0a-1d2f3a4b5c6d",
            machineId: "7c2e9d4a-1b3f-4e8a-9c6d-5f4e3d2c1b0a",
            now: new Date(Date.now() + 86_400_000).toISOString(),
            vector: [],
          }),
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => stub.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(stub.address() as { port: number }).port}`;
    try {
      const home = await initHome("claire-doctor-skew-");
      expect((await runCli(["peer", "add", url], { home })).code).toBe(0);
      const { code, byId } = await doctor(home);
      expect(code).toBe(1);
      const c = byId(`peer:${url}`)!;
      expect(c.status).toBe("fail");
      expect(c.detail).toMatch(/clock is 1 days? ahead|clock is 24 h ahead/);
      expect(c.fix).toMatch(/time sync|timedatectl/);
    } finally {
      await new Promise<void>((r) => stub.close(() => r()));
    }
  });

  it("checks Claire's hooks in Claude Code's settings and the session source command", async () => {
    const home = await initHome("claire-doctor-hooks-");
    const claudeDir = join(home, ".claude");
    mkdirSync(claudeDir, { recursive: true });
    const env = { CLAUDE_CONFIG_DIR: claudeDir };
    const none = await runCli(["doctor", "--json"], { home, env });
    const hooksOf = (r: { json: unknown }) => (r.json as Report).checks.find((c) => c.id === "claude.hooks")!;
    expect(hooksOf(none)).toMatchObject({ status: "warn", fix: "claire hooks install" });

    const installed = await runCli(["hooks", "install"], { home, env });
    expect(installed.code, installed.stderr).toBe(0);
    const ok = await runCli(["doctor", "--json"], { home, env });
    expect(hooksOf(ok).status, hooksOf(ok).detail).toBe("pass");
    expect(hooksOf(ok).detail).toMatch(/SessionStart/);

    // Node moved away since the hooks were installed: they would fail in every session.
    const settings = join(claudeDir, "settings.json");
    writeFileSync(
      settings,
      readFileSync(settings, "utf8").replaceAll(process.execPath.replace(/\/node$/, ""), "/gone/node-v0"),
    );
    const broken = await runCli(["doctor", "--json"], { home, env });
    expect(broken.code).toBe(1);
    expect(hooksOf(broken)).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/claire hooks install/),
    });
    expect(hooksOf(broken).detail).toMatch(/\/gone\/node-v0/);

    // A session lister that is not installed.
    writeFileSync(
      join(home, "claire.toml"),
      `${readFileSync(join(home, "claire.toml"), "utf8")}\n[sessions]\nsources = ["claude", "command"]\ncommand = "rclaude-not-installed list --json"\n`,
    );
    const cmd = await doctor(home);
    expect(cmd.code).toBe(1);
    expect(cmd.byId("sessions.command")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/rclaude-not-installed .*not on PATH/),
    });
  });

  it("fails when another machine uses this machine_id (a copied home)", async () => {
    const original = await initHome("claire-doctor-original-");
    // The copy: same claire.toml, same database, then both write on their own.
    const copy = tempHome("claire-doctor-copy-");
    copyFileSync(join(original, "claire.toml"), join(copy, "claire.toml"));
    copyFileSync(join(original, "claire.db"), join(copy, "claire.db"));
    expect(machineIdOf(copy)).toBe(machineIdOf(original));
    expect((await runCli(["project", "add", "Written on the original"], { home: original })).code).toBe(0);
    expect((await runCli(["project", "add", "Written on the copy"], { home: copy })).code).toBe(0);
    expect((await runCli(["project", "add", "Written on the copy too"], { home: copy })).code).toBe(0);
    const served = await startServe(copy);
    try {
      expect((await runCli(["peer", "add", served.url], { home: original })).code).toBe(0);
      // Before any sync, the peer's summary gives the copy away.
      const before = await doctor(original);
      expect(before.code).toBe(1);
      const peer = before.byId(`peer:${served.url}`)!;
      expect(peer.status).toBe("fail");
      expect(peer.detail).toMatch(/another machine uses this machine_id/);
      // After a sync, the refusals show it: the copy's events claimed this machine's own slots.
      await runCli(["sync"], { home: original });
      const after = await doctor(original);
      const identity = after.byId("identity")!;
      expect(identity.status).toBe("fail");
      expect(identity.detail).toMatch(/another machine uses this machine_id/);
      expect(identity.detail).toMatch(/2 events from elsewhere claimed this machine's own origin slots/);
      expect(identity.fix).toMatch(/claire init/);
      // ... and were kept out: the original's own next slots are still its own to write.
      expect(
        (await runCli(["project", "add", "Written on the original after the sync"], { home: original })).code,
      ).toBe(0);
    } finally {
      await served.stop();
    }
  });
});
