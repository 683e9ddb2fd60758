// The Hono environment shared by every route: the service, the caller's actor, Claire's version,
// and the long-lived parts of this process (session discovery, sync) when it has them.
import type { Actor } from "../domain/actor.ts";
import type { ChangeFeed } from "../runtime/change-feed.ts";
import type { Service } from "../service/index.ts";
import type { SessionRefresher } from "../sessions/refresher.ts";
import type { PeerRound } from "../sync/sync-peer.ts";

export type SyncControl = {
  readonly runNow: (peer?: string) => Promise<PeerRound[]>;
  /** Called after each successful write request, so peers hear of it soon. */
  readonly nudge: () => void;
  readonly verify: (peer?: string) => Promise<unknown>;
  /** The configured peer named by URL or name, or null: a peer not configured is a 404. */
  readonly findPeer: (peer: string) => { readonly url: string; readonly name?: string | undefined } | null;
  readonly peers: () => readonly { readonly url: string; readonly name?: string | undefined }[];
};

export type TokenVerdict = "accepted" | "refused" | "none";

export type AppEnv = {
  Variables: {
    service: Service;
    actor: Actor;
    version: string;
    sessions: SessionRefresher | null;
    sync: SyncControl | null;
    /** Database changes, for server-sent events; null in the in-process CLI. */
    changes: ChangeFeed | null;
    /** The request's bearer token, checked even where none is needed (GET /auth reports it). */
    token?: TokenVerdict;
    /** Whether this request needed a token (auth.require, and where it comes from). */
    tokenNeeded?: boolean;
  };
};
