// The contract between session discovery and its callers (the API's refresh route, serve).
import type { SessionState } from "../domain/session.ts";

/** One session whose recorded facts changed in a refresh. */
export type SessionChange = {
  readonly sessionId: string;
  /** The short handle the CLI shows and accepts. */
  readonly handle: string;
  /** The fields an event recorded. */
  readonly fields: readonly string[];
  /** First time this machine records the session. */
  readonly isNew: boolean;
  /** The session's state after the refresh. */
  readonly state: SessionState;
  readonly cwd: string | null;
  /** As shown on this machine (also when sessions.share_titles keeps it out of events). */
  readonly title: string | null;
};

export type RefreshReport = {
  /** Sessions on this machine known after the refresh. */
  readonly sessions: number;
  /** Of those, sessions running now (working, waiting or idle). */
  readonly live: number;
  /** Sessions whose recorded facts changed (an event was appended). */
  readonly changed: number;
  /** Known sessions newly recorded as ended (not counting ones first seen already ended). */
  readonly ended: number;
  /** Sessions whose activity-only change waits for the 15 s throttle; recorded later. */
  readonly deferred: number;
  readonly filesRead: number;
  readonly bytesRead: number;
  readonly badLines: number;
  /** Problems that did not stop the refresh (an unreadable config dir, a failing lister command). */
  readonly errors: readonly string[];
  readonly ms: number;
  /** The sessions counted in `changed`, most recently active first. */
  readonly changes: readonly SessionChange[];
};

export type RefreshOptions = {
  /** Also ask `claude agents --json` (starts a process, ~0.2 s). */
  readonly agents?: boolean;
};

export type SessionRefresher = { readonly refresh: (options?: RefreshOptions) => Promise<RefreshReport> };
