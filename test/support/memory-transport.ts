// An in-memory sync transport: peers are TempClaire services addressed by a fake URL, with
// injectable faults (drop a request, lose a response, deliver a push twice, reorder events).
import type { Service } from "../../src/service/index.ts";
import type { EventsPage } from "../../src/service/sync.ts";
import { PeerError, type PeerTarget, type SyncTransport } from "../../src/sync/transport.ts";

/** "drop": the request never arrives; "lose": applied, reply lost; "duplicate": applied twice. */
export type Delivery = "drop" | "lose" | "duplicate" | "ok";
export type Op = "get" | "post" | "summary" | "contacts";

export type Faults = {
  /** Called per request. */
  readonly decide?: (peer: string, op: Op) => Delivery;
  /** Rewrites a page before the puller sees it (e.g. to model an old-style cursor). */
  readonly rewritePage?: (peer: string, page: EventsPage) => EventsPage;
  /** Reorders the events of a page or of a push body on the way. */
  readonly reorder?: <T>(events: T[]) => T[];
  /** Sees every push body that arrives (tests replay them later). */
  readonly onPost?: (peer: string, events: readonly unknown[]) => void;
};

/** The reply body of POST /sync/events for an ingest report, as the HTTP route builds it. */
export const pushReply = (service: Service, events: unknown[]) => {
  const { outcomes, ...r } = service.ingestEvents(events, "push");
  return {
    ...r,
    results: outcomes.map((o) => ({
      id: o.id,
      status: o.status,
      ...("reason" in o ? { reason: o.reason } : {}),
    })),
  };
};

export const createMemoryTransport = (nodes: Map<string, Service>, faults: Faults = {}): SyncTransport => {
  const node = (peer: PeerTarget): Service => {
    const s = nodes.get(peer.url);
    if (!s) throw new PeerError(`cannot reach ${peer.url}: no such node`);
    return s;
  };
  // JSON round trip: the puller must only ever see what the wire could carry.
  const wire = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));
  const reorder = <T>(xs: T[]): T[] => (faults.reorder ? faults.reorder(xs) : xs);
  const gate = <T>(peer: PeerTarget, op: Op, fn: (times: number) => T): T => {
    const d = faults.decide?.(peer.url, op) ?? "ok";
    if (d === "drop") throw new PeerError(`cannot reach ${peer.url}: dropped`);
    const out = fn(d === "duplicate" ? 2 : 1);
    if (d === "lose") throw new PeerError(`cannot reach ${peer.url}: response lost`);
    return out;
  };
  return {
    getEvents: async (peer, after, limit) =>
      gate(peer, "get", () => {
        const raw = node(peer).eventsPage(after, limit);
        const page = faults.rewritePage ? faults.rewritePage(peer.url, raw) : raw;
        return wire({ ...page, events: reorder([...page.events]) });
      }),
    postEvents: async (peer, events) =>
      gate(peer, "post", (times) => {
        const body = reorder(wire(events) as unknown[]);
        faults.onPost?.(peer.url, body);
        let reply: unknown;
        for (let i = 0; i < times; i++) {
          const r = wire(pushReply(node(peer), body));
          if (i === 0) reply = r;
        }
        return reply;
      }),
    getSummary: async (peer) => gate(peer, "summary", () => wire(node(peer).syncSummary())),
    getContacts: async (peer) => gate(peer, "contacts", () => wire(node(peer).syncContacts())),
    // In memory there is no HTTP and no token: what a peer on loopback without one answers.
    getAuth: async (peer) =>
      gate(peer, "summary", () => {
        node(peer); // an unknown peer fails as it would
        return { token: "none", needed: false };
      }),
  };
};
