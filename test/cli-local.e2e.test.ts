// The commands that work on this machine's files: `claire init` (idempotent, keeps machine_id,
// refuses a broken claire.toml) and `claire rebuild [--check]` (finds a hand-corrupted projection
// row; refuses to rebuild while a server runs).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, killAllServes, machineIdOf, runCli, startServe, tempHome } from "./support/cli-run.ts";

const homes: string[] = [];
const home = () => {
  const h = tempHome("claire-cli-local-");
  homes.push(h);
  return h;
};

beforeAll(() => ensureBuilt());
afterAll(async () => {
  await killAllServes();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

type Init = { created: boolean; machineId: string; configPath: string; dbPath: string };

describe("claire init", () => {
  it("twice in a fresh CLAIRE_HOME: the same machine_id, and the second run changes nothing", async () => {
    const h = home();
    const first = await runCli(["init", "--json"], { home: h });
    expect(first.code, first.stderr).toBe(0);
    const a = first.json as Init;
    expect(a).toMatchObject({
      created: true,
      configPath: join(h, "claire.toml"),
      dbPath: join(h, "claire.db"),
    });
    expect(a.machineId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(machineIdOf(h)).toBe(a.machineId);
    const toml = readFileSync(join(h, "claire.toml"), "utf8");

    const second = await runCli(["init", "--json"], { home: h });
    expect(second.code, second.stderr).toBe(0);
    expect(second.json).toEqual({ ...a, created: false, createdDatabase: false });
    expect(readFileSync(join(h, "claire.toml"), "utf8")).toBe(toml);

    const human = await runCli(["init"], { home: h });
    expect(human.stdout).toMatch(/already set up here; nothing changed/);
    expect(human.stdout).toContain(a.machineId);

    // claire.toml without a database (copied, or the database moved aside): init makes one and
    // says so, keeping the machine id.
    for (const f of ["claire.db", "claire.db-wal", "claire.db-shm"]) rmSync(join(h, f), { force: true });
    const db = await runCli(["init"], { home: h });
    expect(db.stdout).toMatch(
      /^Claire's database is created; claire.toml was there already \(its machine id is kept\)/,
    );
    expect(machineIdOf(h)).toBe(a.machineId);
  });

  it("refuses a corrupt claire.toml, naming the file and the line, and never rewrites it", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const path = join(h, "claire.toml");
    const good = readFileSync(path, "utf8");
    // an unclosed table header, after everything init wrote
    const broken = `${good}${good.endsWith("\n") ? "" : "\n"}[sync\ninterval_seconds = 5\n`;
    writeFileSync(path, broken);
    const brokenLine = broken.split("\n").indexOf("[sync") + 1;
    for (const args of [["init"], ["init", "--json"], ["status"], ["project", "add", "x"]]) {
      const r = await runCli(args, { home: h });
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: "" });
      expect(r.stderr).toContain(`config error in ${path}:${brokenLine}`);
      expect(r.stderr).toMatch(/fix: /);
    }
    expect(readFileSync(path, "utf8")).toBe(broken);
  });

  it("says a damaged database is damaged and how to recover (exit 1), and leaves the file as it was", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const db = join(h, "claire.db");
    writeFileSync(db, "garbage, not a database\n".repeat(200));
    for (const args of [["status"], ["task", "list", "--json"], ["project", "add", "x"]]) {
      const r = await runCli(args, { home: h });
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: "" });
      expect(r.stderr).toMatch(
        new RegExp(
          `^claire: the database ${db.replaceAll("/", "\\/")} is damaged \\(file is not a database\\)\n`,
        ),
      );
      expect(r.stderr).toMatch(/claire restore <backup file>/);
      expect(r.stderr).not.toMatch(/internal error|at .*\.cjs:\d+/);
    }
    expect(readFileSync(db, "utf8")).toBe("garbage, not a database\n".repeat(200));
  });

  it("a damaged table (the file itself opens) is damaged too, not an internal error", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    expect((await runCli(["project", "add", "P"], { home: h })).code).toBe(0);
    for (let i = 0; i < 30; i++)
      expect((await runCli(["task", "add", `t${i}`, "-p", "P"], { home: h })).code).toBe(0);
    const db = new Database(join(h, "claire.db"));
    db.pragma("wal_checkpoint(TRUNCATE)");
    const root = (
      db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'tasks'").get() as { rootpage: number }
    ).rootpage;
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.close();
    const file = readFileSync(join(h, "claire.db"));
    file.fill(0xde, (root - 1) * pageSize, root * pageSize);
    writeFileSync(join(h, "claire.db"), file);
    const r = await runCli(["task", "list"], { home: h });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^claire: Claire's database is damaged \(database disk image is malformed\)/);
    expect(r.stderr).toMatch(/claire restore <backup file>/);
  });

  it("a database of a newer Claire, or of another machine, is the user's to sort out (exit 1), not an internal error", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const db = new Database(join(h, "claire.db"));
    db.pragma("user_version = 99");
    db.close();
    const newer = await runCli(["status"], { home: h });
    expect(newer.code).toBe(1);
    expect(newer.stderr).toMatch(
      /^claire: this database has schema version 99, newer than this Claire understands/,
    );
    expect(newer.stderr).not.toMatch(/internal error|CLAIRE_LOG_LEVEL/);
    const other = home();
    expect((await runCli(["init"], { home: other })).code).toBe(0);
    const g = home();
    expect((await runCli(["init"], { home: g })).code).toBe(0);
    writeFileSync(join(g, "claire.toml"), readFileSync(join(other, "claire.toml")));
    const mismatch = await runCli(["status"], { home: g });
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/^claire: this database belongs to machine .*, but claire.toml says/);
  });

  it("refuses an invalid value, naming the line, the key and the fix", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const path = join(h, "claire.toml");
    const text = `${readFileSync(path, "utf8")}\n[server]\nport = "eighty"\n`;
    writeFileSync(path, text);
    const line = text.split("\n").indexOf('port = "eighty"') + 1;
    const r = await runCli(["init"], { home: h });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`config error in ${path}:${line}`);
    expect(r.stderr).toMatch(/key: server\.port/);
    expect(r.stderr).toMatch(/fix: /);
  });
});

describe("claire backup", () => {
  it("into a directory makes a dated file there; into a missing directory says so; the restore line pastes", async () => {
    const h = home();
    expect((await runCli(["init"], { home: h })).code).toBe(0);
    const into = join(h, "with space");
    mkdirSync(into);
    const r = await runCli(["backup", into, "--json"], { home: h });
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as { path: string }).path).toMatch(new RegExp(`^${into}/claire-backup-.*\\.db$`));
    const text = await runCli(["backup", into], { home: h });
    expect(text.stdout).toMatch(/restore with: claire restore '.*with space\/claire-backup-.*\.db'/);
    const missing = await runCli(["backup", join(h, "nope", "b.db")], { home: h });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/there is no directory .*nope to write the backup in/);
    // A trailing slash says "a directory", there or not: never a file of that name.
    const slash = await runCli(["backup", `${join(h, "nodir")}/`], { home: h });
    expect(slash.code).toBe(1);
    expect(slash.stderr).toMatch(/there is no directory .*nodir to write the backup in/);
  });
});

describe("claire rebuild", () => {
  it("--check passes on a healthy database, names a hand-corrupted row, and rebuild repairs it", async () => {
    const h = home();
    const project = await runCli(["project", "add", "Rebuild", "--json"], { home: h });
    expect(project.code, project.stderr).toBe(0);
    const task = (await runCli(["task", "add", "Original title", "-p", "Rebuild", "--json"], { home: h }))
      .json as { id: string; handle: string };
    await runCli(["task", "start", task.handle], { home: h });

    const healthy = await runCli(["rebuild", "--check"], { home: h });
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(healthy.stdout).toMatch(/^projections match a fresh replay of \d+ events$/m);
    expect((await runCli(["rebuild", "--check", "--json"], { home: h })).json).toMatchObject({
      equal: true,
      differences: [],
    });

    const db = new Database(join(h, "claire.db"));
    try {
      expect(db.prepare("UPDATE tasks SET title = 'x' WHERE id = ?").run(task.id).changes).toBe(1);
    } finally {
      db.close();
    }

    const corrupt = await runCli(["rebuild", "--check"], { home: h });
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toMatch(/^projections differ from a replay of \d+ events:$/m);
    expect(corrupt.stdout).toContain(`tasks row ${task.id}`);
    const corruptJson = await runCli(["rebuild", "--check", "--json"], { home: h });
    expect(corruptJson.code).toBe(1);
    expect(corruptJson.json).toMatchObject({ equal: false, differences: [{ table: "tasks", key: task.id }] });
    expect((corruptJson.json as { differences: unknown[] }).differences).toHaveLength(1);
    expect(
      ((await runCli(["task", "show", task.handle, "--json"], { home: h })).json as { title: string }).title,
    ).toBe("x");

    const rebuilt = await runCli(["rebuild", "--json"], { home: h });
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.json).toMatchObject({ rebuilt: true });
    expect((await runCli(["rebuild", "--check"], { home: h })).code).toBe(0);
    const shown = (await runCli(["task", "show", task.handle, "--json"], { home: h })).json;
    expect(shown).toMatchObject({ title: "Original title", status: "in_progress" });
  });

  it("refuses to rebuild while a server runs (--check is still allowed), and works once it stopped", async () => {
    const h = home();
    const served = await startServe(h);
    expect((await runCli(["project", "add", "Busy"], { home: h })).code).toBe(0);
    const refused = await runCli(["rebuild"], { home: h });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain(
      `a server is running (pid ${served.pid}, ${served.url}); stop it before rebuilding`,
    );
    expect((await runCli(["rebuild", "--json"], { home: h })).code).toBe(1);
    const check = await runCli(["rebuild", "--check", "--json"], { home: h });
    expect(check.code, check.stderr).toBe(0);
    expect(check.json).toMatchObject({ equal: true });

    expect(await served.stop()).toEqual({ code: 0, signal: null });
    const after = await runCli(["rebuild", "--json"], { home: h });
    expect(after.code, after.stderr).toBe(0);
    expect(after.json).toMatchObject({ rebuilt: true });
  });
});
