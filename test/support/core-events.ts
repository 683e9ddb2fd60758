// Generated events for the merge property and the ingest tests: a small universe (3 machines,
// 3 tasks, 3 sessions, 3 labels, one group, one message) with colliding milliseconds and counters,
// so HLC ties across machines are common and the node part and event id must break them.

import type Database from "better-sqlite3";
import fc from "fast-check";
import { encodeHlc, nodeFromMachineId } from "../../src/clock/index.ts";
import type { Actor } from "../../src/domain/actor.ts";
import type { EventData, EventType, KnownEvent, WireEvent } from "../../src/domain/events.ts";
import { deliveryId } from "../../src/domain/message.ts";
import { type SessionRef, sessionKey } from "../../src/domain/session-ref.ts";
import type { Priority, TaskStatus } from "../../src/domain/task.ts";

export const BASE_MS = Date.UTC(2026, 10, 23, 12, 0, 0);

export const MACHINES = [
  "3f2a1b0c-0000-4000-8000-00000000000a",
  "3f2a1b0c-1111-4000-8000-00000000000b",
  "9e8d7c6b-2222-4000-8000-00000000000c",
] as const;
export const TASKS = [
  "01900000-0000-7000-8000-0000000000a1",
  "01900000-0000-7000-8000-0000000000a2",
  "01900000-0000-7000-8000-0000000000a3",
] as const;
export const PROJECT = "01900000-0000-7000-8000-0000000000f0";
export const GROUP = "01900000-0000-7000-8000-0000000000e0";
export const MESSAGE = "01900000-0000-7000-8000-0000000000d0";
export const SESSIONS: readonly SessionRef[] = [
  { machineId: MACHINES[0], sessionId: "s-0" },
  { machineId: MACHINES[1], sessionId: "s-1" },
  { machineId: MACHINES[2], sessionId: "s-2" },
];
const LABELS = ["red", "green", "blue"] as const;
const TITLES = ["alpha", "beta", "gamma"] as const;
const STATUSES: readonly TaskStatus[] = ["todo", "in_progress", "done"];
const PRIORITIES: readonly Priority[] = ["low", "normal", "urgent"];
const DELIVERY = ["pending", "delivered", "acknowledged"] as const;
const RULES = ["cwd:/repo/**", "machine:alpha", "project:p"] as const;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0").slice(-width);
export const nodeOf = (machineId: string): string => {
  const n = nodeFromMachineId(machineId);
  if (!n.ok) throw new Error(n.error.message);
  return n.value;
};

/** Builds one typed event. */
export const knownEvent = <T extends EventType>(
  type: T,
  entityId: string,
  data: EventData<T>,
  stamp: {
    id: string;
    machineId: string;
    ms: number;
    counter: number;
    originSeq: number;
    actor?: Actor;
  },
): KnownEvent =>
  ({
    id: stamp.id,
    hlc: encodeHlc({ ms: stamp.ms, counter: stamp.counter, node: nodeOf(stamp.machineId) }),
    machineId: stamp.machineId,
    epoch: 0,
    originSeq: stamp.originSeq,
    actor: stamp.actor ?? { kind: "machine", id: stamp.machineId },
    type,
    entityId,
    data,
  }) as KnownEvent;

/** The event as it travels: data as JSON text. */
export const toWire = (e: KnownEvent): WireEvent => ({
  id: e.id,
  hlc: e.hlc,
  machineId: e.machineId,
  epoch: e.epoch,
  originSeq: e.originSeq,
  actor: e.actor,
  type: e.type,
  entityId: e.entityId,
  data: JSON.stringify(e.data),
});

// ---- the arbitrary --------------------------------------------------------------------------

const i3 = fc.nat(2);
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

const bodyArb = fc.oneof(
  fc.record({
    t: fc.constant("task.created" as const),
    task: i3,
    title: pick(TITLES),
    status: pick(STATUSES),
    priority: pick(PRIORITIES),
    labels: fc.subarray([...LABELS]),
    deps: fc.subarray([0, 1, 2]),
  }),
  fc.record({
    t: fc.constant("task.updated" as const),
    task: i3,
    title: fc.option(pick(TITLES), { nil: undefined }),
    priority: fc.option(pick(PRIORITIES), { nil: undefined }),
  }),
  fc.record({ t: fc.constant("task.status_changed" as const), task: i3, status: pick(STATUSES) }),
  fc.record({ t: fc.constant("label" as const), task: i3, label: pick(LABELS), add: fc.boolean() }),
  fc.record({ t: fc.constant("dep" as const), task: i3, dep: i3, add: fc.boolean() }),
  fc.record({ t: fc.constant("member" as const), session: i3, add: fc.boolean() }),
  fc.record({ t: fc.constant("delivery" as const), session: i3, state: pick(DELIVERY) }),
  fc.record({ t: fc.constant("assigned" as const), task: i3, session: fc.option(i3, { nil: null }) }),
  fc.record({
    t: fc.constant("claimed" as const),
    task: i3,
    session: i3,
    epoch: fc.option(fc.nat(), { nil: null }),
  }),
  fc.record({
    t: fc.constant("assignment_state" as const),
    pick: fc.nat(),
    state: pick(["active", "accepted", "done", "released"] as const),
  }),
  fc.record({ t: fc.constant("project" as const), name: pick(TITLES), archived: fc.boolean() }),
  fc.record({ t: fc.constant("group.updated" as const), description: pick(TITLES) }),
  fc.record({ t: fc.constant("update.posted" as const), task: i3, text: pick(TITLES) }),
  fc.record({
    t: fc.constant("session.observed" as const),
    session: i3,
    title: fc.option(pick(TITLES), { nil: undefined }),
    state: fc.option(pick(["working", "idle", "ended"] as const), { nil: undefined }),
  }),
  fc.record({ t: fc.constant("session.succeeded" as const), session: i3, predecessor: i3 }),
  fc.record({ t: fc.constant("rule" as const), rule: pick(RULES), add: fc.boolean() }),
  fc.record({ t: fc.constant("machine.announced" as const), name: pick(TITLES) }),
  fc.record({ t: fc.constant("message.sent" as const), body: pick(TITLES) }),
);

const specArb = fc.record({
  machine: i3,
  ms: fc.nat(3),
  counter: fc.nat(2),
  idRand: fc.nat(0xff),
  body: bodyArb,
});
export type EventSpec = typeof specArb extends fc.Arbitrary<infer S> ? S : never;

/** Turns specs into events: ids, origin counters and references (claims' epochs, assignment ids). */
export const buildEvents = (specs: readonly EventSpec[]): KnownEvent[] => {
  const originSeq = [0, 0, 0];
  // Ids first, so a claim can name an assignment epoch generated after it.
  const ids = specs.map((s, i) => `${hex(s.idRand, 8)}-0000-7000-8000-${hex(i, 12)}`);
  const assignedByTask = new Map<number, string[]>();
  const assignmentIds: string[] = [];
  specs.forEach((s, i) => {
    if (s.body.t === "assigned") {
      const list = assignedByTask.get(s.body.task) ?? [];
      list.push(ids[i]!);
      assignedByTask.set(s.body.task, list);
      if (s.body.session !== null) assignmentIds.push(ids[i]!);
    }
    if (s.body.t === "claimed") assignmentIds.push(ids[i]!);
  });
  const eventFor = (s: EventSpec, i: number): KnownEvent => {
    const machineId = MACHINES[s.machine]!;
    originSeq[s.machine]!++;
    const stamp = {
      id: ids[i]!,
      machineId,
      ms: BASE_MS + s.ms,
      counter: s.counter,
      originSeq: originSeq[s.machine]!,
    };
    const b = s.body;
    switch (b.t) {
      case "task.created":
        return knownEvent(
          "task.created",
          TASKS[b.task]!,
          {
            projectId: PROJECT,
            title: b.title,
            description: "",
            priority: b.priority,
            status: b.status,
            labels: b.labels,
            dependsOn: b.deps.map((d) => TASKS[d]!),
          },
          stamp,
        );
      case "task.updated":
        return knownEvent(
          "task.updated",
          TASKS[b.task]!,
          {
            ...(b.title !== undefined && { title: b.title }),
            ...(b.priority !== undefined && { priority: b.priority }),
          },
          stamp,
        );
      case "task.status_changed":
        return knownEvent("task.status_changed", TASKS[b.task]!, { status: b.status }, stamp);
      case "label":
        return knownEvent(
          b.add ? "task.label_added" : "task.label_removed",
          TASKS[b.task]!,
          { label: b.label },
          stamp,
        );
      case "dep":
        return knownEvent(
          b.add ? "task.dependency_added" : "task.dependency_removed",
          TASKS[b.task]!,
          { dependsOn: TASKS[b.dep]! },
          stamp,
        );
      case "member":
        return knownEvent(
          b.add ? "group.member_added" : "group.member_removed",
          GROUP,
          { session: SESSIONS[b.session]! },
          stamp,
        );
      case "delivery": {
        const session = SESSIONS[b.session]!;
        return knownEvent(
          "delivery.recorded",
          deliveryId(MESSAGE, session),
          { messageId: MESSAGE, session, state: b.state },
          stamp,
        );
      }
      case "assigned":
        return knownEvent(
          "task.assigned",
          TASKS[b.task]!,
          { session: b.session === null ? null : SESSIONS[b.session]! },
          stamp,
        );
      case "claimed": {
        const epochs = assignedByTask.get(b.task) ?? [];
        const epoch = b.epoch === null || epochs.length === 0 ? null : epochs[b.epoch % epochs.length]!;
        return knownEvent("task.claimed", TASKS[b.task]!, { epoch, session: SESSIONS[b.session]! }, stamp);
      }
      case "assignment_state": {
        const target = assignmentIds.length === 0 ? TASKS[0]! : assignmentIds[b.pick % assignmentIds.length]!;
        return knownEvent("assignment.state_changed", target, { state: b.state }, stamp);
      }
      case "project":
        return b.archived
          ? knownEvent("project.archived", PROJECT, { archived: true }, stamp)
          : knownEvent("project.updated", PROJECT, { name: b.name }, stamp);
      case "group.updated":
        return knownEvent("group.updated", GROUP, { description: b.description }, stamp);
      case "session.observed":
        return knownEvent(
          "session.observed",
          sessionKey(SESSIONS[b.session]!),
          {
            ...(b.title !== undefined && { title: b.title }),
            ...(b.state !== undefined && { state: b.state }),
          },
          stamp,
        );
      case "session.succeeded":
        return knownEvent(
          "session.succeeded",
          sessionKey(SESSIONS[b.session]!),
          { predecessor: SESSIONS[b.predecessor]! },
          stamp,
        );
      case "rule":
        return knownEvent(b.add ? "group.rule_added" : "group.rule_removed", GROUP, { rule: b.rule }, stamp);
      case "machine.announced":
        return knownEvent("machine.announced", machineId, { name: b.name, groups: ["gpu"] }, stamp);
      case "message.sent":
        // Always the same message id: several events claiming one append-only row (a faulty peer)
        // must still converge on one copy. Append-only rows keep no event id to break an HLC tie,
        // so these copies get distinct counters (honest events never share an HLC).
        return knownEvent(
          "message.sent",
          MESSAGE,
          { body: b.body, target: { kind: "all" } },
          { ...stamp, counter: 3 + i },
        );
      case "update.posted":
        return knownEvent(
          "update.posted",
          ids[i]!,
          { kind: "note", text: b.text, taskId: TASKS[b.task]!, projectId: PROJECT, session: null },
          stamp,
        );
    }
  };
  return specs.map((s, i) => eventFor(s, i));
};

/**
 * Up to `maxLength` events: mostly short runs (dense collisions in the small universe) and a
 * share of long ones with lengths spread over the whole range.
 */
export const eventsArb = (maxLength = 200): fc.Arbitrary<KnownEvent[]> =>
  fc
    .oneof(
      { weight: 2, arbitrary: fc.array(specArb, { maxLength }) },
      { weight: 1, arbitrary: fc.array(specArb, { maxLength, size: "max" }) },
    )
    .map(buildEvents);

// ---- delivering events to a database ---------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so one integer seed drives a whole delivery schedule. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/**
 * One way the network might deliver `events`: shuffled, some repeated (a redelivery lands
 * anywhere after the first copy or before it), cut into batches of random sizes.
 */
export const schedule = (events: readonly KnownEvent[], seed: number): KnownEvent[][] => {
  const rand = prng(seed);
  const copies: KnownEvent[] = [...events];
  for (const e of events) if (rand() < 0.2) copies.push(e);
  for (let i = copies.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copies[i], copies[j]] = [copies[j]!, copies[i]!];
  }
  const batches: KnownEvent[][] = [];
  const maxBatch = 1 + Math.floor(rand() * 40);
  for (let i = 0; i < copies.length; ) {
    const n = 1 + Math.floor(rand() * maxBatch);
    batches.push(copies.slice(i, i + n));
    i += n;
  }
  return batches;
};

/** Stores the events in the log as a sync would (first copy kept), so rebuild can replay them. */
export const insertEventRows = (db: Database.Database, events: readonly KnownEvent[]): void => {
  const stmt = db.prepare(
    "INSERT OR IGNORE INTO events (id, hlc, machine_id, epoch, origin_seq, actor_kind, actor_id, type, entity_id, data, applied) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
  );
  for (const e of events) {
    stmt.run(
      e.id,
      e.hlc,
      e.machineId,
      e.epoch,
      e.originSeq,
      e.actor.kind,
      e.actor.id,
      e.type,
      e.entityId,
      JSON.stringify(e.data),
    );
  }
};
