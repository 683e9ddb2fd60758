// API tokens this machine accepts: 256-bit random, shown once, stored as SHA-256, compared in
// constant time, revocable; and the dashboard sign-ins bought with them.
import { conflict, notFound, type ServiceError, validationError } from "../domain/errors.ts";
import { nodeCrypto } from "../domain/lazy-crypto.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { ServiceDeps } from "./context.ts";

export type TokenInfo = {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

const TOKEN_PREFIX = "claire_";
/** How long a dashboard sign-in lasts (the cookie's max-age too). */
export const SIGN_IN_TTL_MS = 12 * 60 * 60 * 1000;
/** Sign-ins kept at most; the oldest go first. */
const MAX_SIGN_INS = 1000;
// Keyed by the credential's hash: a copy of the database does not hand out working cookies.
const credentialHash = (credential: string): string =>
  nodeCrypto().createHash("sha256").update(credential, "utf8").digest("base64url");
const hashToken = (token: string): Buffer => nodeCrypto().createHash("sha256").update(token, "utf8").digest();
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const createTokenOps = ({ store, ids, now }: ServiceDeps) => {
  /** The id of the active token presented (compared in constant time with each), or null. */
  const matchToken = (presented: string): string | null => {
    const h = hashToken(presented);
    let match: string | null = null;
    for (const t of store.q.sync.activeTokenHashes()) {
      const stored = Buffer.from(t.hash, "hex");
      if (stored.length === h.length && nodeCrypto().timingSafeEqual(stored, h)) match = t.id;
    }
    if (match) store.q.sync.touchToken(match, now());
    return match;
  };
  const info = (r: {
    id: string;
    name: string;
    created_ms: number;
    revoked_ms: number | null;
    last_used_ms: number | null;
  }): TokenInfo => ({
    id: r.id,
    name: r.name,
    createdAt: iso(r.created_ms)!,
    revokedAt: iso(r.revoked_ms),
    lastUsedAt: iso(r.last_used_ms),
  });
  return {
    /** Makes a token; the secret is in the result only, never stored. */
    createToken: (name: string): Result<TokenInfo & { token: string }, ServiceError> => {
      const n = name.trim();
      if (!/^[\w.@-]{1,64}$/.test(n)) {
        return err(
          validationError("a token name is 1-64 letters, digits, '_', '.', '@' or '-'", [
            { path: "name", message: "invalid" },
          ]),
        );
      }
      return store.write(() => {
        if (store.q.sync.tokens().some((t) => t.name === n && t.revoked_ms === null)) {
          return err(conflict(`a token named '${n}' exists; revoke it first or pick another name`));
        }
        const token = TOKEN_PREFIX + nodeCrypto().randomBytes(32).toString("base64url");
        const id = ids.newId();
        store.q.sync.insertToken({ id, name: n, hash: hashToken(token).toString("hex"), created_ms: now() });
        return ok({
          ...info({ id, name: n, created_ms: now(), revoked_ms: null, last_used_ms: null }),
          token,
        });
      });
    },
    listTokens: (): TokenInfo[] => store.q.sync.tokens().map(info),
    /**
     * Revokes the active token named, or whose id is given whole, by its start, or by its end (the
     * ID `token list` shows: a UUIDv7's first digits are its time, shared by tokens made together).
     * Several matches revoke nothing.
     */
    revokeToken: (idOrName: string): Result<TokenInfo, ServiceError> =>
      store.write(() => {
        const active = store.q.sync.tokens().filter((r) => r.revoked_ms === null);
        const key = idOrName.trim().toLowerCase();
        const byName = active.filter((r) => r.name === idOrName.trim());
        const matches =
          byName.length > 0 || key === ""
            ? byName
            : active.filter((r) => r.id === key || r.id.startsWith(key) || r.id.endsWith(key));
        if (matches.length > 1)
          return err(
            conflict(
              `'${idOrName}' matches several active tokens: ${matches.map((t) => `${t.id.slice(-8)} (${t.name})`).join(", ")}; give the name or more of the id`,
            ),
          );
        const t = matches[0];
        if (!t) return err(notFound("active token", idOrName));
        store.q.sync.revokeToken(t.id, now());
        return ok(info({ ...t, revoked_ms: now() }));
      }),
    hasTokens: (): boolean => store.q.sync.activeTokenHashes().length > 0,
    /** Checks a presented token against every active one in constant time per comparison. */
    verifyToken: (presented: string): boolean => matchToken(presented) !== null,
    /**
     * A dashboard sign-in bought with a valid token: a random credential for the browser's cookie,
     * or null when the token is not accepted. Kept in the database (hashed), so it survives a
     * restart of the server; it lasts SIGN_IN_TTL_MS, or until its token is revoked.
     */
    signIn: (token: string): string | null => {
      const tokenId = matchToken(token);
      if (tokenId === null) return null;
      const credential = nodeCrypto().randomBytes(32).toString("base64url");
      // Local bookkeeping, not data: outside store.write, so no dashboard takes it for a change.
      store.q.sync.pruneSignIns(now(), MAX_SIGN_INS - 1);
      store.q.sync.insertSignIn(credentialHash(credential), tokenId, now() + SIGN_IN_TTL_MS);
      return credential;
    },
    /** Whether a sign-in's credential is current and the token it was bought with still active. */
    checkSignIn: (credential: string): boolean => {
      const h = credentialHash(credential);
      const s = store.q.sync.signIn(h);
      if (!s) return false;
      if (s.expires_ms >= now() && s.active === 1) {
        // As with the token itself: `claire token list` shows when a browser last used it.
        store.q.sync.touchToken(s.token_id, now());
        return true;
      }
      store.q.sync.deleteSignIn(h);
      return false;
    },
    /**
     * Through a write, so the change feed sees it: every open live page re-checks its sign-in then,
     * and the other tabs of this sign-in go to the sign-in page at once, not at their next keepalive.
     */
    signOut: (credential: string): void => {
      store.write(() => store.q.sync.deleteSignIn(credentialHash(credential)));
    },
  };
};
