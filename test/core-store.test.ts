// The event log through the real store and service: HLC persistence across restarts, quarantine
// of events from the future or of unknown types, refusal of invalid events into `rejected`,
// duplicates, and events that reference what has not arrived yet.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type EventData,
  type EventType,
  MAX_EVENT_DATA_BYTES,
  type WireEvent,
} from "../src/domain/events.ts";
import { createIdGenerator } from "../src/domain/ids.ts";
import { dumpProjections } from "../src/store/dump.ts";
import { MAX_REJECTED_KEPT } from "../src/store/event-log.ts";
import { checkProjections } from "../src/store/rebuild.ts";
import { createStore, MachineMismatchError } from "../src/store/store.ts";
import { knownEvent, MACHINES, toWire } from "./support/core-events.ts";
import { createTempClaire, must, type TempClaire, tempDir } from "./support/temp-claire.ts";

const REMOTE = MACHINES[1];
const MAX_DRIFT = 300_000;
const TASK_DATA = (projectId: string, title = "remote task"): EventData<"task.created"> => ({
  projectId,
  title,
  description: "",
  priority: "normal",
  status: "todo",
  labels: [],
  dependsOn: [],
});

let c: TempClaire;
let originSeq = 0;
beforeEach(() => {
  c = createTempClaire({ maxDriftMs: MAX_DRIFT });
  originSeq = 0;
});
afterEach(() => c.close());

/** An event made on the remote machine, `aheadMs` ahead of local time. */
const remote = <T extends EventType>(
  type: T,
  entityId: string,
  data: EventData<T>,
  opts: { aheadMs?: number; counter?: number; machineId?: string } = {},
) =>
  knownEvent(type, entityId, data, {
    id: randomUUID(),
    machineId: opts.machineId ?? REMOTE,
    ms: c.clock.now + (opts.aheadMs ?? 0),
    counter: opts.counter ?? 0,
    originSeq: ++originSeq,
  });

const ingest = (...events: unknown[]) => c.service.ingestEvents(events, "peer:test");
const dump = () => dumpProjections(c.store.db);
const writerHlc = () => c.store.log.writer().hlc;
const counts = () => c.store.q.events.counts();
const stored = (id: string) => c.store.q.events.page(0, 10_000).find((e) => e.id === id);

describe("HLC persistence", () => {
  it("stays monotonic across a restart with the wall clock set back an hour", () => {
    const dir = tempDir();
    const machineId = randomUUID();
    try {
      const first = createTempClaire({ dir, machineId });
      const p = must(first.service.createProject(first.human, { name: "P" }));
      const t = must(first.service.createTask(first.human, { projectId: p.id, title: "T" }));
      must(first.service.changeTaskStatus(first.human, t.id, "in_progress"));
      const before = first.store.q.events.page(0, 100);
      const last = before.at(-1)!;
      expect(first.store.log.writer().hlc).toBe(last.hlc);
      const then = first.clock.now;
      first.close();

      const second = createTempClaire({ dir, machineId, now: then - 3_600_000 });
      try {
        expect(second.store.log.writer()).toMatchObject({ hlc: last.hlc, origin_seq: 3 });
        for (let i = 0; i < 5; i++)
          must(second.service.postUpdate(second.human, { taskId: t.id, text: `u${i}` }));
        const after = second.store.q.events.page(last.seq, 100);
        expect(after.map((e) => e.originSeq)).toEqual([4, 5, 6, 7, 8]);
        let prev = last.hlc;
        for (const e of after) {
          expect(e.hlc > prev).toBe(true);
          // The clock holds its millisecond (an hour ahead of the wall clock) and counts up.
          expect(e.hlc.slice(0, 12)).toBe(last.hlc.slice(0, 12));
          prev = e.hlc;
        }
        // Once the wall clock passes the held time again, it follows the wall clock.
        second.clock.now = then + 1_000;
        must(second.service.postUpdate(second.human, { taskId: t.id, text: "later" }));
        const e = second.store.q.events.page(0, 100).at(-1)!;
        expect(e.hlc > prev).toBe(true);
        expect(Number.parseInt(e.hlc.slice(0, 12), 16)).toBe(then + 1_000);
        expect(e.hlc.slice(13, 17)).toBe("0000");
      } finally {
        second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to open a database that belongs to another machine", () => {
    const path = `${c.dir}/claire.db`;
    const open = () =>
      createStore({ path, machineId: randomUUID(), now: () => 0, ids: createIdGenerator(), maxDriftMs: 1 });
    expect(open).toThrow(MachineMismatchError);
  });
});

describe("quarantine", () => {
  it("stores an event beyond max drift unapplied and relays it, moving neither clock nor projections", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const e = remote("task.created", randomUUID(), TASK_DATA(p.id), { aheadMs: 2 * MAX_DRIFT });
    const [projections, clock] = [dump(), writerHlc()];

    const report = ingest(toWire(e));
    expect(report).toMatchObject({ accepted: 0, quarantined: 1, duplicate: 0, rejected: 0 });
    expect(report.outcomes[0]).toMatchObject({
      status: "quarantined",
      reason: expect.stringMatching(/ahead/),
    });
    expect(writerHlc()).toBe(clock);
    expect(dump()).toEqual(projections);
    expect(counts().quarantined).toBe(1);
    // Relayed: the log holds it verbatim, marked unapplied, for peers that pull from us.
    expect(stored(e.id)).toEqual({ ...toWire(e), seq: expect.any(Number), applied: false });
    expect(c.service.getTask(e.entityId).ok).toBe(false);
    // Local events keep following local time, not the quarantined HLC.
    must(c.service.updateProject(c.human, p.id, { description: "still now" }));
    expect(writerHlc() < e.hlc).toBe(true);

    // Not yet: still more than max drift ahead.
    c.clock.now += MAX_DRIFT - 1;
    expect(c.service.releaseQuarantine()).toBe(0);
    expect(counts().quarantined).toBe(1);

    c.clock.now += 1; // now exactly max drift ahead: within the limit
    expect(c.service.releaseQuarantine()).toBe(1);
    expect(counts().quarantined).toBe(0);
    expect(stored(e.id)?.applied).toBe(true);
    expect(must(c.service.getTask(e.entityId))).toMatchObject({ title: "remote task", pending: false });
    expect(writerHlc() > e.hlc).toBe(true);
    expect(checkProjections(c.store.db).differences).toEqual([]);
    expect(c.service.releaseQuarantine()).toBe(0);
  });

  it("applies an event exactly max drift ahead and quarantines one a millisecond further", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const atLimit = remote("task.created", randomUUID(), TASK_DATA(p.id, "at"), { aheadMs: MAX_DRIFT });
    const beyond = remote("task.created", randomUUID(), TASK_DATA(p.id, "beyond"), {
      aheadMs: MAX_DRIFT + 1,
    });
    expect(ingest(toWire(atLimit), toWire(beyond)).outcomes.map((o) => o.status)).toEqual([
      "accepted",
      "quarantined",
    ]);
    // The accepted one moved the clock past itself; the quarantined one did not.
    expect(writerHlc() > atLimit.hlc && writerHlc() < beyond.hlc).toBe(true);
  });

  it("stores an event of an unknown type unapplied, verbatim, and keeps it so", () => {
    const wire: WireEvent = {
      ...toWire(remote("project.archived", randomUUID(), { archived: true })),
      type: "future.thing",
      entityId: "anything-a-newer-version-likes",
      data: JSON.stringify({ shape: ["unknown", 1], nested: { ok: true } }),
    };
    const [projections, clock] = [dump(), writerHlc()];
    const report = ingest(wire);
    expect(report.outcomes[0]).toMatchObject({
      status: "quarantined",
      reason: "unknown event type future.thing",
    });
    expect(stored(wire.id)).toEqual({ ...wire, seq: expect.any(Number), applied: false });
    expect(writerHlc()).toBe(clock);
    expect(dump()).toEqual(projections);
    c.clock.now += 10 * MAX_DRIFT;
    expect(c.service.releaseQuarantine()).toBe(0);
    expect(stored(wire.id)?.applied).toBe(false);
    expect(ingest(wire).outcomes[0]?.status).toBe("duplicate");
  });
});

describe("refusal", () => {
  const valid = () => toWire(remote("task.status_changed", randomUUID(), { status: "done" }));
  const cases: [string, () => unknown, RegExp][] = [
    ["an uppercase HLC", () => ({ ...valid(), hlc: valid().hlc.toUpperCase() }), /invalid hlc/],
    ["an HLC of the wrong length", () => ({ ...valid(), hlc: valid().hlc.slice(1) }), /invalid event: hlc/],
    ["an HLC with the wrong layout", () => ({ ...valid(), hlc: "x".repeat(34) }), /invalid hlc/],
    [
      "an HLC whose node is not the machine's",
      () => ({ ...valid(), machineId: MACHINES[2] }),
      /hlc node does not match machineId/,
    ],
    [
      "the type Task.Created",
      () => ({ ...valid(), type: "Task.Created" }),
      /type: not a valid event type name/,
    ],
    ["the type a", () => ({ ...valid(), type: "a" }), /invalid event: type/],
    ["a type without a dot", () => ({ ...valid(), type: "task" }), /type: not a valid event type name/],
    ["a type over 64 characters", () => ({ ...valid(), type: `a.${"b".repeat(63)}` }), /invalid event: type/],
    [
      "data over the size cap",
      () => ({ ...valid(), data: JSON.stringify({ status: "done", pad: "x".repeat(MAX_EVENT_DATA_BYTES) }) }),
      /invalid event: data/,
    ],
    [
      "data that breaks its schema",
      () => ({ ...valid(), data: JSON.stringify({ status: "finished" }) }),
      /invalid task.status_changed data: status/,
    ],
    [
      "task.created data without a title",
      () => ({ ...valid(), type: "task.created", data: JSON.stringify({ projectId: "p" }) }),
      /invalid task.created data/,
    ],
    ["data that is not JSON", () => ({ ...valid(), data: "{status:" }), /not valid JSON/],
    ["data that is an array", () => ({ ...valid(), data: "[]" }), /must be a JSON object/],
    ["a task entity id that is not a UUID", () => ({ ...valid(), entityId: "task-1" }), /invalid entityId/],
    ["an unknown envelope field", () => ({ ...valid(), extra: 1 }), /invalid event/],
    ["an actor of an unknown kind", () => ({ ...valid(), actor: { kind: "robot", id: "r" } }), /actor/],
    ["a number instead of an event", () => 42, /invalid event/],
  ];

  it.each(cases)("refuses %s into `rejected` with the reason", (_, make, reason) => {
    const raw = make();
    const [projections, clock, before] = [dump(), writerHlc(), counts()];
    const report = ingest(raw);
    expect(report).toMatchObject({ accepted: 0, quarantined: 0, duplicate: 0, rejected: 1 });
    expect(report.outcomes[0]).toMatchObject({ status: "rejected", reason: expect.stringMatching(reason) });
    const [row] = c.store.q.events.rejected(1);
    expect(row).toMatchObject({ source: "peer:test", reason: expect.stringMatching(reason) });
    const id = (raw as { id?: unknown })?.id;
    expect(row?.event_id).toBe(typeof id === "string" ? id : null);
    expect(counts()).toEqual({ ...before, rejected: before.rejected + 1 });
    expect(dump()).toEqual(projections);
    expect(writerHlc()).toBe(clock);
  });

  it("refuses the same id with different content, records it, and keeps the stored event", () => {
    const first = valid();
    expect(ingest(first).accepted).toBe(1);
    const impostor = { ...first, data: JSON.stringify({ status: "cancelled" }) };
    const report = ingest(impostor);
    expect(report.outcomes[0]).toMatchObject({
      status: "rejected",
      id: first.id,
      reason: "an event with this id but different content is already stored",
    });
    expect(c.store.q.events.rejected(1)[0]).toMatchObject({ event_id: first.id });
    expect(stored(first.id)?.data).toBe(first.data);
    expect(must(c.service.getTask(first.entityId)).status).toBe("done");
  });

  it("refuses a different event in an origin slot already taken", () => {
    const first = valid();
    ingest(first);
    const other = { ...valid(), originSeq: first.originSeq };
    expect(ingest(other).outcomes[0]).toMatchObject({
      status: "rejected",
      reason: expect.stringMatching(/origin slot .* already holds event/),
    });
  });

  it("refuses events under this machine's own id and current or later epoch: its next writes stay its own", () => {
    const own = c.store.log.writer();
    const project = must(c.service.createProject({ kind: "human", id: "ana@lab" }, { name: "Mine" }));
    const forged = (epoch: number, slot: number) =>
      toWire({
        ...remote(
          "project.created",
          randomUUID(),
          { name: `Forged ${epoch}/${slot}`, description: "" },
          {
            machineId: own.machine_id,
          },
        ),
        epoch,
        originSeq: slot,
      });
    const next = c.store.log.writer().origin_seq + 1;
    const [projections, before] = [dump(), counts()];
    const report = ingest(forged(own.epoch, next), forged(own.epoch, next + 500), forged(own.epoch + 1, 1));
    expect(report).toMatchObject({ accepted: 0, rejected: 3 });
    for (const o of report.outcomes)
      expect(o).toMatchObject({
        status: "rejected",
        reason: expect.stringMatching(
          /^origin slot .* is this machine's own \(epoch 0\): only this machine writes there/,
        ),
      });
    expect(dump()).toEqual(projections);
    expect(counts()).toEqual({ ...before, rejected: before.rejected + 3 });
    // The slot the forgery aimed at is still this machine's: the next local write takes it.
    expect(
      must(
        c.service.updateProject({ kind: "human", id: "ana@lab" }, project.id, { description: "still mine" }),
      ),
    ).toMatchObject({ description: "still mine" });
    expect(c.store.log.writer().origin_seq).toBe(next);
  });

  it("accepts this machine's own events of an earlier epoch (peers hand them back after a restore)", () => {
    const own = c.store.log.writer();
    c.store.db.prepare("UPDATE writer SET epoch = 1 WHERE id = 1").run();
    const old = toWire({
      ...remote(
        "project.created",
        randomUUID(),
        { name: "Before the restore", description: "" },
        {
          machineId: own.machine_id,
        },
      ),
      epoch: 0,
      originSeq: own.origin_seq + 1,
    });
    expect(ingest(old)).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it("keeps the newest MAX_REJECTED_KEPT refusals, however many a peer sends", () => {
    for (let batch = 0; batch < 3; batch++)
      ingest(...Array.from({ length: 4_000 }, (_, i) => ({ junk: batch * 4_000 + i })));
    const raws = c.store.db.prepare("SELECT raw FROM rejected ORDER BY seq").pluck().all() as string[];
    expect(raws).toHaveLength(MAX_REJECTED_KEPT);
    expect(raws[0]).toBe(JSON.stringify({ junk: 12_000 - MAX_REJECTED_KEPT }));
    expect(raws.at(-1)).toBe(JSON.stringify({ junk: 11_999 }));
    expect(counts().rejected).toBe(MAX_REJECTED_KEPT);
  });

  it("reports a duplicate (same id, same content) and changes nothing", () => {
    const e = valid();
    const future = toWire(
      remote("project.archived", randomUUID(), { archived: true }, { aheadMs: 2 * MAX_DRIFT }),
    );
    ingest(e, future);
    const [projections, clock, before] = [dump(), writerHlc(), counts()];
    const report = ingest(e, future, e);
    expect(report).toMatchObject({ accepted: 0, quarantined: 0, duplicate: 3, rejected: 0 });
    expect(counts()).toEqual(before);
    expect(dump()).toEqual(projections);
    expect(writerHlc()).toBe(clock);
  });

  // Found by these tests: the wire cap was 64 Ki characters of JSON while a task description may
  // hold 50,000 characters, which JSON escaping can grow sixfold, so peers refused such tasks.
  it("never refuses, for size, an event the local API accepted", () => {
    const p = must(c.service.createProject(c.human, { name: "P", description: "\u0001".repeat(20_000) }));
    const deps = Array.from(
      { length: 100 },
      (_, i) => must(c.service.createTask(c.human, { projectId: p.id, title: `dep ${i}` })).id,
    );
    const t = must(
      c.service.createTask(c.human, {
        projectId: p.id,
        title: '"'.repeat(300),
        description: "\u0001".repeat(50_000),
        labels: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(64, "x")),
        dependsOn: deps,
      }),
    );
    must(c.service.postUpdate(c.human, { taskId: t.id, text: "\\".repeat(20_000) }));
    const made = c.store.q.events.page(0, 1_000).map(({ seq: _s, applied: _a, ...wire }) => wire);
    expect(Math.max(...made.map((e) => e.data.length))).toBeGreaterThan(300_000);
    const peer = createTempClaire();
    try {
      const report = peer.service.ingestEvents(made, "peer:big");
      expect(report).toMatchObject({ accepted: made.length, rejected: 0 });
      expect(must(peer.service.getTask(t.id)).description).toHaveLength(50_000);
    } finally {
      peer.close();
    }
  });

  it("refuses only the bad events of a batch", () => {
    const report = ingest(valid(), { ...valid(), type: "Bad.Type" }, valid());
    expect(report.outcomes.map((o) => o.status)).toEqual(["accepted", "rejected", "accepted"]);
    expect(counts()).toMatchObject({ events: 2, rejected: 1 });
  });
});

describe("dangling references", () => {
  it("applies a status change for a task not created yet; the task shows pending until it arrives", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const taskId = randomUUID();
    const created = remote("task.created", taskId, TASK_DATA(p.id, "late"));
    c.clock.now += 1_000;
    const done = remote("task.status_changed", taskId, { status: "done" }, { machineId: MACHINES[2] });
    expect(ingest(toWire(done)).accepted).toBe(1);
    expect(must(c.service.getTask(taskId))).toMatchObject({ pending: true, status: "done", title: null });
    expect(must(c.service.listTasks({})).tasks.map((t) => t.id)).toContain(taskId);
    expect(must(c.service.readyTasks())).toEqual([]);
    // Local operations do not act on a task they cannot see yet.
    expect(c.service.changeTaskStatus(c.human, taskId, "todo").ok).toBe(false);

    expect(ingest(toWire(created)).accepted).toBe(1);
    // The creation is older than the status change, so the status stays done.
    expect(must(c.service.getTask(taskId))).toMatchObject({ pending: false, status: "done", title: "late" });
    expect(checkProjections(c.store.db).differences).toEqual([]);
  });

  it("gives a claim that arrives before its task's creation to its session once the task arrives", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const taskId = randomUUID();
    const session = { machineId: REMOTE, sessionId: "agent-1" };
    const created = remote("task.created", taskId, TASK_DATA(p.id));
    const claimed = remote("task.claimed", taskId, { epoch: null, session }, { counter: 1 });
    ingest(toWire(claimed));
    expect(must(c.service.getTask(taskId))).toMatchObject({
      pending: true,
      owner: { session, via: "claimed" },
    });
    ingest(toWire(created));
    expect(must(c.service.getTask(taskId))).toMatchObject({
      pending: false,
      owner: { session, via: "claimed" },
    });
    expect(checkProjections(c.store.db).differences).toEqual([]);
  });

  it("keeps a task that depends on a task never seen out of the ready queue", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const ghost = randomUUID();
    const t = must(c.service.createTask(c.human, { projectId: p.id, title: "waits" }));
    ingest(toWire(remote("task.dependency_added", t.id, { dependsOn: ghost })));
    expect(must(c.service.getTask(t.id)).dependsOn).toEqual([ghost]);
    expect(must(c.service.readyTasks())).toEqual([]);
  });

  it("merges a cycle two machines made together; its tasks are not ready and nothing crashes", () => {
    const p = must(c.service.createProject(c.human, { name: "P" }));
    const a = must(c.service.createTask(c.human, { projectId: p.id, title: "A" }));
    const b = must(c.service.createTask(c.human, { projectId: p.id, title: "B" }));
    must(c.service.changeTaskStatus(c.human, b.id, "done"));
    expect(must(c.service.readyTasks()).map((t) => t.title)).toEqual(["A"]);
    // Each edge is fine alone; together they make A -> B -> A.
    const ab = remote("task.dependency_added", a.id, { dependsOn: b.id }, { machineId: MACHINES[1] });
    const ba = remote("task.dependency_added", b.id, { dependsOn: a.id }, { machineId: MACHINES[2] });
    expect(ingest(toWire(ab), toWire(ba)).accepted).toBe(2);
    expect(must(c.service.getTask(a.id)).dependsOn).toEqual([b.id]);
    // A's only dependency is done, but A sits on a cycle: not ready.
    expect(must(c.service.readyTasks())).toEqual([]);
    expect(must(c.service.listTasks({})).total).toBe(2);
    // Local operations still refuse to add to it.
    const c2 = must(c.service.createTask(c.human, { projectId: p.id, title: "C", dependsOn: [a.id] }));
    expect(c.service.addDependency(c.human, a.id, c2.id).ok).toBe(false);
    // Removing one edge clears the conflict.
    must(c.service.removeDependency(c.human, b.id, a.id));
    expect(must(c.service.readyTasks()).map((t) => t.title)).toEqual(["A"]);
  });
});
