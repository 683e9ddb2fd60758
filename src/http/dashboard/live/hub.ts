// The browsers following pages live: which page each one shows and the hash of every section last
// sent to it, so a change sends each browser only the sections that differ from what it has.
export type RenderedSection = { readonly html: string; readonly hash: string };
export type Rendered = ReadonlyMap<string, RenderedSection>;

export type LiveClient = {
  readonly id: string;
  /** Path and query of the page it shows. */
  readonly url: string;
  readonly sent: Map<string, string>;
};

export const createLiveHub = () => {
  const clients = new Map<string, LiveClient>();
  return {
    /** A (re)connecting page; a reconnect replaces the earlier entry of the same client id. */
    open: (id: string, url: string): LiveClient => {
      const c: LiveClient = { id, url, sent: new Map() };
      clients.set(id, c);
      return c;
    },
    close: (c: LiveClient): void => {
      if (clients.get(c.id) === c) clients.delete(c.id);
    },
    get: (id: string): LiveClient | undefined => clients.get(id),
    size: (): number => clients.size,
    /** Records sections as already shown (the page was rendered with them). */
    remember: (c: LiveClient, rendered: Rendered): void => {
      for (const [id, r] of rendered) c.sent.set(id, r.hash);
    },
    /** The HTML of the sections that differ from what the client last got, now counted as sent. */
    take: (c: LiveClient, rendered: Rendered): string => {
      let out = "";
      for (const [id, r] of rendered) {
        if (c.sent.get(id) === r.hash) continue;
        c.sent.set(id, r.hash);
        out += r.html;
      }
      return out;
    },
  };
};

export type LiveHub = ReturnType<typeof createLiveHub>;
