// The contract between session discovery and its callers (the API's refresh route, serve).
export type RefreshReport = {
  /** Sessions on this machine known after the refresh. */
  readonly sessions: number;
  /** Sessions whose recorded facts changed (an event was appended). */
  readonly changed: number;
  /** Sessions newly recorded as ended. */
  readonly ended: number;
  readonly filesRead: number;
  readonly bytesRead: number;
  readonly badLines: number;
  /** Problems that did not stop the refresh (an unreadable config dir, a failing lister command). */
  readonly errors: readonly string[];
  readonly ms: number;
};

export type SessionRefresher = { readonly refresh: () => Promise<RefreshReport> };
