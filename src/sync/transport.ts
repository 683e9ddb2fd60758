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
  readonly getContacts: (peer: PeerTarget) => Promise<unknown>;
  /** GET /auth: whether the peer accepts our token (`claire doctor`). */
  readonly getAuth: (peer: PeerTarget) => Promise<unknown>;
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

export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const MAX_DETAIL_CHARS = 300;

// Control characters (newlines and colour codes included), line and paragraph separators, bidi
// overrides: what could fake lines or rows, or recolour, wherever a peer's words are shown.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A peer's own words (its problem `detail`), made one safe line of bounded length. */
export const peerText = (text: string): string => {
  const one = text.replace(UNSAFE_IN_LINE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return one.length > MAX_DETAIL_CHARS ? `${one.slice(0, MAX_DETAIL_CHARS - 1)}…` : one;
};

class Oversized extends Error {}

/**
 * The body as text, read no further than `max` bytes: an answer from a peer (or from whatever a
 * wrong peer URL points at) must not fill this process's memory before it is refused.
 */
const readCapped = async (res: Response, max: number): Promise<string> => {
  const declared = Number(res.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    throw new Oversized();
  }
  if (res.body === null) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new Oversized();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString("utf8");
};

export const createHttpTransport = (
  opts: { timeoutMs?: number; actor?: string; maxResponseBytes?: number } = {},
): SyncTransport => {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxResponseBytes ?? MAX_RESPONSE_BYTES;
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
      text = await readCapped(res, maxBytes);
    } catch (e) {
      if (e instanceof Oversized)
        throw new PeerError(
          `${peer.url} sent an answer larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; refused unread`,
          res.status,
        );
      if (isTimeout(e))
        throw new PeerError(`${peer.url} did not finish its answer within ${timeoutMs} ms`, null, true);
      throw new PeerError(`${peer.url} broke off its answer: ${peerText((e as Error).message)}`);
    }
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
        `${peer.url} answered HTTP ${res.status}${typeof detail === "string" ? `: ${peerText(detail)}` : ""}${hint}`,
        res.status,
      );
    }
    return parsed;
  };
  return {
    getEvents: (peer, after, limit) => call(peer, "GET", `/api/v1/sync/events?after=${after}&limit=${limit}`),
    postEvents: (peer, events) => call(peer, "POST", "/api/v1/sync/events", { events }),
    getSummary: (peer) => call(peer, "GET", "/api/v1/sync/summary"),
    getContacts: (peer) => call(peer, "GET", "/api/v1/sync/contacts"),
    getAuth: (peer) => call(peer, "GET", "/api/v1/auth"),
  };
};
