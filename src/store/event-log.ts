// The event log: local appends (stamped inside the write lock) and ingest of events from
// elsewhere (deduplicated, validated, quarantined when they cannot apply yet).
//
// An append reads and advances the HLC state and origin_seq from the `writer` row inside the
// caller's BEGIN IMMEDIATE transaction, never from memory, so several processes writing one
// database stay correct.
import type Database from "better-sqlite3";
import { encodeHlc, type Hlc, parseHlc, receiveHlc, sendHlc } from "../clock/index.ts";
import type { Actor } from "../domain/actor.ts";
import { validateWireEvent } from "../domain/event-validation.ts";
import {
  type EventDraft,
  isKnownEventType,
  type KnownEvent,
  type StoredEvent,
  type WireEvent,
} from "../domain/events.ts";
import type { IdDep } from "../domain/ids.ts";
import type { Applier } from "./apply.ts";
import { lazyStatement } from "./lazy-statement.ts";

export type EventRow = {
  seq: number;
  id: string;
  hlc: string;
  machine_id: string;
  epoch: number;
  origin_seq: number;
  actor_kind: string;
  actor_id: string;
  type: string;
  entity_id: string;
  data: string;
  applied: number;
};

export const rowToEvent = (r: EventRow): StoredEvent => ({
  seq: r.seq,
  id: r.id,
  hlc: r.hlc,
  machineId: r.machine_id,
  epoch: r.epoch,
  originSeq: r.origin_seq,
  actor: { kind: r.actor_kind as Actor["kind"], id: r.actor_id },
  type: r.type,
  entityId: r.entity_id,
  data: r.data,
  applied: r.applied === 1,
});

/** Trusts the row: only events validated on the way in are stored with a known type. */
export const rowToKnown = (r: EventRow): KnownEvent =>
  ({
    id: r.id,
    hlc: r.hlc,
    machineId: r.machine_id,
    epoch: r.epoch,
    originSeq: r.origin_seq,
    actor: { kind: r.actor_kind as Actor["kind"], id: r.actor_id },
    type: r.type,
    entityId: r.entity_id,
    data: JSON.parse(r.data),
  }) as KnownEvent;

/** Refused events kept in `rejected`, the newest. */
export const MAX_REJECTED_KEPT = 10_000;

/** An append found this machine's next origin slot taken: a clone of this machine is writing. */
export class OriginSlotTakenError extends Error {
  constructor(machineId: string, epoch: number, originSeq: number) {
    super(
      `another machine is writing events as this machine (${machineId}, epoch ${epoch}, slot ${originSeq} is taken): ` +
        "a copied home directory? run `claire doctor` and see 'Two machines, one machine_id' in docs/operations.md",
    );
    this.name = "OriginSlotTakenError";
  }
}

export type IngestOutcome =
  | { readonly id: string | null; readonly status: "accepted"; readonly seq: number }
  | {
      readonly id: string | null;
      readonly status: "quarantined";
      readonly seq: number;
      readonly reason: string;
    }
  | { readonly id: string | null; readonly status: "duplicate" }
  | { readonly id: string | null; readonly status: "rejected"; readonly reason: string };

export type EventLogDeps = {
  readonly db: Database.Database;
  readonly applier: Applier;
  readonly ids: IdDep;
  readonly now: () => number;
  readonly maxDriftMs: number;
};

export type EventLog = ReturnType<typeof createEventLog>;

export const createEventLog = ({ db, applier, ids, now, maxDriftMs }: EventLogDeps) => {
  const selectWriter = db.prepare("SELECT machine_id, epoch, origin_seq, hlc FROM writer WHERE id = 1");
  const updateWriter = db.prepare("UPDATE writer SET origin_seq = ?, hlc = ? WHERE id = 1");
  const updateClock = lazyStatement(db, "UPDATE writer SET hlc = ? WHERE id = 1");
  const insert = db.prepare(
    "INSERT INTO events (id, hlc, machine_id, epoch, origin_seq, actor_kind, actor_id, type, entity_id, data, applied) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const byId = lazyStatement(db, "SELECT * FROM events WHERE id = ?");
  const bySlot = lazyStatement(
    db,
    "SELECT id FROM events WHERE machine_id = ? AND epoch = ? AND origin_seq = ?",
  );
  const reject = lazyStatement(
    db,
    "INSERT INTO rejected (at_ms, source, event_id, reason, raw) VALUES (?, ?, ?, ?, ?)",
  );
  // A hostile or broken peer can send refusals without end: the newest are kept, enough to say
  // what is wrong and where from (a row holds up to 4 KiB of the event).
  const pruneRejected = lazyStatement(
    db,
    "DELETE FROM rejected WHERE seq <= (SELECT MAX(seq) FROM rejected) - ?",
  );
  const quarantined = lazyStatement(db, "SELECT * FROM events WHERE applied = 0 ORDER BY seq");
  const markApplied = lazyStatement(db, "UPDATE events SET applied = 1 WHERE seq = ?");

  type WriterRow = { machine_id: string; epoch: number; origin_seq: number; hlc: string };
  const writer = (): WriterRow & { clock: Hlc } => {
    const w = selectWriter.get() as WriterRow | undefined;
    if (!w) throw new Error("writer row missing: the database was not initialised for this machine");
    const parsed = parseHlc(w.hlc);
    if (!parsed.ok) throw new Error(`corrupt clock state in writer row: ${parsed.error.message}`);
    return { ...w, clock: parsed.value };
  };

  /** Appends local events. Call inside an IMMEDIATE transaction. */
  const append = (actor: Actor, drafts: readonly EventDraft[]): StoredEvent[] => {
    if (drafts.length === 0) return [];
    const w = writer();
    let clock = w.clock;
    let originSeq = w.origin_seq;
    const t = now();
    const stored: StoredEvent[] = [];
    const known: KnownEvent[] = [];
    for (const d of drafts) {
      clock = sendHlc(clock, t);
      originSeq++;
      const id = ids.newId();
      const hlc = encodeHlc(clock);
      const data = JSON.stringify(d.data);
      let info: Database.RunResult;
      try {
        info = insert.run(
          id,
          hlc,
          w.machine_id,
          w.epoch,
          originSeq,
          actor.kind,
          actor.id,
          d.type,
          d.entityId,
          data,
          1,
        );
      } catch (e) {
        // Our own next origin slot already holds an event we did not write: another machine writes
        // as this machine_id (a copied home directory). Say so instead of a bare constraint error.
        if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE")
          throw new OriginSlotTakenError(w.machine_id, w.epoch, originSeq);
        throw e;
      }
      const machineId = w.machine_id;
      const epoch = w.epoch;
      const entityId = d.entityId;
      const type = d.type;
      const seq = Number(info.lastInsertRowid);
      stored.push({ id, hlc, machineId, epoch, originSeq, actor, entityId, type, data, seq, applied: true });
      known.push({ id, hlc, machineId, epoch, originSeq, actor, entityId, type, data: d.data } as KnownEvent);
    }
    updateWriter.run(originSeq, encodeHlc(clock));
    applier.apply(known);
    return stored;
  };

  const sameContent = (a: EventRow, b: WireEvent): boolean =>
    a.hlc === b.hlc &&
    a.machine_id === b.machineId &&
    a.epoch === b.epoch &&
    a.origin_seq === b.originSeq &&
    a.actor_kind === b.actor.kind &&
    a.actor_id === b.actor.id &&
    a.type === b.type &&
    a.entity_id === b.entityId &&
    a.data === b.data;

  /** Ingests events from a peer or an import file. Call inside an IMMEDIATE transaction. */
  const ingest = (
    raws: readonly unknown[],
    source: string,
  ): { outcomes: IngestOutcome[]; applied: KnownEvent[] } => {
    const outcomes: IngestOutcome[] = [];
    const toApply: KnownEvent[] = [];
    const self = writer();
    let clock = self.clock;
    const t = now();
    const refuse = (id: string | null, reason: string, raw: unknown): IngestOutcome => {
      // What is kept of it, for doctor: whatever it is (nested beyond the stack's depth, cyclic,
      // a BigInt), recording the refusal must not fail, or one such element would stop the page.
      let text: string;
      try {
        text = JSON.stringify(raw) ?? String(raw);
      } catch {
        text = "(not printable: nested too deep)";
      }
      reject.run(t, source, id, reason, text.slice(0, 4096));
      return { id, status: "rejected", reason };
    };
    for (const raw of raws) {
      const v = validateWireEvent(raw);
      if (!v.ok) {
        outcomes.push(refuse(v.error.eventId, v.error.reason, raw));
        continue;
      }
      const { event, known } = v.value;
      const existing = byId.get(event.id) as EventRow | undefined;
      if (existing) {
        outcomes.push(
          sameContent(existing, event)
            ? { id: event.id, status: "duplicate" }
            : refuse(event.id, "an event with this id but different content is already stored", raw),
        );
        continue;
      }
      // Only this machine writes under its id in its current epoch (and none writes a later one):
      // such an event from elsewhere would take the slot of this machine's next own event and
      // stop every local write. Earlier epochs come back legitimately after a restore.
      if (event.machineId === self.machine_id && event.epoch >= self.epoch) {
        outcomes.push(
          refuse(
            event.id,
            `origin slot ${event.machineId}/${event.epoch}/${event.originSeq} is this machine's own ` +
              `(epoch ${self.epoch}): only this machine writes there (a copied home directory, or a forged event)`,
            raw,
          ),
        );
        continue;
      }
      const remote = parseHlc(event.hlc);
      if (!remote.ok) {
        outcomes.push(refuse(event.id, remote.error.message, raw));
        continue;
      }
      let reason: string | null = null;
      let next = clock;
      if (!known) reason = `unknown event type ${event.type}`;
      else {
        const received = receiveHlc(clock, remote.value, t, maxDriftMs);
        if (received.ok) next = received.value;
        else reason = `hlc is ${received.error.aheadMs} ms ahead of local time (max drift ${maxDriftMs} ms)`;
      }
      let info: Database.RunResult;
      try {
        info = insert.run(
          event.id,
          event.hlc,
          event.machineId,
          event.epoch,
          event.originSeq,
          event.actor.kind,
          event.actor.id,
          event.type,
          event.entityId,
          event.data,
          reason === null ? 1 : 0,
        );
      } catch (e) {
        // The id is known to be new, so a unique conflict is the origin slot: looked up only then,
        // instead of before every insert.
        const slot =
          (e as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE"
            ? (bySlot.get(event.machineId, event.epoch, event.originSeq) as { id: string } | undefined)
            : undefined;
        if (!slot) throw e;
        outcomes.push(
          refuse(
            event.id,
            `origin slot ${event.machineId}/${event.epoch}/${event.originSeq} already holds event ${slot.id}`,
            raw,
          ),
        );
        continue;
      }
      clock = next;
      const seq = Number(info.lastInsertRowid);
      if (reason === null && known) {
        toApply.push(known);
        outcomes.push({ id: event.id, status: "accepted", seq });
      } else outcomes.push({ id: event.id, status: "quarantined", seq, reason: reason ?? "" });
    }
    updateClock.run(encodeHlc(clock));
    applier.apply(toApply);
    if (outcomes.some((o) => o.status === "rejected")) pruneRejected.run(MAX_REJECTED_KEPT);
    return { outcomes, applied: toApply };
  };

  /**
   * Applies quarantined events that now can: local time has caught up with their HLC, or this
   * version knows their type. Call inside an IMMEDIATE transaction. Returns the events applied.
   */
  const releaseQuarantine = (): KnownEvent[] => {
    let clock = writer().clock;
    const t = now();
    const ready: KnownEvent[] = [];
    for (const row of quarantined.all() as EventRow[]) {
      if (!isKnownEventType(row.type)) continue;
      const { seq: _seq, applied: _applied, ...wire } = rowToEvent(row);
      const v = validateWireEvent(wire);
      if (!v.ok || !v.value.known) continue;
      const remote = parseHlc(row.hlc);
      if (!remote.ok) continue;
      const received = receiveHlc(clock, remote.value, t, maxDriftMs);
      if (!received.ok) continue;
      clock = received.value;
      markApplied.run(row.seq);
      ready.push(v.value.known);
    }
    if (ready.length > 0) {
      updateClock.run(encodeHlc(clock));
      applier.apply(ready);
    }
    return ready;
  };

  return { append, ingest, releaseQuarantine, writer };
};
