// Ingest of events from elsewhere (sync, import): the store validates, deduplicates, quarantines
// and applies; this machine then creates deliveries for its own sessions that new messages target,
// and tells its own sessions whose claims stopped owning a task (see agent.ts).
import type { Actor } from "../domain/actor.ts";
import type { EventDraft, KnownEvent } from "../domain/events.ts";
import type { MessageTarget } from "../domain/message.ts";
import type { IngestOutcome } from "../store/event-log.ts";
import type { ServiceDeps } from "./context.ts";

export type IngestReport = {
  readonly accepted: number;
  readonly duplicate: number;
  readonly quarantined: number;
  readonly rejected: number;
  readonly outcomes: readonly IngestOutcome[];
};

type LocalDeliveries = (
  messages: readonly { id: string; hlc: string; target: MessageTarget }[],
) => EventDraft[];

export const summarise = (outcomes: readonly IngestOutcome[]): IngestReport => {
  const count = (s: IngestOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  return {
    accepted: count("accepted"),
    duplicate: count("duplicate"),
    quarantined: count("quarantined"),
    rejected: count("rejected"),
    outcomes,
  };
};

const sentMessages = (events: readonly KnownEvent[]) =>
  events.flatMap((e) =>
    e.type === "message.sent" ? [{ id: e.entityId, hlc: e.hlc, target: e.data.target }] : [],
  );

/** Runs after events were applied, in the same transaction (claim-loss notices). */
type AfterApplied = (events: readonly KnownEvent[]) => void;

export const createIngestOps = (
  { store, machine }: ServiceDeps,
  localDeliveries: LocalDeliveries,
  afterApplied: AfterApplied = () => {},
) => {
  const machineActor: Actor = { kind: "machine", id: machine.machineId };
  return {
    /** Ingests a batch; `extra` runs in the same transaction (sync advances its cursor there). */
    ingestEvents: (raws: readonly unknown[], source: string, extra?: () => void): IngestReport =>
      store.write(() => {
        const { outcomes, applied } = store.log.ingest(raws, source);
        store.log.append(machineActor, localDeliveries(sentMessages(applied)));
        afterApplied(applied);
        extra?.();
        return summarise(outcomes);
      }),

    /** Applies quarantined events whose time has come (or whose type this version now knows). */
    releaseQuarantine: (): number =>
      store.write(() => {
        const released = store.log.releaseQuarantine();
        store.log.append(machineActor, localDeliveries(sentMessages(released)));
        afterApplied(released);
        return released.length;
      }),
  };
};
