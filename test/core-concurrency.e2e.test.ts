// Several OS processes writing one database at once (the CLI, hooks and MCP do this when no server
// runs): every append reads and advances origin_seq and the HLC inside BEGIN IMMEDIATE, so
// nothing is lost, duplicated or reordered, and the projections equal a rebuild.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIdGenerator } from "../src/domain/ids.ts";
import { openDatabase } from "../src/store/database.ts";
import { checkProjections } from "../src/store/rebuild.ts";
import { createStore } from "../src/store/store.ts";
import { tempDir } from "./support/temp-claire.ts";

const ROOT = join(import.meta.dirname, "..");
const NODE = join(ROOT, "node_modules/.bin/node");
const WORKER = join(ROOT, "test/support/core-concurrency-worker.ts");
const WRITERS = 4;
const PER_WRITER = 1_000;

type Worker = {
  readonly label: string;
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
};

const startWorker = (dbPath: string, machineId: string, label: string, count: number): Worker => {
  const child = spawn(NODE, [WORKER, dbPath, machineId, label, String(count)], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  const w: Worker = { label, child, stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    w.stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    w.stderr += d;
  });
  return w;
};

const exited = (w: Worker) =>
  new Promise<number | null>((resolve) => {
    if (w.child.exitCode !== null) resolve(w.child.exitCode);
    else w.child.on("exit", (code) => resolve(code));
  });

type Row = { seq: number; id: string; hlc: string; origin_seq: number; epoch: number; actor_id: string };

/** Starts the writers, releases them together once all have opened the store, returns the log. */
const race = async (dbPath: string, machineId: string, count: number, workers: Worker[]): Promise<Row[]> => {
  expect(existsSync(NODE), `pinned Node 24 missing at ${NODE}; run npm ci`).toBe(true);
  for (let i = 0; i < WRITERS; i++) workers.push(startWorker(dbPath, machineId, `w${i}`, count));
  const report = () => workers.map((w) => `${w.label}: ${w.stdout}${w.stderr}`).join("\n");
  const deadline = Date.now() + 30_000;
  while (!workers.every((w) => w.stdout.includes("ready") || w.child.exitCode !== null)) {
    if (Date.now() > deadline) throw new Error(`workers did not open the store in 30 s\n${report()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  // All released at once so their transactions interleave.
  for (const w of workers) w.child.stdin.write("go\n");
  const codes = await Promise.all(workers.map(exited));
  expect(codes, report()).toEqual(workers.map(() => 0));
  const db = openDatabase(dbPath);
  try {
    return db
      .prepare("SELECT seq, id, hlc, origin_seq, epoch, actor_id FROM events ORDER BY origin_seq")
      .all() as Row[];
  } finally {
    db.close();
  }
};

const openStore = (path: string, machineId: string) =>
  createStore({ path, machineId, now: Date.now, ids: createIdGenerator(), maxDriftMs: 300_000 });

describe(`${WRITERS} processes appending ${PER_WRITER} events each to one database`, () => {
  const dir = tempDir("claire-concurrency-");
  const dbPath = join(dir, "claire.db");
  const machineId = randomUUID();
  const workers: Worker[] = [];
  let rows: Row[] = [];

  beforeAll(async () => {
    // The database exists (schema, writer row) before the race: this race is about appends.
    openStore(dbPath, machineId).close();
    rows = await race(dbPath, machineId, PER_WRITER, workers);
  }, 120_000);

  afterAll(() => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("loses nothing: every writer's events are all there", () => {
    expect(rows).toHaveLength(WRITERS * PER_WRITER);
    for (const w of workers) expect(rows.filter((r) => r.actor_id === w.label)).toHaveLength(PER_WRITER);
  });

  it("numbers them 1..N without a gap or a repeat, in one epoch", () => {
    expect(rows.map((r) => r.origin_seq)).toEqual(
      Array.from({ length: WRITERS * PER_WRITER }, (_, i) => i + 1),
    );
    expect(new Set(rows.map((r) => r.epoch))).toEqual(new Set([0]));
  });

  it("gives HLCs that strictly increase with origin_seq, and with local seq", () => {
    for (let i = 1; i < rows.length; i++) {
      if (!(rows[i]!.hlc > rows[i - 1]!.hlc)) {
        throw new Error(
          `hlc did not increase at origin_seq ${rows[i]!.origin_seq}: ${rows[i - 1]!.hlc} then ${rows[i]!.hlc}`,
        );
      }
      expect(rows[i]!.seq).toBeGreaterThan(rows[i - 1]!.seq);
    }
  });

  it("gives every event its own id", () => {
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it("interleaved the writers (the race really happened)", () => {
    let switches = 0;
    for (let i = 1; i < rows.length; i++) if (rows[i]!.actor_id !== rows[i - 1]!.actor_id) switches++;
    expect(switches).toBeGreaterThan(WRITERS);
  });

  it("keeps the writer row in step, and projections equal to a rebuild", () => {
    const store = openStore(dbPath, machineId);
    try {
      const w = store.log.writer();
      expect(w.origin_seq).toBe(WRITERS * PER_WRITER);
      expect(w.hlc).toBe(rows[rows.length - 1]!.hlc);
      expect(store.q.projects.list(false)).toHaveLength(WRITERS);
      const tasks = store.db.prepare("SELECT COUNT(*) AS n FROM tasks").get() as { n: number };
      const updates = store.db.prepare("SELECT COUNT(*) AS n FROM updates").get() as { n: number };
      expect(tasks.n + updates.n).toBe(WRITERS * (PER_WRITER - 1));
      expect(checkProjections(store.db)).toEqual({ events: WRITERS * PER_WRITER, differences: [] });
    } finally {
      store.close();
    }
  });
});

describe(`${WRITERS} processes opening a database that does not exist yet, then appending`, () => {
  const dir = tempDir("claire-concurrency-");
  const dbPath = join(dir, "sub", "claire.db");
  const machineId = randomUUID();
  const workers: Worker[] = [];
  afterAll(() => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("migrates once, makes one writer row and one log id, and numbers every event", async () => {
    const rows = await race(dbPath, machineId, 50, workers);
    expect(rows.map((r) => r.origin_seq)).toEqual(Array.from({ length: WRITERS * 50 }, (_, i) => i + 1));
    const store = openStore(dbPath, machineId);
    try {
      expect(store.db.prepare("SELECT COUNT(*) AS n FROM writer").get()).toEqual({ n: 1 });
      expect(store.db.prepare("SELECT COUNT(*) AS n FROM meta WHERE key = 'log_id'").get()).toEqual({ n: 1 });
      expect(checkProjections(store.db).differences).toEqual([]);
    } finally {
      store.close();
    }
  }, 120_000);
});
