// The merge property of the event-sourced core: whatever order, batch split or duplication the
// network delivers events in, the projections come out identical, and equal to a rebuild.
//
// Events (test/support/core-events.ts: 3 machines, 3 tasks, 3 sessions, colliding milliseconds
// and counters) are applied straight to in-memory databases through the real applier, so a run
// of 200 events costs a few milliseconds and 1,000 runs stay within a few seconds.
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BASE_MS,
  eventsArb,
  insertEventRows,
  knownEvent,
  MACHINES,
  MESSAGE,
  PROJECT,
  SESSIONS,
  schedule,
  TASKS,
} from "../../test/support/core-events.ts";
import type { KnownEvent } from "../domain/events.ts";
import { eventStamp, eventWrites } from "../domain/merge.ts";
import { type Applier, createApplier } from "./apply.ts";
import { openDatabase } from "./database.ts";
import { dumpProjections } from "./dump.ts";
import { PROJECTION_TABLES } from "./projection-schema.ts";
import { checkProjections, rebuildProjections } from "./rebuild.ts";

type ApplierFactory = (db: Database.Database) => Applier;

/**
 * An empty database migrated by the real `openDatabase`, serialized once: deserializing it is
 * thirty times cheaper than migrating.
 */
const TEMPLATE = (() => {
  const db = openDatabase(":memory:");
  const bytes = db.serialize();
  db.close();
  return bytes;
})();

const deliverTo = (db: Database.Database, applier: Applier, batches: readonly (readonly KnownEvent[])[]) => {
  for (const batch of batches) db.transaction(() => applier.apply(batch))();
  return db;
};

/** Delivers the batches to a fresh database, each batch in its own transaction, as ingest does. */
const deliver = (makeApplier: ApplierFactory, batches: readonly (readonly KnownEvent[])[]) => {
  const db = new Database(TEMPLATE);
  return deliverTo(db, makeApplier(db), batches);
};

/**
 * Databases reused from run to run (emptied first), so their appliers' prepared statements stay
 * warm; a database about to be rebuilt is always fresh, since DDL slows down with every statement
 * a connection has prepared.
 */
const createSlots = (makeApplier: ApplierFactory, count: number) => {
  const slots = Array.from({ length: count }, () => {
    const db = new Database(TEMPLATE);
    return { db, applier: makeApplier(db) };
  });
  return (i: number, batches: readonly (readonly KnownEvent[])[]) => {
    const { db, applier } = slots[i]!;
    db.transaction(() => {
      for (const t of PROJECTION_TABLES) db.exec(`DELETE FROM ${t.name}`);
    })();
    return deliverTo(db, applier, batches);
  };
};

const dumpText = (db: Database.Database) => JSON.stringify(dumpProjections(db));

/** Fails with a readable diff when two dumps differ (the string compare keeps the happy path fast). */
const expectSameDump = (db: Database.Database, reference: string, what: string) => {
  const text = dumpText(db);
  if (text !== reference) expect(JSON.parse(text), what).toEqual(JSON.parse(reference));
};

/**
 * The property: the generation order in one batch is the reference; each event reversed and
 * delivered twice in a row, and two random schedules (shuffle, redeliveries, batch splits) must
 * all give the same dump. In one run of four the second schedule also stores the events in the
 * log as it received them: replaying that log (`checkProjections`, what `claire rebuild --check`
 * runs) must find no difference, and after `rebuildProjections` swaps the replay in, the dump
 * must still be the reference (a rebuild runs DDL and costs more than all the rest of a run).
 */
const mergeCheck = (makeApplier: ApplierFactory) => {
  const slot = createSlots(makeApplier, 4);
  return (events: readonly KnownEvent[], seedA: number, seedB: number): void => {
    const reference = dumpText(slot(0, [events]));
    const twice = slot(
      1,
      [...events].reverse().map((e) => [e, e]),
    );
    expectSameDump(twice, reference, "reversed, each delivered twice");
    expectSameDump(slot(2, schedule(events, seedA)), reference, `schedule ${seedA}`);
    const arrivals = schedule(events, seedB);
    if ((seedB & 3) !== 0) {
      expectSameDump(slot(3, arrivals), reference, `schedule ${seedB}`);
      return;
    }
    const b = deliver(makeApplier, arrivals);
    try {
      expectSameDump(b, reference, `schedule ${seedB}`);
      insertEventRows(b, arrivals.flat());
      expect(checkProjections(b).differences).toEqual([]);
      rebuildProjections(b);
      expectSameDump(b, reference, `rebuild after schedule ${seedB}`);
    } finally {
      b.close();
    }
  };
};

const mergeProperty = (makeApplier: ApplierFactory) =>
  fc.property(eventsArb(200), fc.integer(), fc.integer(), mergeCheck(makeApplier));

/** A deliberately wrong merge: scalar fields take whatever arrived last, whatever its stamp. */
const arrivalOrderWins: ApplierFactory = (db) => {
  const real = createApplier(db);
  return {
    apply: (events) => {
      real.apply(events);
      for (const e of events) {
        for (const w of eventWrites(e)) {
          if (w.op !== "lww") continue;
          for (const [col, value] of Object.entries(w.values)) {
            db.prepare(`UPDATE ${w.table} SET ${col} = ?, ${col}_s = ? WHERE id = ?`).run(
              value,
              eventStamp(e),
              w.id,
            );
          }
        }
      }
    },
  };
};

describe("merge property", () => {
  it("any order, batch split or duplication gives the same projection, equal to a rebuild", () => {
    fc.assert(mergeProperty(createApplier), { numRuns: 1_000 });
  });

  it("can fail: a merge where arrival order wins is caught, and its counterexample is small", () => {
    const result = fc.check(mergeProperty(arrivalOrderWins), { numRuns: 500 });
    expect(result.failed).toBe(true);
    const [events, seedA, seedB] = result.counterexample!;
    // Shrunk to two writes of one field; the real merge passes on the very same input.
    expect(events.length).toBeLessThanOrEqual(3);
    expect(() => mergeCheck(createApplier)(events, seedA, seedB)).not.toThrow();
  });
});

describe("merge regressions found by the property", () => {
  const freshDump = (batches: readonly (readonly KnownEvent[])[]) => {
    const db = deliver(createApplier, batches);
    const dump = dumpProjections(db);
    db.close();
    return dump;
  };

  // Shrunk counterexample: a task's creation and a claim on it, the claim delivered first. The
  // applier skipped the owner when the task had no row yet, and task.created does not recompute
  // it, so the claim was lost on machines that received it first.
  it("a claim that arrives before its task's creation still makes its session the owner", () => {
    const task = TASKS[1];
    const created = knownEvent(
      "task.created",
      task,
      {
        projectId: PROJECT,
        title: "alpha",
        description: "",
        priority: "low",
        status: "todo",
        labels: [],
        dependsOn: [],
      },
      {
        id: "00000000-0000-7000-8000-000000000000",
        machineId: MACHINES[0],
        ms: BASE_MS,
        counter: 0,
        originSeq: 1,
      },
    );
    const claimed = knownEvent(
      "task.claimed",
      task,
      { epoch: null, session: SESSIONS[0]! },
      {
        id: "00000000-0000-7000-8000-000000000001",
        machineId: MACHINES[0],
        ms: BASE_MS,
        counter: 0,
        originSeq: 2,
      },
    );
    const inOrder = freshDump([[created], [claimed]]);
    expect(freshDump([[claimed], [created]])).toEqual(inOrder);
    expect(freshDump([[claimed, created]])).toEqual(inOrder);
    const row = inOrder.tasks?.[0] ?? [];
    expect(row.slice(-4)).toEqual([claimed.id, SESSIONS[0]!.machineId, SESSIONS[0]!.sessionId, "claimed"]);
  });

  // Shrunk counterexample: two message.sent events with one message id (only a faulty peer sends
  // that). Append-only rows were overwritten by whichever copy arrived last.
  it("two events claiming one message id keep the earliest copy, whatever the arrival order", () => {
    const copy = (id: string, counter: number, body: string) =>
      knownEvent(
        "message.sent",
        MESSAGE,
        { body, target: { kind: "all" } },
        { id, machineId: MACHINES[counter]!, ms: BASE_MS, counter, originSeq: 1 },
      );
    const early = copy("00000000-0000-7000-8000-000000000000", 0, "alpha");
    const late = copy("00000000-0000-7000-8000-000000000001", 1, "gamma");
    const forward = freshDump([[early], [late]]);
    expect(freshDump([[late], [early]])).toEqual(forward);
    expect(freshDump([[late, early, late]])).toEqual(forward);
    expect(forward.messages?.[0]?.slice(0, 3)).toEqual([MESSAGE, early.hlc, "alpha"]);
  });
});
