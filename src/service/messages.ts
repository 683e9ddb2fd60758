// Message operations: send to a session, group, machine or everyone; this machine creates the
// deliveries of its own target sessions (deterministic ids, so duplicates merge); inbox reads and
// delivery state changes (only ever upwards).
import type { Actor } from "../domain/actor.ts";
import { notFound, type ServiceError, validationError } from "../domain/errors.ts";
import type { EventDraft } from "../domain/events.ts";
import { shortHandle, UUID_RE } from "../domain/ids.ts";
import { eventStamp, hlcMs } from "../domain/merge.ts";
import {
  type DeliveryState,
  deliveryId,
  deliveryRank,
  type Message,
  type MessageTarget,
  SendMessageInputSchema,
} from "../domain/message.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { parseSessionKey, type SessionRef, sessionKey } from "../domain/session-ref.ts";
import { isMessageTarget, type TargetCandidate } from "../domain/targets.ts";
import type { InboxItem } from "../store/queries/messages.ts";
import { currentSessionKey } from "./agent-succession.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import { ownedProjects } from "./owned-projects.ts";
import { createReach, type MessageReach } from "./reach.ts";
import type { Resolvers } from "./resolve.ts";

export type SentMessage = {
  readonly message: Message;
  /** Deliveries made on this machine (other machines make their own sessions' as they sync). */
  readonly localTargets: number;
  /** Sessions, on any machine this one knows of, that have not ended and will get it. */
  readonly reaches: number;
  /** What the sender should know before relying on it: the session has ended, nobody is reached. */
  readonly warning: string | null;
};

/** Why a sent message may not be read soon, in words for the person or agent who sent it. */
const reachWarning = (target: MessageTarget, reach: MessageReach): string | null => {
  if (reach.session?.ended)
    return `session ${shortHandle(reach.session.ref.sessionId)} has ended: the message waits in its inbox and is shown if the conversation is resumed (claude --resume)`;
  if (target.kind !== "session" && reach.sessions.length === 0)
    return `no running session is reached now: a session that starts later does not get messages sent before it`;
  return null;
};

export const createMessageOps = ({ store, ids, machine }: ServiceDeps, resolve: Resolvers) => {
  const { messageReach } = createReach({ store, machine });
  const parseTarget = (to: string): Result<MessageTarget, ServiceError> => {
    const t = to.trim();
    if (t === "all" || t === "*") return ok({ kind: "all" });
    const i = t.indexOf(":");
    const kind = i > 0 ? t.slice(0, i) : "session";
    const value = i > 0 ? t.slice(i + 1) : t;
    switch (kind) {
      case "group": {
        const g = resolve.group(value);
        return g.ok ? ok({ kind: "group", groupId: g.value }) : g;
      }
      case "machine": {
        if (UUID_RE.test(value)) return ok({ kind: "machine", machineId: value });
        const m = resolve.machine(value);
        return m.ok ? ok({ kind: "machine", machineId: m.value }) : m;
      }
      case "session": {
        const s = resolve.session(value);
        return s.ok ? ok({ kind: "session", session: s.value }) : s;
      }
      default:
        return err(
          validationError(`unknown target '${to}'`, [
            { path: "to", message: "use all, group:<name>, machine:<id|name> or session:<id>" },
          ]),
        );
    }
  };

  /**
   * Deliveries for this machine's sessions that the given messages target and that have none yet.
   * Called inside the write transaction that stores the messages (local send or sync ingest).
   */
  const localDeliveries = (
    messages: readonly { id: string; hlc: string; target: MessageTarget }[],
  ): EventDraft[] => {
    if (messages.length === 0) return [];
    const drafts: EventDraft[] = [];
    const add = (messageId: string, session: SessionRef) => {
      const id = deliveryId(messageId, session);
      if (store.q.messages.deliveryState(id) !== null || drafts.some((d) => d.entityId === id)) return;
      drafts.push({
        type: "delivery.recorded",
        entityId: id,
        data: { messageId, session, state: "pending" },
      });
    };
    // A message to one session waits for it even while it is not running (a session is resumed
    // later), and follows its successions: after /clear the conversation goes on under a new id
    // (from a session that has ended; one running again gets its own messages).
    for (const m of messages) {
      if (m.target.kind !== "session" || m.target.session.machineId !== machine.machineId) continue;
      const key = currentSessionKey(store, sessionKey(m.target.session));
      if (store.q.sessions.getRow(key)) add(m.id, parseSessionKey(key)!);
    }
    const broadcasts = messages.filter((m) => m.target.kind !== "session");
    if (broadcasts.length === 0) return drafts;
    const rows = store.q.sessions.list({ machineId: machine.machineId, limit: 100_000, offset: 0 }).sessions;
    for (const m of broadcasts) {
      const stamp = eventStamp(m);
      const ms = hlcMs(m.hlc);
      const group =
        m.target.kind === "group"
          ? {
              rules: store.q.groups.get(m.target.groupId)?.rules ?? [],
              members: store.q.groups.memberStamps(m.target.groupId),
            }
          : null;
      for (const s of rows) {
        const key = `${s.machineId}/${s.sessionId}`;
        const candidate: TargetCandidate = {
          key,
          machineId: s.machineId,
          machineName: machine.machineName,
          cwd: s.cwd,
          firstActivityMs: s.firstActivity ? Date.parse(s.firstActivity) : null,
          endedBeforeMessage: s.state === "ended" && s.stateSince !== null && Date.parse(s.stateSince) < ms,
          projects: m.target.kind === "group" ? ownedProjects(store, s) : [],
        };
        if (!isMessageTarget(m.target, stamp, ms, candidate, group)) continue;
        add(m.id, { machineId: s.machineId, sessionId: s.sessionId });
      }
    }
    return drafts;
  };

  const setDeliveryState = (
    actor: Actor,
    sessionInput: string,
    messageInputs: readonly string[] | "all",
    state: DeliveryState,
  ): Result<InboxItem[], ServiceError> =>
    store.write(() => {
      const s = resolve.session(sessionInput);
      if (!s.ok) return s;
      const inbox = store.q.messages.inbox(s.value.machineId, s.value.sessionId, true);
      let chosen: InboxItem[];
      if (messageInputs === "all")
        chosen = inbox.filter((i) => deliveryRank(i.delivery.state) < deliveryRank(state));
      else {
        chosen = [];
        // A hook marks the messages it printed by their full ids: found without a lookup each.
        const byId = new Map(inbox.map((i) => [i.message.id, i]));
        for (const input of messageInputs) {
          const known = byId.get(input);
          const id = known ? { ok: true as const, value: input } : store.q.resolve("messages", input);
          if (!id.ok) return id;
          const item = known ?? byId.get(id.value);
          if (!item) return err(notFound("message in this session's inbox", input));
          if (deliveryRank(item.delivery.state) < deliveryRank(state)) chosen.push(item);
        }
      }
      store.log.append(
        actor,
        chosen.map((i) => ({
          type: "delivery.recorded" as const,
          entityId: i.delivery.id,
          data: { messageId: i.message.id, session: i.delivery.session, state },
        })),
      );
      const after = store.q.messages.inbox(s.value.machineId, s.value.sessionId, true);
      return ok(after.filter((i) => chosen.some((c) => c.delivery.id === i.delivery.id)));
    });

  return {
    localDeliveries,

    sendMessage: (actor: Actor, input: unknown): Result<SentMessage, ServiceError> => {
      const parsed = parseInput(SendMessageInputSchema, input, "message");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const target = parseTarget(parsed.value.to);
        if (!target.ok) return target;
        const id = ids.newId();
        const [event] = store.log.append(actor, [
          { type: "message.sent", entityId: id, data: { body: parsed.value.body, target: target.value } },
        ]);
        const deliveries = localDeliveries([{ id, hlc: event!.hlc, target: target.value }]);
        store.log.append({ kind: "machine", id: machine.machineId }, deliveries);
        const reach = messageReach(target.value);
        return ok({
          message: store.q.messages.get(id)!,
          localTargets: deliveries.length,
          reaches: reach.sessions.length,
          warning: reachWarning(target.value, reach),
        });
      });
    },

    getMessage: (input: string): Result<Message, ServiceError> => {
      const id = store.q.resolve("messages", input);
      if (!id.ok) return id;
      const m = store.q.messages.get(id.value);
      return m ? ok(m) : err(notFound("message", input));
    },

    listMessages: (limit = 100): Message[] => store.q.messages.list(Math.min(limit, 1000)),

    inbox: (sessionInput: string, opts: { all?: boolean } = {}): Result<InboxItem[], ServiceError> => {
      const s = resolve.session(sessionInput);
      if (!s.ok) return s;
      return ok(store.q.messages.inbox(s.value.machineId, s.value.sessionId, opts.all ?? false));
    },

    /** Marks messages delivered: only call once they were shown to the agent whole. */
    markDelivered: (actor: Actor, sessionInput: string, messages: readonly string[] | "all") =>
      setDeliveryState(actor, sessionInput, messages, "delivered"),

    acknowledge: (actor: Actor, sessionInput: string, messages: readonly string[] | "all") =>
      setDeliveryState(actor, sessionInput, messages, "acknowledged"),
  };
};
