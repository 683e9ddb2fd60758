// An in-memory sync transport: peers are TempClaire services addressed by a fake URL, with
// injectable faults (drop a request, lose a response, duplicate a delivery).
import type { Service } from "../../src/service/index.ts";
import type { EventsPage } from "../../src/service/sync.ts";
import { PeerError, type PeerTarget, type SyncTransport } from "../../src/sync/transport.ts";

export type Faults = {
  /** Called per request; return "drop" (request never arrives), "lose" (applied, reply lost) or "ok". */
  readonly decide?: (peer: string, op: "get" | "post" | "summary") => "drop" | "lose" | "ok";
  /** Rewrites a page before the puller sees it (e.g. to model an old-style cursor). */
  readonly rewritePage?: (peer: string, page: EventsPage) => EventsPage;
};

export const createMemoryTransport = (nodes: Map<string, Service>, faults: Faults = {}): SyncTransport => {
  const node = (peer: PeerTarget): Service => {
    const s = nodes.get(peer.url);
    if (!s) throw new PeerError(`cannot reach ${peer.url}: no such node`);
    return s;
  };
  // JSON round trip: the puller must only ever see what the wire could carry.
  const wire = <T>(v: T): unknown => JSON.parse(JSON.stringify(v));
  const gate = <T>(peer: PeerTarget, op: "get" | "post" | "summary", fn: () => T): T => {
    const d = faults.decide?.(peer.url, op) ?? "ok";
    if (d === "drop") throw new PeerError(`cannot reach ${peer.url}: dropped`);
    const out = fn();
    if (d === "lose") throw new PeerError(`cannot reach ${peer.url}: response lost`);
    return out;
  };
  return {
    getEvents: async (peer, after, limit) =>
      gate(peer, "get", () => {
        const page = node(peer).eventsPage(after, limit);
        return wire(faults.rewritePage ? faults.rewritePage(peer.url, page) : page);
      }),
    postEvents: async (peer, events) =>
      gate(peer, "post", () => {
        const { outcomes, ...r } = node(peer).ingestEvents(wire(events) as unknown[], "push");
        return wire({
          ...r,
          results: outcomes.map((o) => ({
            id: o.id,
            status: o.status,
            ...("reason" in o ? { reason: o.reason } : {}),
          })),
        });
      }),
    getSummary: async (peer) => gate(peer, "summary", () => wire(node(peer).syncSummary())),
  };
};
