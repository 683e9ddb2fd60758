import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { knownEvent, MACHINES, toWire } from "../../test/support/core-events.ts";
import { createTempClaire, must, type TempClaire } from "../../test/support/temp-claire.ts";
import type { EventData, EventType } from "../domain/events.ts";

let c: TempClaire;
beforeEach(() => {
  c = createTempClaire();
});
afterEach(() => c.close());

const eventCount = () => c.store.q.events.counts().events;

/** An event made on another machine (MACHINES[1]), its first, arriving by sync. */
const fromPeer = <T extends EventType>(type: T, entityId: string, data: EventData<T>) => {
  const e = knownEvent(type, entityId, data, {
    id: randomUUID(),
    machineId: MACHINES[1],
    ms: c.clock.now,
    counter: 0,
    originSeq: 1,
  });
  expect(c.service.ingestEvents([toWire(e)], "peer:test").accepted).toBe(1);
};

describe("projects", () => {
  it("creates, updates, archives and lists", () => {
    const p = must(c.service.createProject(c.human, { name: "Apollo", description: "moon" }));
    expect(p).toMatchObject({ name: "Apollo", description: "moon", archived: false });
    expect(p.handle).toHaveLength(8);
    const u = must(c.service.updateProject(c.human, p.handle, { name: "Apollo 11" }));
    expect(u.name).toBe("Apollo 11");
    must(c.service.archiveProject(c.human, p.id));
    expect(c.service.listProjects()).toHaveLength(0);
    expect(c.service.listProjects({ includeArchived: true })[0]?.archived).toBe(true);
    expect(eventCount()).toBe(3);
  });

  it("refuses bad input with a typed error and writes nothing", () => {
    const before = eventCount();
    const cases: unknown[] = [
      {},
      { name: "" },
      { name: 42 },
      { name: "x", extra: 1 },
      { name: "a\nb" },
      { name: "invoice\u202ecod.exe" }, // right-to-left override: shows as "invoiceexe.doc"
      { name: "a\u2028b" },
      { name: "a\u0085b" },
      { name: "a\u2066b" },
      null,
      "str",
    ];
    for (const input of cases) {
      const r = c.service.createProject(c.human, input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.type).toBe("ValidationError");
    }
    must(c.service.createProject(c.human, { name: "Dup" }));
    const dup = c.service.createProject(c.human, { name: "dup" });
    expect(!dup.ok && dup.error.type).toBe("ConflictError");
    const missing = c.service.updateProject(c.human, "ffffffff", { name: "y" });
    expect(!missing.ok && missing.error.type).toBe("NotFoundError");
    expect(eventCount()).toBe(before + 1);
  });
});

describe("sessions named across machines", () => {
  it("a session id on two machines is ambiguous naming machine/handle, and <machine prefix>/<session> picks one", () => {
    const sid = "22222222-aaaa-4bbb-8ccc-000000000001";
    must(
      c.service.observeSession(
        c.human,
        { machineId: c.machineId, sessionId: sid },
        { cwd: "/here", state: "idle" },
      ),
    );
    fromPeer("session.observed", `${MACHINES[1]}/${sid}`, { cwd: "/there", state: "idle" });
    const r = c.service.getSession("22222222");
    expect(r).toMatchObject({ ok: false, error: { type: "AmbiguousIdError" } });
    const matches = (r as unknown as { error: { matches: string[] } }).error.matches;
    expect(matches).toHaveLength(2);
    expect(matches.every((m) => /^[^/]+\/22222222$/.test(m))).toBe(true);
    expect(must(c.service.getSession(`${MACHINES[1].slice(0, 8)}/22222222`)).cwd).toBe("/there");
    expect(must(c.service.getSession(`${c.machineId.slice(0, 6)}/${sid}`)).cwd).toBe("/here");
    expect(c.service.getSession(`${MACHINES[1].slice(0, 8)}/99999999`)).toMatchObject({
      ok: false,
      error: { type: "NotFoundError" },
    });
  });
});

describe("a task's updatedAt", () => {
  it("moves with label and dependency changes too, not only its fields", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const a = must(c.service.createTask(c.human, { projectId: p.id, title: "A" }));
    const b = must(c.service.createTask(c.human, { projectId: p.id, title: "B" }));
    const at = (id: string) => must(c.service.getTask(id)).updatedAt;
    const steps: [string, () => unknown][] = [
      ["add a label", () => must(c.service.updateTask(c.human, a.id, { addLabels: ["db"] }))],
      ["remove it", () => must(c.service.updateTask(c.human, a.id, { removeLabels: ["db"] }))],
      ["add a dependency", () => must(c.service.addDependency(c.human, a.id, b.id))],
      ["remove it", () => must(c.service.removeDependency(c.human, a.id, b.id))],
    ];
    for (const [what, step] of steps) {
      const before = at(a.id);
      c.clock.now += 60_000;
      step();
      expect({ what, later: Date.parse(at(a.id)!) - Date.parse(before!) }).toEqual({ what, later: 60_000 });
    }
  });
});

describe("projects by name", () => {
  it("finds an archived project by name, lets the name be reused, and refuses to unarchive into a clash", () => {
    const old = must(c.service.createProject(c.human, { name: "Arch" }));
    must(c.service.archiveProject(c.human, "arch"));
    expect(must(c.service.getProject("Arch")).id).toBe(old.id);
    const fresh = must(c.service.createProject(c.human, { name: "Arch" }));
    // The active one is the name's now; the archived one is still there by its handle.
    expect(must(c.service.getProject("Arch")).id).toBe(fresh.id);
    const before = eventCount();
    const clash = c.service.archiveProject(c.human, old.handle, false);
    expect(clash).toMatchObject({
      ok: false,
      error: {
        type: "ConflictError",
        message: expect.stringMatching(/an active project is named 'Arch' too; rename one/),
      },
    });
    expect(eventCount()).toBe(before);
    must(c.service.updateProject(c.human, fresh.handle, { name: "Arch 2" }));
    expect(must(c.service.archiveProject(c.human, old.handle, false)).archived).toBe(false);
  });

  it("calls a name two machines gave two projects (apart) ambiguous, listing both, not unknown", () => {
    const mine = must(c.service.createProject(c.human, { name: "Shared" }));
    fromPeer("project.created", randomUUID(), { name: "shared", description: "" });
    for (const r of [
      c.service.getProject("Shared"),
      c.service.createTask(c.human, { projectId: "Shared", title: "t" }),
    ])
      expect(r).toMatchObject({
        ok: false,
        error: {
          type: "AmbiguousIdError",
          entity: "project",
          matches: expect.arrayContaining([mine.handle]),
        },
      });
  });
});

describe("sessions by directory", () => {
  it("match the directory and those below it exactly: '%' and '_' are characters, case counts", () => {
    const dirs = ["/w", "/w/a", "/home/my_proj", "/home/myXproj/sub", "/home/100%/x", "/home/1000/x", "/W/a"];
    for (const [i, cwd] of dirs.entries())
      must(
        c.service.observeSession(
          c.human,
          { machineId: c.machineId, sessionId: `s${i}` },
          { cwd, state: "idle" },
        ),
      );
    const under = (cwd: string) =>
      must(c.service.listSessions({ cwd }))
        .sessions.map((s) => s.cwd)
        .sort();
    expect(under("/w")).toEqual(["/w", "/w/a"]);
    expect(under("/w/")).toEqual(["/w", "/w/a"]);
    expect(under("%")).toEqual([]);
    expect(under("/home/my_proj")).toEqual(["/home/my_proj"]);
    expect(under("/home/100%")).toEqual(["/home/100%/x"]);
    expect(under("/")).toHaveLength(dirs.length);
  });
});

describe("tasks", () => {
  it("creates tasks with labels and dependencies and follows status transitions", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const a = must(c.service.createTask(c.human, { projectId: p.id, title: "A", labels: ["x", "y"] }));
    const b = must(c.service.createTask(c.human, { projectId: p.name, title: "B", dependsOn: [a.handle] }));
    expect(a.labels).toEqual(["x", "y"]);
    expect(b.dependsOn).toEqual([a.id]);
    expect(must(c.service.readyTasks()).map((t) => t.title)).toEqual(["A"]);
    must(c.service.changeTaskStatus(c.human, a.id, "in_progress"));
    must(c.service.changeTaskStatus(c.human, a.id, "done"));
    expect(must(c.service.readyTasks()).map((t) => t.title)).toEqual(["B"]);
    const bad = c.service.changeTaskStatus(c.human, a.id, "in_progress");
    expect(!bad.ok && bad.error.type).toBe("InvalidTransitionError");
    const reopened = must(c.service.changeTaskStatus(c.human, a.id, "todo"));
    expect(reopened.status).toBe("todo");
  });

  it("offers no task of an archived project as ready work, and again once it is unarchived", () => {
    const p = must(c.service.createProject(c.human, { name: "Shelved" }));
    must(c.service.createTask(c.human, { projectId: p.id, title: "waits on the shelf" }));
    const ready = () => must(c.service.readyTasks()).map((t) => t.title);
    expect(ready()).toContain("waits on the shelf");
    must(c.service.archiveProject(c.human, p.id));
    expect(ready()).not.toContain("waits on the shelf");
    must(c.service.archiveProject(c.human, p.id, false));
    expect(ready()).toContain("waits on the shelf");
  });

  it("refuses a dependency cycle and writes nothing", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const a = must(c.service.createTask(c.human, { projectId: p.id, title: "A" }));
    const b = must(c.service.createTask(c.human, { projectId: p.id, title: "B", dependsOn: [a.id] }));
    const d = must(c.service.createTask(c.human, { projectId: p.id, title: "C", dependsOn: [b.id] }));
    const before = eventCount();
    const cyc = c.service.addDependency(c.human, a.id, d.id);
    expect(!cyc.ok && cyc.error.type).toBe("DependencyCycleError");
    const self = c.service.addDependency(c.human, a.id, a.id);
    expect(!self.ok && self.error.type).toBe("DependencyCycleError");
    expect(eventCount()).toBe(before);
    must(c.service.removeDependency(c.human, b.id, a.id));
    expect(must(c.service.getTask(b.id)).dependsOn).toEqual([]);
  });

  it("refuses unknown projects, bad fields and unknown ids", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const before = eventCount();
    for (const input of [
      { projectId: "nope", title: "x" },
      { projectId: p.id, title: "" },
      { projectId: p.id, title: "x", priority: "huge" },
      { projectId: p.id, title: "x", labels: ["has space"] },
      { projectId: p.id, title: "x", dependsOn: ["0000"] },
      { projectId: p.id },
    ]) {
      expect(c.service.createTask(c.human, input).ok).toBe(false);
    }
    expect(c.service.changeTaskStatus(c.human, "abc", "done").ok).toBe(false);
    expect(c.service.updateTask(c.human, "abc", { title: "t" }).ok).toBe(false);
    expect(eventCount()).toBe(before);
  });

  it("lists with filters and pagination", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    for (let i = 0; i < 5; i++)
      must(c.service.createTask(c.human, { projectId: p.id, title: `T${i}`, labels: i % 2 ? ["odd"] : [] }));
    const page = must(c.service.listTasks({ project: p.id, limit: 2, offset: 2 }));
    expect(page.total).toBe(5);
    expect(page.tasks.map((t) => t.title)).toEqual(["T2", "T3"]);
    expect(must(c.service.listTasks({ label: "odd" })).total).toBe(2);
    expect(c.service.listTasks({ status: ["nope"] }).ok).toBe(false);
  });
});

describe("sessions, assignments and claims", () => {
  const seed = () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const t = must(c.service.createTask(c.human, { projectId: p.id, title: "Work" }));
    const s1 = { machineId: c.machineId, sessionId: "11111111-aaaa-4bbb-8ccc-000000000001" };
    const s2 = { machineId: c.machineId, sessionId: "22222222-aaaa-4bbb-8ccc-000000000002" };
    must(c.service.observeSession(c.human, s1, { cwd: "/w/one", state: "idle" }));
    must(c.service.observeSession(c.human, s2, { cwd: "/w/two", state: "working" }));
    return { p, t, s1, s2 };
  };

  it("records only changed fields and throttles activity-only changes", () => {
    const s = { machineId: c.machineId, sessionId: "abc" };
    const first = must(
      c.service.observeSession(c.human, s, {
        cwd: "/x",
        state: "working",
        lastActivity: "2026-11-23T12:00:00.000Z",
      }),
    );
    expect([...first.changed].sort()).toEqual(["cwd", "lastActivity", "state"]);
    const before = eventCount();
    expect(must(c.service.observeSession(c.human, s, { cwd: "/x" })).changed).toEqual([]);
    c.clock.now += 5_000;
    const throttled = must(
      c.service.observeSession(c.human, s, { lastActivity: "2026-11-23T12:00:05.000Z" }),
    );
    expect(throttled.throttled).toBe(true);
    expect(eventCount()).toBe(before);
    const stateChange = must(c.service.observeSession(c.human, s, { state: "idle" }));
    expect(stateChange.changed).toEqual(["state"]);
    c.clock.now += 16_000;
    expect(
      must(c.service.observeSession(c.human, s, { lastActivity: "2026-11-23T12:00:21.000Z" })).changed,
    ).toEqual(["lastActivity"]);
  });

  it("refuses to record another machine's session", () => {
    const r = c.service.observeSession(
      c.human,
      { machineId: "7c1e2b4a-0000-4000-8000-000000000000", sessionId: "x" },
      { cwd: "/" },
    );
    expect(!r.ok && r.error.type).toBe("ValidationError");
  });

  it("assigns, claims, and the first claim on an epoch wins", () => {
    const { t, s1, s2 } = seed();
    const claim1 = must(c.service.claimTask(c.human, { taskId: t.id, session: s1.sessionId }));
    expect(claim1.task.owner?.session).toEqual(s1);
    const claim2 = c.service.claimTask(c.human, { taskId: t.id, session: s2.sessionId });
    expect(!claim2.ok && claim2.error.type).toBe("ConflictError");
    const assigned = must(c.service.assignTask(c.human, { taskId: t.handle, session: "2222" }));
    expect(assigned.task.owner).toMatchObject({ session: s2, via: "assigned" });
    expect(must(c.service.listAssignments({ task: t.id })).filter((a) => a.current)).toHaveLength(1);
    // The claim the reassignment superseded is history: it cannot be moved back to life.
    const before = eventCount();
    for (const state of ["done", "accepted", "released"])
      expect(c.service.changeAssignmentState(c.human, claim1.assignment!.id, state)).toMatchObject({
        ok: false,
        error: { type: "ConflictError", message: expect.stringMatching(/no longer owns its task/) },
      });
    expect(eventCount()).toBe(before);
    expect(must(c.service.getTask(t.id)).owner?.session).toEqual(s2);
    must(c.service.unassignTask(c.human, t.id));
    expect(must(c.service.getTask(t.id)).owner).toBeNull();
    const next = must(c.service.nextTask(c.human, s1.sessionId, { claim: true }));
    expect(next).toMatchObject({ claimed: true });
    expect(next.task?.owner?.session).toEqual(s1);
  });
});

describe("groups, updates and messages", () => {
  it("a project: rule names its project by handle or name as everywhere, stored as its id; an unknown one is refused", () => {
    const p = must(c.service.createProject(c.human, { name: "Payments" }));
    const byName = must(c.service.createGroup(c.human, { name: "pay", rules: ["project:payments"] }));
    expect(byName.rules).toEqual([`project:${p.id}`]);
    const byHandle = must(c.service.editGroup(c.human, "pay", { addRules: [`project:${p.handle}`] }));
    expect(byHandle.rules).toEqual([`project:${p.id}`]);
    const before = eventCount();
    const unknown = c.service.createGroup(c.human, { name: "nope", rules: ["project:no-such"] });
    expect(unknown.ok).toBe(false);
    expect(eventCount()).toBe(before);
    // A full id of a project not heard of yet (another machine's) is kept as given.
    const later = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";
    expect(
      must(c.service.createGroup(c.human, { name: "later", rules: [`project:${later}`] })).rules,
    ).toEqual([`project:${later}`]);
  });

  it("delivers a group message to local member sessions, and tracks state upwards only", () => {
    const s1 = { machineId: c.machineId, sessionId: "s-one" };
    const s2 = { machineId: c.machineId, sessionId: "s-two" };
    must(c.service.observeSession(c.human, s1, { cwd: "/repo/api", state: "idle" }));
    must(c.service.observeSession(c.human, s2, { cwd: "/elsewhere", state: "idle" }));
    const g = must(c.service.createGroup(c.human, { name: "backend", rules: ["cwd:/repo/**"] }));
    expect(g.rules).toEqual(["cwd:/repo/**"]);
    // Whom a broadcast reaches now: its rule matches s1 (no explicit members); ended sessions not.
    expect(g.reaches).toEqual([s1]);
    const s3 = { machineId: c.machineId, sessionId: "s-three" };
    must(c.service.observeSession(c.human, s3, { cwd: "/repo/old", state: "ended" }));
    c.clock.now += 1_000;
    expect(must(c.service.getGroup("backend")).reaches).toEqual([s1]);
    expect(c.service.listGroups().map((x) => x.reaches.length)).toEqual([1]);
    // Removing a rule or member the group does not have is refused, and writes nothing.
    const before = eventCount();
    expect(c.service.editGroup(c.human, "backend", { removeRules: ["cwd:/rep/**"] })).toMatchObject({
      ok: false,
      error: { type: "ConflictError", message: expect.stringMatching(/has no rule 'cwd:\/rep\/\*\*'/) },
    });
    expect(c.service.editGroup(c.human, "backend", { removeMembers: ["s-two"] })).toMatchObject({
      ok: false,
      error: { type: "ConflictError", message: expect.stringMatching(/not an explicit member/) },
    });
    expect(eventCount()).toBe(before);
    const sent = must(c.service.sendMessage(c.human, { to: "group:backend", body: "rebase please" }));
    expect(sent.localTargets).toBe(1);
    expect(sent.message.deliveries.map((d) => d.session)).toEqual([s1]);
    const inbox = must(c.service.inbox("s-one"));
    expect(inbox[0]?.message.sender).toEqual(c.human);
    must(c.service.acknowledge(c.human, "s-one", "all"));
    expect(must(c.service.inbox("s-one"))).toHaveLength(0);
    // Downgrading to delivered after acknowledgement changes nothing.
    expect(must(c.service.markDelivered(c.human, "s-one", [sent.message.id]))).toHaveLength(0);
    const everyone = must(c.service.sendMessage(c.human, { to: "all", body: "hi" }));
    expect(everyone.localTargets).toBe(2);
    expect(c.service.sendMessage(c.human, { to: "group:nobody", body: "x" }).ok).toBe(false);
  });

  it("posts and lists updates", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const t = must(c.service.createTask(c.human, { projectId: p.id, title: "T" }));
    const u = must(c.service.postUpdate(c.human, { taskId: t.id, text: "halfway", kind: "progress" }));
    expect(u).toMatchObject({ taskId: t.id, projectId: p.id, kind: "progress" });
    expect(must(c.service.listUpdates({ project: p.id }))).toHaveLength(1);
    expect(c.service.postUpdate(c.human, { text: "orphan" }).ok).toBe(false);
  });

  it("announces the machine and publishes its configured groups as machine rules", () => {
    c.close();
    c = createTempClaire({ groups: ["gpu"], machineName: "box" });
    expect(c.service.announceMachine({ kind: "machine", id: c.machineId }).changed).toBe(true);
    expect(c.service.announceMachine({ kind: "machine", id: c.machineId }).changed).toBe(false);
    expect(must(c.service.getGroup("gpu")).rules).toEqual([`machine:${c.machineId}`]);
    expect(c.service.fleetStatus().machines[0]).toMatchObject({ name: "box", isLocal: true });
  });

  it("takes back only the machine rules its configuration published; one a person added stays", () => {
    c.close();
    const dir = mkdtempSync(join(tmpdir(), "claire-groups-"));
    const machineId = randomUUID();
    const open = (groups: string[]) => createTempClaire({ dir, machineId, groups, machineName: "box" });
    try {
      let box = open(["gpu", "web"]);
      box.service.announceMachine({ kind: "machine", id: machineId });
      must(box.service.createGroup(box.human, { name: "ops", rules: [`machine:${machineId}`] }));
      box.service.announceMachine({ kind: "machine", id: machineId });
      box.close();
      box = open(["gpu"]); // "web" taken out of claire.toml
      box.service.announceMachine({ kind: "machine", id: machineId });
      expect(must(box.service.getGroup("gpu")).rules).toEqual([`machine:${machineId}`]);
      expect(must(box.service.getGroup("web")).rules).toEqual([]);
      expect(must(box.service.getGroup("ops")).rules).toEqual([`machine:${machineId}`]);
      box.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      c = createTempClaire();
    }
  });

  it("a machine: rule keeps a machine's name (known or not yet) and takes a handle as the full id", () => {
    c.service.announceMachine({ kind: "machine", id: c.machineId });
    const sid = "33333333-aaaa-4bbb-8ccc-000000000001";
    must(c.service.observeSession(c.human, { machineId: c.machineId, sessionId: sid }, { state: "working" }));
    const byName = must(c.service.createGroup(c.human, { name: "a", rules: ["machine:test-machine"] }));
    expect(byName.rules).toEqual(["machine:test-machine"]);
    const byHandle = must(
      c.service.createGroup(c.human, { name: "b", rules: [`machine:${c.machineId.slice(0, 8)}`] }),
    );
    expect(byHandle.rules).toEqual([`machine:${c.machineId}`]);
    expect(byName.reaches.map((r) => r.sessionId)).toEqual([sid]);
    expect(byHandle.reaches.map((r) => r.sessionId)).toEqual([sid]);
    expect(must(c.service.createGroup(c.human, { name: "c", rules: ["machine:buildbox"] })).rules).toEqual([
      "machine:buildbox",
    ]);
    const later = randomUUID();
    expect(
      must(c.service.createGroup(c.human, { name: "later", rules: [`machine:${later}`] })).rules,
    ).toEqual([`machine:${later}`]);
  });
});
