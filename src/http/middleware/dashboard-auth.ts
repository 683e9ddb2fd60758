// Dashboard sign-in off loopback: browsers cannot send a bearer header, so a person pastes an API
// token once on /sign-in and gets an HttpOnly, SameSite=Strict cookie holding a random session
// credential bound to that token. Every request re-checks the token, so revoking it (claire token
// revoke) signs its browsers out. Sign-ins are kept (hashed) in the database by the service
// (service/tokens.ts), so restarting the server signs nobody out.
// Where a request needs no token (loopback, unless auth.require = "always"), nothing is asked.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { SIGN_IN_TTL_MS } from "../../service/tokens.ts";
import { type AuthDeps, isLoopbackAddress } from "./auth.ts";

export const SIGN_IN_COOKIE = "claire_session";
export { SIGN_IN_TTL_MS };

export type SignIns = {
  /** A credential for a valid token, or null when the token is not accepted here. */
  readonly signIn: (token: string) => string | null;
  /** Whether a credential is current and its token still valid. */
  readonly check: (credential: string) => boolean;
  readonly signOut: (credential: string) => void;
};

const remoteAddress = (env: unknown): string | undefined =>
  (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;

/** Whether this request must be signed in: the same rule as bearerAuth for the API. */
export const needsSignIn = (auth: AuthDeps | undefined, env: unknown): boolean =>
  auth !== undefined && (auth.require === "always" || !isLoopbackAddress(remoteAddress(env)));

export type SignInEnv = { Variables: { signedIn: boolean } };

/**
 * Lets a request through when it needs no sign-in or carries a valid cookie. Otherwise a page
 * request is redirected to /sign-in (coming back afterwards); other requests get 401.
 */
export const dashboardAuth =
  (
    auth: AuthDeps | undefined,
    signIns: SignIns,
    isOpen: (path: string) => boolean,
  ): MiddlewareHandler<SignInEnv> =>
  async (c, next) => {
    c.set("signedIn", false);
    if (!needsSignIn(auth, c.env) || isOpen(c.req.path)) return next();
    const credential = getCookie(c, SIGN_IN_COOKIE);
    if (credential && signIns.check(credential)) {
      c.set("signedIn", true);
      return next();
    }
    const page = (c.req.method === "GET" || c.req.method === "HEAD") && c.req.header("hx-request") !== "true";
    if (page && !c.req.path.startsWith("/live/")) {
      const url = new URL(c.req.url);
      return c.redirect(`/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    return c.text("Sign in first: /sign-in", 401);
  };
