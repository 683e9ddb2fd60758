// The doctor's checks on their own, with made-up facts: each verdict and fix, without processes.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Config } from "../src/config/index.ts";
import { parseConfigText } from "../src/config/index.ts";
import {
  clockStateCheck,
  databaseFileChecks,
  freeDiskCheck,
  identityCheck,
  logChecks,
} from "../src/ops/doctor/database-checks.ts";
import { hooksCheck, listenCheck, nodeCheck } from "../src/ops/doctor/machine-checks.ts";
import { checkPeer, type PeerCheckContext } from "../src/ops/doctor/peer-checks.ts";
import { writableCheck } from "../src/ops/doctor/run.ts";
import type { DatabaseFileReport } from "../src/store/queries/ops.ts";
import { PeerError, type SyncTransport } from "../src/sync/transport.ts";
import { SCHEMA_VERSION } from "../src/version.ts";

const ME = "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e";
const OTHER = "7c2e9d4a-1b3f-4e8a-9c6d-5f4e3d2c1b0a";
const LOG = "3f0b7a0e-5d1c-4c55-9d0a-1d2f3a4b5c6d";
const NOW = Date.UTC(2026, 10, 23, 12);

const config = (extra = ""): Config => {
  const r = parseConfigText(`machine_id = "${ME}"\n${extra}`, { file: "claire.toml", hostname: "desk" });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

const file = (over: Partial<DatabaseFileReport> = {}): DatabaseFileReport => ({
  path: "/x/claire.db",
  exists: true,
  bytes: 10 * 1024 ** 2,
  walBytes: 0,
  openError: null,
  quickCheck: ["ok"],
  journalMode: "wal",
  userVersion: SCHEMA_VERSION,
  ...over,
});

describe("database checks", () => {
  it("integrity, WAL and schema each say what is wrong and whether the store may be opened", () => {
    expect(databaseFileChecks(file()).usable).toBe(true);
    expect(databaseFileChecks(file()).checks.map((c) => c.status)).toEqual(["pass", "pass", "pass"]);
    const bad = databaseFileChecks(
      file({ quickCheck: ["*** in database main ***\nPage 5: btreeInitPage() returns error code 11"] }),
    );
    expect(bad.usable).toBe(false);
    expect(bad.checks[0]).toMatchObject({ status: "fail", detail: expect.stringMatching(/Page 5/) });
    expect(bad.checks[0]!.detail).not.toContain("\n");
    expect(databaseFileChecks(file({ openError: "file is not a database" })).checks[0]).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/claire restore/),
    });
    expect(databaseFileChecks(file({ journalMode: "delete" })).checks[1]!.status).toBe("warn");
    const newer = databaseFileChecks(file({ userVersion: 99 }));
    expect(newer.usable).toBe(false);
    expect(newer.checks[2]).toMatchObject({ status: "fail", fix: expect.stringMatching(/upgrade Claire/) });
    expect(databaseFileChecks(file({ exists: false })).checks[0]).toMatchObject({
      status: "warn",
      fix: expect.stringMatching(/claire init/),
    });
  });

  it("free disk, growth, quarantine and rejections", () => {
    expect(freeDiskCheck("/d", 50 * 1024 ** 2, 1024).status).toBe("fail");
    expect(freeDiskCheck("/d", 500 * 1024 ** 2, 1024).status).toBe("warn");
    expect(freeDiskCheck("/d", 50 * 1024 ** 3, 1024).status).toBe("pass");
    const health = {
      events: 1_000_000,
      perDay: [0, 0, 0, 0, 0, 0, 200_000],
      quarantined: { count: 3, unknownTypes: ["task.archived"], maxAheadMs: 86_400_000 },
      rejected: {
        count: 2,
        lastWeek: 2,
        recent: [{ source: "http://laptop:8765", reason: "invalid hlc", n: 2, lastMs: NOW }],
      },
    };
    const [size, growth, quarantine, rejected] = logChecks(
      health,
      file({ bytes: 1024 ** 3 }),
      2 * 1024 ** 3,
      300_000,
    );
    expect(size).toMatchObject({ status: "pass", detail: expect.stringMatching(/1,000,000 events/) });
    expect(growth).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/disk is full in about \d+ days/),
    });
    expect(quarantine).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/task\.archived.*1 days? ahead|task\.archived.*24 h ahead/),
    });
    expect(quarantine!.fix).toMatch(/upgrade Claire.*clocks/);
    expect(rejected).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/2× from http:\/\/laptop:8765: invalid hlc/),
    });
  });

  it("identity: a clean writer passes; events beyond its counter, newer epochs or collisions fail", () => {
    const base = {
      machineId: ME,
      writer: { epoch: 0, originSeq: 10 },
      epochs: [],
      beyondCounter: 0,
      newerEpochs: [],
      slotCollisions: 0,
      clockAheadMs: 0,
    };
    expect(identityCheck(base).status).toBe("pass");
    for (const bad of [{ beyondCounter: 2 }, { newerEpochs: [1] }, { slotCollisions: 1 }]) {
      const c = identityCheck({ ...base, ...bad });
      expect(c.status).toBe("fail");
      expect(c.detail).toMatch(/another machine uses this machine_id/);
      expect(c.fix).toMatch(/claire init/);
    }
  });
});

describe("the clock state check", () => {
  it("passes within the max drift, and fails beyond it saying until when peers hold this machine back", () => {
    const drift = 5 * 60_000;
    const now = Date.parse("2026-11-24T10:00:00.000Z");
    expect(clockStateCheck(0, drift, now)).toMatchObject({
      status: "pass",
      detail: "in step with this machine's clock",
    });
    expect(clockStateCheck(30_000, drift, now).status).toBe("pass");
    const c = clockStateCheck(2 * 3_600_000, drift, now);
    expect(c).toMatchObject({ id: "clock.state", status: "fail" });
    expect(c.detail).toMatch(
      /^120 min ahead of this machine's clock: .*until about 2026-11-24T11:55:00.000Z/,
    );
    expect(c.fix).toMatch(/set-ntp/);
  });
});

describe("the writable check", () => {
  it("names the files this user cannot write, and says it is not damage", () => {
    const dir = mkdtempSync(join(tmpdir(), "claire-writable-"));
    const db = join(dir, "claire.db");
    writeFileSync(db, "");
    writeFileSync(`${db}-wal`, "");
    expect(writableCheck(dir, db, () => true)).toBeNull();
    const c = writableCheck(dir, db, (p) => !p.endsWith("-wal"));
    expect(c).toMatchObject({
      id: "database.writable",
      status: "fail",
      detail: `not writable by this user: ${db}-wal`,
    });
    expect(c?.fix).toMatch(/this is not damage: do not restore/);
    // Files that are not there (no -shm yet) are not asked about.
    expect(writableCheck(dir, db, (p) => !p.endsWith("-shm"))).toBeNull();
  });
});

describe("machine checks", () => {
  it("Node older than 22.12 fails", () => {
    expect(nodeCheck("24.9.0", "/n").status).toBe("pass");
    expect(nodeCheck("22.12.0", "/n").status).toBe("pass");
    expect(nodeCheck("22.11.0", "/n").status).toBe("fail");
    expect(nodeCheck("20.20.2", "/n").fix).toMatch(/Node\.js 24/);
  });

  it("listen address against peers, tokens and the machine's own clients", () => {
    expect(listenCheck(config(), true).status).toBe("pass");
    expect(listenCheck(config('[[peers]]\nurl = "http://laptop:8765"\n'), true).status).toBe("warn");
    expect(listenCheck(config('[server]\nhost = "0.0.0.0"\n'), false).status).toBe("fail");
    const specific = listenCheck(config('[server]\nhost = "100.64.0.3"\n'), true);
    // Its own CLI and hooks arrive from that address and count as local (see the auth middleware).
    expect(specific).toMatchObject({ status: "pass" });
    expect(
      listenCheck(config('[server]\nhost = "0.0.0.0"\n[[peers]]\nurl = "http://laptop:8765"\n'), true).status,
    ).toBe("warn");
    // Before any peer is named too: the machines that will pull from it get 403 all the same.
    expect(listenCheck(config('[server]\nhost = "0.0.0.0"\n'), true).detail).toMatch(
      /allowed_hosts is empty/,
    );
    expect(
      listenCheck(
        config(
          '[server]\nhost = "0.0.0.0"\nallowed_hosts = ["100.64.0.3"]\n[[peers]]\nurl = "http://laptop:8765"\n',
        ),
        true,
      ).status,
    ).toBe("pass");
    // Peers on this machine (other homes on loopback) can pull from a loopback server.
    expect(listenCheck(config('[[peers]]\nurl = "http://127.0.0.1:8766"\n'), true).status).toBe("pass");
    // A running server is described where it really listens (--port, --port 0), not as configured.
    expect(listenCheck(config(), true, { url: "http://127.0.0.1:52879" }).detail).toMatch(
      /^claire serve listens on 127\.0\.0\.1:52879/,
    );
    expect(listenCheck(config(), true).detail).toMatch(/^claire serve will listen on 127\.0\.0\.1:8765/);
  });

  it("hooks: absent, partial, complete, and pointing at a Node that is gone", () => {
    const home = mkdtempSync(join(tmpdir(), "claire-hooks-"));
    const dir = join(home, ".claude");
    mkdirSync(dir);
    const entry = join(import.meta.dirname, "..", "bin", "claire.cjs");
    const settings = (events: string[], bin = entry) =>
      writeFileSync(
        join(dir, "settings.json"),
        JSON.stringify({
          hooks: Object.fromEntries(
            events.map((e) => [
              e,
              [{ hooks: [{ type: "command", command: `'${process.execPath}' '${bin}' hook ${e}` }] }],
            ]),
          ),
          permissions: { allow: [] },
        }),
      );
    expect(hooksCheck([join(home, "missing")], home)).toBeNull();
    expect(hooksCheck([dir], home)!.status).toBe("warn");
    settings(["SessionStart", "Stop"]);
    expect(hooksCheck([dir], home)).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/not for UserPromptSubmit/),
    });
    const all = ["SessionStart", "UserPromptSubmit", "Notification", "Stop", "SessionEnd"];
    settings(all);
    expect(hooksCheck([dir], home)).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(/for Notification, SessionEnd, SessionStart, Stop, UserPromptSubmit/),
    });
    settings(all, "/opt/claire/bin/claire.cjs");
    expect(hooksCheck([dir], home)).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/\/opt\/claire\/bin\/claire\.cjs, which does not exist/),
    });
  });
});

describe("peer checks (a scripted transport)", () => {
  const summary = (over: Record<string, unknown> = {}) => ({
    protocol: 1,
    logId: "5e0b7a0e-5d1c-4c55-9d0a-1d2f3a4b5c6d",
    machineId: OTHER,
    now: new Date(NOW).toISOString(),
    vector: [{ machineId: ME, epoch: 0, contiguous: 10, count: 10, maxOriginSeq: 10 }],
    ...over,
  });
  const transport = (
    answer: () => unknown,
    auth: () => unknown = () => ({ token: "accepted", needed: true }),
  ): SyncTransport => ({
    getSummary: async () => answer(),
    getContacts: async () => answer(),
    getAuth: async () => auth(),
    getEvents: async () => {
      throw new Error("not used");
    },
    postEvents: async () => {
      throw new Error("not used");
    },
  });
  const ctx = (answer: () => unknown, over: Partial<PeerCheckContext> = {}): PeerCheckContext => ({
    transport: transport(answer),
    now: () => NOW,
    machineId: ME,
    logId: LOG,
    local: {
      vector: [{ machineId: ME, epoch: 0, contiguous: 10, count: 10, maxOriginSeq: 10 }],
      epoch: 0,
      originSeq: 10,
    },
    health: new Map(),
    maxDriftMs: 300_000,
    intervalMs: 15_000,
    ...over,
  });
  const peer = { url: "http://laptop:8765", token: "claire_x", name: "laptop" };

  it("passes when reachable, authenticated, in sync and on time", async () => {
    const c = await checkPeer(
      peer,
      ctx(() => summary()),
    );
    expect(c).toMatchObject({ id: "peer:http://laptop:8765", status: "pass" });
    expect(c.detail).toMatch(/token accepted; in sync, clock \+0 ms/);
  });

  it("says what the peer makes of the token: refused (over loopback, where it is not needed), none, or not known", async () => {
    const withAuth = (auth: () => unknown) => ({
      ...ctx(() => summary()),
      transport: transport(() => summary(), auth),
    });
    const refused = await checkPeer(
      peer,
      withAuth(() => ({ token: "refused", needed: false })),
    );
    expect(refused).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/does not accept the token/),
    });
    expect(refused.fix).toMatch(/claire token create/);
    const none = await checkPeer(
      { url: peer.url },
      withAuth(() => ({ token: "none", needed: false })),
    );
    expect(none).toMatchObject({
      status: "pass",
      detail: expect.stringMatching(/^reachable without a token/),
    });
    const older = await checkPeer(
      peer,
      withAuth(() => {
        throw new PeerError("http://laptop:8765 answered HTTP 404", 404);
      }),
    );
    expect(older).toMatchObject({ status: "pass", detail: expect.stringMatching(/not known/) });
    expect(older.detail).not.toMatch(/token accepted/);
  });

  it("names a wrong token, a refused Host, another protocol", async () => {
    const refuse = (status: number) => () => {
      throw new PeerError(`http://laptop:8765 answered HTTP ${status}`, status);
    };
    expect(await checkPeer(peer, ctx(refuse(401)))).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/wrong token/),
    });
    expect(await checkPeer({ url: peer.url }, ctx(refuse(401)))).toMatchObject({
      detail: expect.stringMatching(/has none/),
    });
    expect(await checkPeer(peer, ctx(refuse(403)))).toMatchObject({
      status: "fail",
      fix: expect.stringMatching(/allowed_hosts/),
    });
    expect(
      await checkPeer(
        peer,
        ctx(() => summary({ protocol: 2 })),
      ),
    ).toMatchObject({ status: "fail", detail: expect.stringMatching(/protocol 2/) });
  });

  it("fails on a clock beyond max drift, warns on a smaller skew", async () => {
    const ahead = await checkPeer(
      peer,
      ctx(() => summary({ now: new Date(NOW + 86_400_000).toISOString() })),
    );
    expect(ahead).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/ahead of this machine's.*quarantine here/),
    });
    const behind = await checkPeer(
      peer,
      ctx(() => summary({ now: new Date(NOW - 600_000).toISOString() })),
    );
    expect(behind).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/behind.*quarantine there/),
    });
    expect(
      (
        await checkPeer(
          peer,
          ctx(() => summary({ now: new Date(NOW + 20_000).toISOString() })),
        )
      ).status,
    ).toBe("warn");
  });

  it("tells this machine itself from a copy of it, and spots foreign events under this machine's id", async () => {
    const local = ctx(() => summary()).local!;
    const itself = await checkPeer(
      peer,
      ctx(() => summary({ machineId: ME, logId: LOG, vector: local.vector })),
    );
    expect(itself).toMatchObject({ status: "fail", fix: expect.stringMatching(/claire peer remove/) });
    const copy = await checkPeer(
      peer,
      ctx(() =>
        summary({
          machineId: ME,
          logId: LOG,
          vector: [{ ...local.vector[0]!, count: 12, maxOriginSeq: 12, contiguous: 12 }],
        }),
      ),
    );
    expect(copy).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/another machine uses this machine_id/),
    });
    const foreign = await checkPeer(
      peer,
      ctx(() =>
        summary({ vector: [{ machineId: ME, epoch: 0, contiguous: 13, count: 13, maxOriginSeq: 13 }] }),
      ),
    );
    expect(foreign).toMatchObject({ status: "fail", detail: expect.stringMatching(/never wrote/) });
    // A live server writes between the two reads, so the vectors differ: answering at this
    // machine's own server (any loopback name for it) with its log still makes it this machine.
    const busy = () =>
      summary({
        machineId: ME,
        logId: LOG,
        vector: [{ ...local.vector[0]!, count: 12, maxOriginSeq: 12, contiguous: 12 }],
      });
    const self = { url: "http://localhost:8765" };
    for (const [p, own] of [
      [peer, peer.url],
      [self, "http://127.0.0.1:8765"],
    ] as const)
      expect(await checkPeer(p, { ...ctx(busy), ownServerUrl: own })).toMatchObject({
        status: "fail",
        detail: expect.stringMatching(/this peer is this machine itself/),
        fix: expect.stringMatching(/claire peer remove/),
      });
    expect(await checkPeer(peer, { ...ctx(busy), ownServerUrl: "http://127.0.0.1:1" })).toMatchObject({
      detail: expect.stringMatching(/another machine uses this machine_id/),
    });
  });

  it("warns about lag only when no sync succeeded lately", async () => {
    const lagging = () =>
      summary({
        vector: [
          { machineId: OTHER, epoch: 0, contiguous: 5, count: 5, maxOriginSeq: 5 },
          { machineId: ME, epoch: 0, contiguous: 10, count: 10, maxOriginSeq: 10 },
        ],
      });
    const stale = await checkPeer(peer, ctx(lagging));
    expect(stale).toMatchObject({
      status: "warn",
      detail: expect.stringMatching(/it has 5 events this machine lacks/),
    });
    const fresh = await checkPeer(
      peer,
      ctx(lagging, {
        health: new Map([
          [
            peer.url,
            {
              peer: peer.url,
              machineId: OTHER,
              lastAttemptAt: null,
              lastSuccessAt: new Date(NOW - 5_000).toISOString(),
              lastError: null,
              behind: 0,
              pulled: 0,
              pushed: 0,
              clockOffsetMs: 0,
            },
          ],
        ]),
      }),
    );
    expect(fresh.status).toBe("pass");
    expect(fresh.detail).toMatch(/last sync 5 s ago/);
  });
});

describe("doctor on a database it may not write", () => {
  it("does not prescribe the damage recovery (restore, move aside) for what is a permission problem", async () => {
    const { runDoctor } = await import("../src/ops/doctor/run.ts");
    const { PeerError: Err } = await import("../src/sync/transport.ts");
    const home = mkdtempSync(join(tmpdir(), "claire-doctor-ro-"));
    // A file SQLite cannot read as a database: the integrity check fails as it does on a read-only disk.
    writeFileSync(join(home, "claire.db"), "x".repeat(8192));
    const failing = async () => {
      throw new Err("unused");
    };
    const report = await runDoctor({
      env: { CLAIRE_HOME: home },
      home,
      now: Date.now,
      nodeVersion: process.versions.node,
      execPath: process.execPath,
      transport: {
        getEvents: failing,
        postEvents: failing,
        getSummary: failing,
        getContacts: failing,
        getAuth: failing,
      },
      canWrite: (p) => !p.endsWith("claire.db"),
    });
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    expect(byId.get("database.writable")?.status).toBe("fail");
    expect(byId.get("database.integrity")?.status).toBe("fail");
    expect(byId.get("database.integrity")?.fix).toMatch(/see 'data directory writable'.*do not restore/);
  });
});
