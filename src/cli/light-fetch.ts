// Just enough of the Fetch API's Request, Response and Headers for the API app to answer a CLI
// command in this process. Node's own classes live in undici, and the first touch of any of
// them loads it: 15-20 ms, more than the request itself (docs/performance.md). A process that
// runs the app in-process (the CLI, a hook, `claire mcp` when no server runs) never serves HTTP,
// so it installs these as the globals Hono creates its responses from (installLightFetch).
//
// What they cover is what Hono and the API's middleware use: headers (case-insensitive,
// iterated in sorted order like the real ones), a request with a text body and its
// content-length, responses with a string or bytes body read once as text, JSON or bytes.
// Anything else (streams as bodies, form data, a second read) throws rather than guesses.

type HeaderPairs = Iterable<readonly [string, string]>;
export type LightHeadersInit = LightHeaders | HeaderPairs | Record<string, string> | undefined;

export class LightHeaders {
  readonly #map = new Map<string, string>();

  constructor(init?: LightHeadersInit) {
    if (!init) return;
    // Pairs, or another LightHeaders (iterable as pairs too).
    if (Symbol.iterator in init) for (const [k, v] of init as HeaderPairs) this.append(k, v);
    else for (const [k, v] of Object.entries(init)) this.append(k, v);
  }

  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.#map.set(name.toLowerCase(), String(value));
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const current = this.#map.get(key);
    this.#map.set(key, current === undefined ? String(value) : `${current}, ${value}`);
  }
  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }
  getSetCookie(): string[] {
    const v = this.#map.get("set-cookie");
    return v === undefined ? [] : [v];
  }
  forEach(fn: (value: string, name: string, headers: LightHeaders) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
  *entries(): IterableIterator<[string, string]> {
    yield* [...this.#map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  *keys(): IterableIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  *values(): IterableIterator<string> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

type Body = string | Uint8Array | null;

const bodyOf = (body: unknown): Body => {
  if (body === null || body === undefined) return null;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError("this in-process Response takes a string or bytes as its body");
};

/** Reads a body once, the way Request and Response do. */
class OnceBody {
  #body: Body;
  #used = false;
  constructor(body: Body) {
    this.#body = body;
  }
  get bodyUsed(): boolean {
    return this.#used;
  }
  protected take(): Body {
    if (this.#used) throw new TypeError("body already read");
    this.#used = true;
    return this.#body;
  }
  protected peek(): Body {
    return this.#body;
  }
  async text(): Promise<string> {
    const b = this.take();
    return b === null ? "" : typeof b === "string" ? b : Buffer.from(b).toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.take();
    const bytes = b === null ? new Uint8Array(0) : typeof b === "string" ? Buffer.from(b, "utf8") : b;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }
}

export type LightRequestInit = {
  readonly method?: string;
  readonly headers?: LightHeadersInit;
  readonly body?: string | null;
};

export class LightRequest extends OnceBody {
  readonly url: string;
  readonly method: string;
  readonly headers: LightHeaders;
  readonly signal: AbortSignal = new AbortController().signal;

  constructor(url: string, init: LightRequestInit = {}) {
    const body = init.body ?? null;
    super(body);
    this.url = url;
    this.method = (init.method ?? "GET").toUpperCase();
    this.headers = new LightHeaders(init.headers);
    if (body !== null) this.headers.set("content-length", String(Buffer.byteLength(body)));
  }

  /** Truthy when there is a body (body-limit middleware asks; content-length says how big). */
  get body(): { readonly locked: false } | null {
    return this.peek() === null ? null : { locked: false };
  }

  clone(): LightRequest {
    const body = this.peek();
    return new LightRequest(this.url, {
      method: this.method,
      headers: this.headers,
      body: body === null ? null : typeof body === "string" ? body : Buffer.from(body).toString("utf8"),
    });
  }
}

export type LightResponseInit = {
  readonly status?: number;
  readonly statusText?: string;
  readonly headers?: LightHeadersInit;
};

export class LightResponse extends OnceBody {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LightHeaders;

  constructor(body?: unknown, init: LightResponseInit = {}) {
    super(bodyOf(body));
    this.status = init.status ?? 200;
    this.statusText = init.statusText ?? "";
    this.headers = new LightHeaders(init.headers);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get body(): null {
    if (this.peek() === null) return null;
    throw new TypeError(
      "this in-process Response has no stream; read it with text(), json() or arrayBuffer()",
    );
  }

  static json(data: unknown, init: LightResponseInit = {}): LightResponse {
    const headers = new LightHeaders(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new LightResponse(JSON.stringify(data), { ...init, headers });
  }
}

/**
 * Makes Request, Response and Headers these classes in this process, so that Hono never loads
 * undici. Only for processes that run the app in-process and serve no HTTP themselves.
 */
export const installLightFetch = (): void => {
  for (const [name, value] of [
    ["Headers", LightHeaders],
    ["Request", LightRequest],
    ["Response", LightResponse],
  ] as const) {
    // Deleted first: redefining Node's lazy global in place loads undici all the same.
    delete (globalThis as Record<string, unknown>)[name];
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
};
