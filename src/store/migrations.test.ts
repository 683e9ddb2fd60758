// An existing database moves forward: a log written under schema 1 opens under the latest
// schema with every event, its projections and its timelines intact.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { encodeHlc, hlcZero, nodeFromMachineId } from "../clock/index.ts";
import type { EventDraft } from "../domain/events.ts";
import { createIdGenerator } from "../domain/ids.ts";
import { SCHEMA_VERSION } from "../version.ts";
import { createApplier } from "./apply.ts";
import { dumpProjections } from "./dump.ts";
import { createEventLog } from "./event-log.ts";
import { migrate } from "./migrations.ts";
import { checkProjections } from "./rebuild.ts";
import { createStore } from "./store.ts";
import { TIMELINE_TYPES } from "./timeline-types.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ACTOR = { kind: "human", id: "alice" } as const;

const store = (path: string, machineId: string) =>
  createStore({ path, machineId, ids: createIdGenerator(), now: Date.now, maxDriftMs: 300_000 });

/**
 * Writes events into a new database at `path` left at schema `version`, the way that schema's
 * Claire wrote them: the event log and the applier of this build on the old tables.
 */
const writeAtVersion = (path: string, version: number, machineId: string, drafts: readonly EventDraft[]) => {
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    migrate(db, version);
    const node = nodeFromMachineId(machineId);
    if (!node.ok) throw new Error("bad machine id");
    db.prepare("INSERT INTO writer (id, machine_id, epoch, origin_seq, hlc) VALUES (1, ?, 0, 0, ?)").run(
      machineId,
      encodeHlc(hlcZero(node.value)),
    );
    const log = createEventLog({
      db,
      applier: createApplier(db),
      ids: createIdGenerator(),
      now: Date.now,
      maxDriftMs: 300_000,
    });
    db.transaction(() => log.append(ACTOR, drafts)).immediate();
    expect(db.pragma("user_version", { simple: true })).toBe(version);
    return {
      events: db.prepare("SELECT * FROM events ORDER BY seq").all(),
      projections: dumpProjections(db),
    };
  } finally {
    db.close();
  }
};

describe("migrations", () => {
  it("moves a schema 1 database to the latest schema, keeping events, projections and timelines", () => {
    const dir = mkdtempSync(join(tmpdir(), "claire-migrate-"));
    dirs.push(dir);
    const path = join(dir, "claire.db");
    const machineId = randomUUID();
    const ids = createIdGenerator();
    const project = ids.newId();
    const task = ids.newId();
    const note = ids.newId();

    const before = writeAtVersion(path, 1, machineId, [
      { type: "project.created", entityId: project, data: { name: "p", description: "" } },
      {
        type: "task.created",
        entityId: task,
        data: {
          projectId: project,
          title: "t",
          description: "",
          priority: "normal",
          status: "todo",
          labels: ["x"],
          dependsOn: [],
        },
      },
      { type: "task.status_changed", entityId: task, data: { status: "in_progress" } },
      {
        type: "update.posted",
        entityId: note,
        data: { kind: "progress", text: "hello", taskId: task, projectId: project, session: null },
      },
    ]);

    const s = store(path, machineId);
    try {
      expect(s.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(s.db.prepare("SELECT * FROM events ORDER BY seq").all()).toEqual(before.events);
      expect(dumpProjections(s.db)).toEqual(before.projections);
      expect(checkProjections(s.db).differences).toEqual([]);
      expect(s.q.events.timeline(task, 100).map((e) => e.type)).toEqual([
        "task.created",
        "task.status_changed",
      ]);
      expect(s.q.updates.get(note)?.text).toBe("hello");
      // Schema 3: dashboard sign-ins have their table.
      s.q.sync.insertSignIn("h", "token-id", 1);
      expect(s.q.sync.signIn("h")).toEqual({ token_id: "token-id", expires_ms: 1, active: 0 });
      // The new writes land on the migrated schema.
      s.write(() =>
        s.log.append(ACTOR, [{ type: "task.status_changed", entityId: task, data: { status: "done" } }]),
      );
      expect(s.q.events.timeline(task, 100)).toHaveLength(3);
    } finally {
      s.close();
    }
  });

  it("serves a timeline from the partial entity index", () => {
    const dir = mkdtempSync(join(tmpdir(), "claire-migrate-"));
    dirs.push(dir);
    const s = store(join(dir, "claire.db"), randomUUID());
    try {
      const plan = s.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM events WHERE entity_id = ? AND ${TIMELINE_TYPES} ORDER BY hlc, id LIMIT ?`,
        )
        .all("x", 10) as { detail: string }[];
      expect(plan.map((p) => p.detail).join("; ")).toContain("USING INDEX events_entity");
    } finally {
      s.close();
    }
  });
});
