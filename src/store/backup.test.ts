import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTempClaire, must, type TempClaire, tempDir } from "../../test/support/temp-claire.ts";
import { backupDatabase, backupMachineId, restoreDatabase } from "./backup.ts";
import { openDatabase } from "./database.ts";
import { checkProjections } from "./rebuild.ts";

const ROOT = join(import.meta.dirname, "../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const WORKER = join(ROOT, "test/support/core-concurrency-worker.ts");

const dirs: string[] = [];
const open: TempClaire[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDir("claire-backup-");
  dirs.push(d);
  return d;
};
const claire = (d: string, machineId: string) => {
  const c = createTempClaire({ dir: d, machineId });
  open.push(c);
  return c;
};

describe("backupDatabase", () => {
  it("copies a consistent snapshot while another process keeps writing", async () => {
    const d = dir();
    const machineId = randomUUID();
    const dbPath = join(d, "claire.db");
    claire(d, machineId).close();
    const child = spawn(NODE, [WORKER, dbPath, machineId, "w", "3000"], { cwd: ROOT });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
    });
    try {
      while (!out.includes("ready")) await new Promise((r) => setTimeout(r, 10));
      child.stdin.write("go\n");
      const count = () => {
        const db = openDatabase(dbPath);
        try {
          return (db.prepare("SELECT COUNT(*) AS n FROM events").get() as { n: number }).n;
        } finally {
          db.close();
        }
      };
      while (count() < 200) await new Promise((r) => setTimeout(r, 5));
      const backups: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await backupDatabase(dbPath, join(d, `b${i}.db`));
        const info = must(r);
        backups.push(info.events);
        const copy = openDatabase(info.path);
        try {
          expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
          // A snapshot: origin_seq 1..n with no hole, and the writer row says n.
          const s = copy
            .prepare("SELECT COUNT(*) AS n, MAX(origin_seq) AS max FROM events WHERE machine_id = ?")
            .get(machineId) as { n: number; max: number };
          const w = copy.prepare("SELECT origin_seq FROM writer").get() as { origin_seq: number };
          expect(s.n).toBe(s.max);
          expect(w.origin_seq).toBe(s.n);
          expect(checkProjections(copy).differences).toEqual([]);
        } finally {
          copy.close();
        }
      }
      expect(out).not.toContain("done"); // taken while the writer was still writing
      expect(backups[0]).toBeGreaterThanOrEqual(200);
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
  }, 60_000);

  it("writes the backup readable by its owner only, and leaves no side file of a WAL-mode source it reads", async () => {
    const d = dir();
    const c = claire(d, randomUUID());
    must(c.service.createProject(c.human, { name: "x" }));
    const target = join(d, "private.db");
    must(await backupDatabase(c.store.path, target));
    expect(statSync(target).mode & 0o777).toBe(0o600);
    c.close();
    // The live database (WAL mode) read as a backup: its -shm is not left beside it afterwards.
    const copy = join(d, "copy.db");
    copyFileSync(join(d, "claire.db"), copy);
    expect(backupMachineId(copy)).not.toBeNull();
    expect(readdirSync(d).filter((f) => f.startsWith("copy.db"))).toEqual(["copy.db"]);
  });

  it("never overwrites, and says when there is nothing to back up", async () => {
    const d = dir();
    const c = claire(d, randomUUID());
    must(c.service.createProject(c.human, { name: "x" }));
    const target = join(d, "exists.db");
    writeFileSync(target, "keep me");
    const r = await backupDatabase(c.store.path, target);
    expect(r.ok).toBe(false);
    expect(readFileSync(target, "utf8")).toBe("keep me");
    const none = await backupDatabase(join(d, "nope.db"), join(d, "out.db"));
    expect(none.ok).toBe(false);
    expect(existsSync(join(d, "out.db"))).toBe(false);
  });
});

describe("restoreDatabase", () => {
  const setup = async () => {
    const d = dir();
    const machineId = randomUUID();
    const c = claire(d, machineId);
    const p = must(c.service.createProject(c.human, { name: "before backup" }));
    must(c.service.createTask(c.human, { projectId: p.id, title: "t" }));
    const token = must(c.service.createToken("old-token"));
    c.store.write(() =>
      c.store.q.sync.savePeerStatus({ ...c.service.peerStatus("http://peer"), push_seq: 2, log_id: null }),
    );
    const backup = join(d, "backup.db");
    must(await backupDatabase(c.store.path, backup));
    // After the backup: more writes, a revoked token and a new one.
    must(c.service.createProject(c.human, { name: "after backup" }));
    must(c.service.revokeToken("old-token"));
    const fresh = must(c.service.createToken("new-token"));
    const before = { logId: c.store.logId, writer: c.store.log.writer() };
    c.close();
    return { d, machineId, backup, dbPath: join(d, "claire.db"), before, token, fresh };
  };

  it("installs the backup with a new log id and a new epoch, keeping the replaced database aside", async () => {
    const s = await setup();
    const r = must(
      restoreDatabase({
        backup: s.backup,
        dbPath: s.dbPath,
        machineId: s.machineId,
        now: () => Date.UTC(2026, 10, 24),
        newLogId: randomUUID,
      }),
    );
    expect(r.logId).not.toBe(s.before.logId);
    expect(r.epoch).toBe(s.before.writer.epoch + 1);
    expect(r.events).toBe(2);
    expect(r.replacedPath).toBe(`${s.dbPath}.before-restore-2026-11-24T00-00-00-000Z`);
    expect(existsSync(r.replacedPath!)).toBe(true);
    // The replaced database is whole on its own (its WAL was folded in).
    const old = openDatabase(r.replacedPath!);
    expect((old.prepare("SELECT COUNT(*) AS n FROM events").get() as { n: number }).n).toBe(3);
    old.close();

    const c = claire(s.d, s.machineId);
    expect(c.store.logId).toBe(r.logId);
    const w = c.store.log.writer();
    expect(w).toMatchObject({ epoch: r.epoch, origin_seq: 0 });
    expect(w.hlc >= s.before.writer.hlc).toBe(true); // the clock never goes back
    expect(c.service.peerStatus("http://peer").push_seq).toBe(0);
    expect(c.service.listProjects().map((p) => p.name)).toEqual(["before backup"]);
    // Tokens are the current ones: the revoked one stays revoked, the new one works.
    expect(c.service.verifyToken(s.token.token)).toBe(false);
    expect(c.service.verifyToken(s.fresh.token)).toBe(true);
    // New writes use the new epoch from origin_seq 1.
    must(c.service.createProject(c.human, { name: "after restore" }));
    const last = c.store.q.events.page(0, 100).at(-1)!;
    expect(last).toMatchObject({ epoch: r.epoch, originSeq: 1 });
    expect(checkProjections(c.store.db).differences).toEqual([]);
  });

  it("restoring the same backup twice gives a higher epoch each time", async () => {
    const s = await setup();
    const opts = {
      backup: s.backup,
      dbPath: s.dbPath,
      machineId: s.machineId,
      now: Date.now,
      newLogId: randomUUID,
    };
    const first = must(restoreDatabase(opts));
    const c = claire(s.d, s.machineId);
    must(c.service.createProject(c.human, { name: "written under the first restore" }));
    c.close();
    const second = must(restoreDatabase({ ...opts, now: () => Date.now() + 1 }));
    expect(second.epoch).toBe(first.epoch + 1);
    expect(second.logId).not.toBe(first.logId);
  });

  it("refuses another machine's backup and a file that is not a database, changing nothing", async () => {
    const s = await setup();
    const other = restoreDatabase({
      backup: s.backup,
      dbPath: s.dbPath,
      machineId: randomUUID(),
      now: Date.now,
      newLogId: randomUUID,
    });
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error.message).toMatch(/belongs to machine/);
    const junk = join(s.d, "junk.db");
    writeFileSync(junk, "not sqlite at all, just some text that is long enough to look like a header");
    const bad = restoreDatabase({
      backup: junk,
      dbPath: s.dbPath,
      machineId: s.machineId,
      now: Date.now,
      newLogId: randomUUID,
    });
    expect(bad.ok).toBe(false);
    const c = claire(s.d, s.machineId);
    expect(c.store.logId).toBe(s.before.logId);
    expect(c.service.listProjects()).toHaveLength(2);
    expect(existsSync(`${s.dbPath}.restoring`)).toBe(false);
  });
});
