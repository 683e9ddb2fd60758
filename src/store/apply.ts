// Executes the merge rules' projection writes (src/domain/merge.ts) against SQLite. Statements are
// generated from the projection schema and cached; every write is "only if newer", so applying
// events in any order, split or repeated, converges on the same rows.
import type Database from "better-sqlite3";
import type { KnownEvent } from "../domain/events.ts";
import { eventStamp, eventWrites, type ProjectionWrite, type Scalar } from "../domain/merge.ts";
import { tableSpec } from "./projection-schema.ts";

export type Applier = { readonly apply: (events: readonly KnownEvent[]) => void };

export const createApplier = (db: Database.Database, prefix = ""): Applier => {
  const cache = new Map<string, Database.Statement>();
  const prepared = (key: string, sql: () => string): Database.Statement => {
    let s = cache.get(key);
    if (!s) {
      s = db.prepare(sql());
      cache.set(key, s);
    }
    return s;
  };
  const t = (name: string) => `${prefix}${name}`;

  // Statement keys and parameters are built in one pass over the write's columns: this runs for
  // every event of every append, ingest and rebuild.
  const lww = (table: string, id: string, values: Readonly<Record<string, Scalar>>, stamp: string) => {
    let key = "lww:" + table;
    const params: Scalar[] = [id];
    for (const c in values) {
      key += ":" + c;
      params.push(values[c] ?? null, stamp);
    }
    if (params.length === 1) return;
    const stmt = prepared(key, () => {
      const cols = Object.keys(values);
      const tn = t(table);
      const newer = (c: string) => `excluded.${c}_s > COALESCE(${tn}.${c}_s, '')`;
      return (
        `INSERT INTO ${tn} (id, ${cols.map((c) => `${c}, ${c}_s`).join(", ")}) VALUES (?${", ?, ?".repeat(cols.length)}) ` +
        `ON CONFLICT (id) DO UPDATE SET ${cols
          .map(
            (c) =>
              `${c} = CASE WHEN ${newer(c)} THEN excluded.${c} ELSE ${tn}.${c} END, ` +
              `${c}_s = CASE WHEN ${newer(c)} THEN excluded.${c}_s ELSE ${tn}.${c}_s END`,
          )
          .join(", ")}`
      );
    });
    stmt.run(params);
  };

  const element = (table: string, id: string, el: string, present: boolean, stamp: string) => {
    prepared(`el:${table}`, () => {
      const tn = t(table);
      return (
        `INSERT INTO ${tn} (id, element, present, stamp) VALUES (?, ?, ?, ?) ` +
        `ON CONFLICT (id, element) DO UPDATE SET present = excluded.present, stamp = excluded.stamp WHERE excluded.stamp > ${tn}.stamp`
      );
    }).run(id, el, present ? 1 : 0, stamp);
  };

  const insert = (table: string, row: Readonly<Record<string, Scalar>>) => {
    let key = "ins:" + table;
    const params: Scalar[] = [row.id ?? null];
    for (const c in row) {
      if (c === "id") continue;
      key += ":" + c;
      params.push(row[c] ?? null);
    }
    prepared(key, () => {
      const cols = Object.keys(row).filter((c) => c !== "id");
      const tn = t(table);
      // The earliest copy (by HLC) is kept whatever the arrival order: a duplicate changes
      // nothing, and two events claiming one id (a faulty peer) still converge. A row without an
      // HLC was made by an assignment.state_changed that arrived first; the insert completes it.
      return (
        `INSERT INTO ${tn} (id, ${cols.join(", ")}) VALUES (?${", ?".repeat(cols.length)}) ` +
        `ON CONFLICT (id) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(", ")} ` +
        `WHERE ${tn}.hlc IS NULL OR excluded.hlc < ${tn}.hlc`
      );
    }).run(params);
  };

  const delivery = (w: Extract<ProjectionWrite, { op: "delivery" }>, hlc: string) => {
    prepared("delivery", () => {
      const tn = t("deliveries");
      return (
        `INSERT INTO ${tn} (id, message_id, machine_id, session_id, state, updated_hlc) VALUES (?, ?, ?, ?, ?, ?) ` +
        `ON CONFLICT (id) DO UPDATE SET state = MAX(${tn}.state, excluded.state), updated_hlc = MAX(${tn}.updated_hlc, excluded.updated_hlc)`
      );
    }).run(w.id, w.messageId, w.session.machineId, w.session.sessionId, w.rank, hlc);
  };

  const machineSeen = (machineId: string, hlc: string) => {
    prepared("machine-seen", () => {
      const tn = t("machines");
      return `INSERT INTO ${tn} (id, last_hlc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET last_hlc = MAX(COALESCE(${tn}.last_hlc, ''), excluded.last_hlc)`;
    }).run(machineId, hlc);
  };

  const recomputeOwner = (taskId: string) => {
    // A claim can arrive before any other event about its task (sync keeps each origin's order,
    // not causal order). Without a row the owner would be lost, and since task.created does not
    // recompute the owner, the result would depend on arrival order: make the (pending) row.
    prepared(
      "owner:ensure",
      () => `INSERT INTO ${t("tasks")} (id) VALUES (?) ON CONFLICT (id) DO NOTHING`,
    ).run(taskId);
    const task = prepared("owner:task", () => `SELECT epoch FROM ${t("tasks")} WHERE id = ?`).get(taskId) as
      | { epoch: string | null }
      | undefined;
    if (!task) return;
    type Row = { id: string; machine_id: string; session_id: string; via: string };
    let owner: Row | undefined;
    if (task.epoch !== null) {
      owner = prepared(
        "owner:assigned",
        () =>
          `SELECT id, machine_id, session_id, via FROM ${t("assignments")} WHERE id = ? AND task_id = ? AND via = 'assigned' AND COALESCE(state, 'active') != 'released'`,
      ).get(task.epoch, taskId) as Row | undefined;
    }
    const assignedRow =
      task.epoch === null
        ? undefined
        : prepared(
            "owner:epoch-is-assignment",
            () => `SELECT 1 FROM ${t("assignments")} WHERE id = ? AND via = 'assigned'`,
          ).get(task.epoch);
    if (!owner && !assignedRow) {
      // Among claims on the current epoch, the earliest HLC wins (event id breaks a tie).
      owner = prepared(
        "owner:claim",
        () =>
          `SELECT id, machine_id, session_id, via FROM ${t("assignments")} WHERE task_id = ? AND via = 'claimed' AND epoch IS ? AND COALESCE(state, 'active') != 'released' ORDER BY hlc, id LIMIT 1`,
      ).get(taskId, task.epoch) as Row | undefined;
    }
    prepared(
      "owner:set",
      () =>
        `UPDATE ${t("tasks")} SET owner_assignment = ?, owner_machine = ?, owner_session = ?, owner_via = ? WHERE id = ?`,
    ).run(
      owner?.id ?? null,
      owner?.machine_id ?? null,
      owner?.session_id ?? null,
      owner?.via ?? null,
      taskId,
    );
  };

  const apply = (events: readonly KnownEvent[]) => {
    const owners = new Set<string>();
    const lastByMachine = new Map<string, string>();
    for (const e of events) {
      const stamp = eventStamp(e);
      const prev = lastByMachine.get(e.machineId);
      if (prev === undefined || e.hlc > prev) lastByMachine.set(e.machineId, e.hlc);
      for (const w of eventWrites(e)) {
        switch (w.op) {
          case "lww":
            lww(w.table, w.id, w.values, stamp);
            break;
          case "element":
            element(w.table, w.id, w.element, w.present, stamp);
            break;
          case "insert":
            insert(w.table, w.row);
            break;
          case "delivery":
            delivery(w, e.hlc);
            break;
          case "owner":
            owners.add(w.taskId);
            break;
          case "owner-of-assignment": {
            const row = prepared(
              "owner:of",
              () => `SELECT task_id FROM ${t("assignments")} WHERE id = ?`,
            ).get(w.assignmentId) as { task_id: string | null } | undefined;
            if (row?.task_id) owners.add(row.task_id);
            break;
          }
        }
      }
    }
    for (const [machineId, hlc] of lastByMachine) machineSeen(machineId, hlc);
    for (const taskId of owners) recomputeOwner(taskId);
  };

  // Referenced so the schema check catches a renamed table early.
  tableSpec("tasks");
  return { apply };
};
