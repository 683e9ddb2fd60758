// Message and delivery read queries.
import type Database from "better-sqlite3";
import type { Actor } from "../../domain/actor.ts";
import { shortHandle } from "../../domain/ids.ts";
import { hlcMs } from "../../domain/merge.ts";
import { DELIVERY_STATES, type Delivery, type Message, type MessageTarget } from "../../domain/message.ts";
import { msToIso } from "../../domain/text.ts";
import { lazyStatement } from "../lazy-statement.ts";

type Row = { id: string; hlc: string; body: string; target: string; sender_kind: string; sender_id: string };
type DeliveryRow = {
  id: string;
  message_id: string;
  machine_id: string;
  session_id: string;
  state: number;
  updated_hlc: string | null;
};

const deliveryView = (d: DeliveryRow): Delivery => ({
  id: d.id,
  messageId: d.message_id,
  session: { machineId: d.machine_id, sessionId: d.session_id },
  state: DELIVERY_STATES[d.state] ?? "pending",
  updatedAt: d.updated_hlc ? msToIso(hlcMs(d.updated_hlc)) : null,
});

export type InboxItem = { readonly message: Omit<Message, "deliveries">; readonly delivery: Delivery };

export const createMessageQueries = (db: Database.Database) => {
  const get = lazyStatement(db, "SELECT * FROM messages WHERE id = ?");
  const deliveriesOf = lazyStatement(
    db,
    "SELECT * FROM deliveries WHERE message_id = ? ORDER BY machine_id, session_id",
  );
  const list = lazyStatement(db, "SELECT * FROM messages ORDER BY hlc DESC, id DESC LIMIT ?");
  // Asked once per message and session by a briefing and by every message sent or ingested.
  const deliveryState = lazyStatement(db, "SELECT state FROM deliveries WHERE id = ?");
  const inbox = lazyStatement(
    db,
    `SELECT m.*, d.id AS d_id, d.state AS d_state, d.updated_hlc AS d_updated FROM deliveries d JOIN messages m ON m.id = d.message_id
     WHERE d.machine_id = @machine AND d.session_id = @session AND (@all = 1 OR d.state < 2) ORDER BY m.hlc, m.id`,
  );
  const toMessage = (r: Row): Omit<Message, "deliveries"> => ({
    id: r.id,
    handle: shortHandle(r.id),
    body: r.body,
    target: JSON.parse(r.target) as MessageTarget,
    sender: { kind: r.sender_kind as Actor["kind"], id: r.sender_id },
    createdAt: msToIso(hlcMs(r.hlc)),
  });
  const withDeliveries = (r: Row): Message => ({
    ...toMessage(r),
    deliveries: (deliveriesOf.all(r.id) as DeliveryRow[]).map(deliveryView),
  });
  return {
    get: (id: string): Message | null => {
      const r = get.get(id) as Row | undefined;
      return r ? withDeliveries(r) : null;
    },
    hlcOf: (id: string): string | null => (get.get(id) as Row | undefined)?.hlc ?? null,
    list: (limit: number): Message[] => (list.all(limit) as Row[]).map(withDeliveries),
    inbox: (machineId: string, sessionId: string, includeAcknowledged: boolean): InboxItem[] =>
      (
        inbox.all({ machine: machineId, session: sessionId, all: includeAcknowledged ? 1 : 0 }) as (Row & {
          d_id: string;
          d_state: number;
          d_updated: string | null;
        })[]
      ).map((r) => ({
        message: toMessage(r),
        delivery: deliveryView({
          id: r.d_id,
          message_id: r.id,
          machine_id: machineId,
          session_id: sessionId,
          state: r.d_state,
          updated_hlc: r.d_updated,
        }),
      })),
    deliveryState: (id: string): number | null =>
      (deliveryState.get(id) as { state: number } | undefined)?.state ?? null,
  };
};
