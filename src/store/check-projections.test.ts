// `checkProjections` (what `claire rebuild --check` runs): a healthy database built through the
// service has no differences; a projection row damaged by hand is named by table and key, and a
// rebuild repairs it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTempClaire, must, type TempClaire } from "../../test/support/temp-claire.ts";
import { dumpProjections } from "./dump.ts";
import { checkProjections, rebuildProjections } from "./rebuild.ts";

let c: TempClaire;
beforeEach(() => {
  c = createTempClaire();
});
afterEach(() => c.close());

/** A little of everything: projects, tasks with labels and dependencies, a claim, a group, a message. */
const seed = () => {
  const p = must(c.service.createProject(c.human, { name: "Apollo", description: "moon" }));
  const a = must(c.service.createTask(c.human, { projectId: p.id, title: "Build", labels: ["x", "y"] }));
  const b = must(c.service.createTask(c.human, { projectId: p.id, title: "Fly", dependsOn: [a.id] }));
  must(c.service.updateTask(c.human, a.id, { title: "Build the rocket", removeLabels: ["y"] }));
  must(c.service.changeTaskStatus(c.human, a.id, "in_progress"));
  const s = { machineId: c.machineId, sessionId: "s-one" };
  must(c.service.observeSession(c.human, s, { cwd: "/repo/api", state: "idle" }));
  must(c.service.claimTask(c.human, { taskId: b.id, session: "s-one" }));
  must(c.service.createGroup(c.human, { name: "backend", rules: ["cwd:/repo/**"] }));
  must(c.service.sendMessage(c.human, { to: "group:backend", body: "rebase please" }));
  must(c.service.postUpdate(c.human, { taskId: a.id, text: "halfway", kind: "progress" }));
  return { p, a, b };
};

const rebuildTablesLeft = () =>
  c.store.db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'rebuild_%'").all();

describe("checkProjections", () => {
  it("finds no difference on a healthy database and leaves nothing behind", () => {
    seed();
    const events = c.store.q.events.counts().events;
    const before = dumpProjections(c.store.db);
    expect(checkProjections(c.store.db)).toEqual({ events, differences: [] });
    expect(rebuildTablesLeft()).toEqual([]);
    expect(dumpProjections(c.store.db)).toEqual(before);
  });

  it("names the table and row key of a scalar damaged by hand", () => {
    const { a } = seed();
    c.store.db.prepare("UPDATE tasks SET title = 'x' WHERE id = ?").run(a.id);
    const { differences } = checkProjections(c.store.db);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatchObject({ table: "tasks", key: a.id });
    expect(differences[0]!.live).toContain("x");
    expect(differences[0]!.rebuilt).toContain("Build the rocket");
    expect(rebuildTablesLeft()).toEqual([]);
  });

  it("names set elements by id and element, and rows only one side has", () => {
    const { a, b } = seed();
    c.store.db.prepare("DELETE FROM task_labels WHERE id = ? AND element = 'x'").run(a.id);
    c.store.db.prepare("UPDATE task_deps SET present = 0 WHERE id = ?").run(b.id);
    c.store.db.prepare("INSERT INTO projects (id, name) VALUES ('stray', 'ghost')").run();
    const diffs = checkProjections(c.store.db).differences;
    expect(diffs.map((d) => [d.table, d.key])).toEqual(
      expect.arrayContaining([
        ["projects", "stray"],
        ["task_labels", `${a.id} / x`],
        ["task_deps", `${b.id} / ${a.id}`],
      ]),
    );
    expect(diffs).toHaveLength(3);
    expect(diffs.find((d) => d.table === "task_labels")).toMatchObject({ live: null });
    expect(diffs.find((d) => d.table === "projects")).toMatchObject({ rebuilt: null });
  });

  it("catches a damaged derived column (the task owner)", () => {
    const { b } = seed();
    c.store.db.prepare("UPDATE tasks SET owner_session = 'someone-else' WHERE id = ?").run(b.id);
    expect(checkProjections(c.store.db).differences.map((d) => [d.table, d.key])).toEqual([["tasks", b.id]]);
  });

  it("rebuild repairs the damage: the projections are byte-identical to before", () => {
    const { a } = seed();
    const healthy = dumpProjections(c.store.db);
    c.store.db.prepare("UPDATE tasks SET title = 'x', status = 'done' WHERE id = ?").run(a.id);
    c.store.db.prepare("DELETE FROM updates").run();
    expect(checkProjections(c.store.db).differences.length).toBeGreaterThan(0);
    rebuildProjections(c.store.db);
    expect(dumpProjections(c.store.db)).toEqual(healthy);
    expect(checkProjections(c.store.db).differences).toEqual([]);
    // The store keeps working on the rebuilt tables (its prepared statements follow the swap).
    must(c.service.changeTaskStatus(c.human, a.id, "done"));
    expect(must(c.service.getTask(a.id)).status).toBe("done");
    expect(checkProjections(c.store.db).differences).toEqual([]);
  });
});
