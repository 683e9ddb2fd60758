// How a puller reaches a peer. Declared here, where it is used; the HTTP implementation is below
// and tests plug in an in-memory one (with faults) instead.
export type PeerTarget = {
  readonly url: string;
  readonly token?: string | undefined;
  /** Its name in claire.toml, if it has one. */
  readonly name?: string | undefined;
};

export type SyncTransport = {
  readonly getEvents: (peer: PeerTarget, after: number, limit: number) => Promise<unknown>;
  readonly postEvents: (peer: PeerTarget, events: readonly unknown[]) => Promise<unknown>;
  readonly getSummary: (peer: PeerTarget) => Promise<unknown>;
};

export class PeerError extends Error {
  readonly status: number | null;
  /** The peer did not answer in time (a black hole): not worth retrying within the same round. */
  readonly timedOut: boolean;
  constructor(message: string, status: number | null = null, timedOut = false) {
    super(message);
    this.status = status;
    this.timedOut = timedOut;
  }
}

const isTimeout = (e: unknown) => (e as { name?: string } | null)?.name === "TimeoutError";

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export const createHttpTransport = (opts: { timeoutMs?: number; actor?: string } = {}): SyncTransport => {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const call = async (peer: PeerTarget, method: string, path: string, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (peer.token) headers.authorization = `Bearer ${peer.token}`;
    if (opts.actor) headers["x-claire-actor"] = opts.actor;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await fetch(`${peer.url.replace(/\/+$/, "")}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      if (isTimeout(e)) throw new PeerError(`${peer.url} did not answer within ${timeoutMs} ms`, null, true);
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new PeerError(`cannot reach ${peer.url}: ${cause ?? (e as Error).message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if (isTimeout(e))
        throw new PeerError(`${peer.url} did not finish its answer within ${timeoutMs} ms`, null, true);
      throw new PeerError(`${peer.url} broke off its answer: ${(e as Error).message}`);
    }
    if (text.length > MAX_RESPONSE_BYTES)
      throw new PeerError(`${peer.url} sent an oversized response`, res.status);
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new PeerError(`${peer.url} answered HTTP ${res.status} with a body that is not JSON`, res.status);
    }
    if (!res.ok) {
      const detail = (parsed as { detail?: unknown } | null)?.detail;
      const hint = res.status === 401 ? " (check the peer's token in claire.toml)" : "";
      throw new PeerError(
        `${peer.url} answered HTTP ${res.status}${typeof detail === "string" ? `: ${detail}` : ""}${hint}`,
        res.status,
      );
    }
    return parsed;
  };
  return {
    getEvents: (peer, after, limit) => call(peer, "GET", `/api/v1/sync/events?after=${after}&limit=${limit}`),
    postEvents: (peer, events) => call(peer, "POST", "/api/v1/sync/events", { events }),
    getSummary: (peer) => call(peer, "GET", "/api/v1/sync/summary"),
  };
};
