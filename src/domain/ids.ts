// Entity ids (UUIDv7: time-ordered keys insert faster in SQLite) and the short handles people type.
import { nodeCrypto } from "./lazy-crypto.ts";
import { createUuidV7 } from "./uuid-v7.ts";

export type IdDep = { readonly newId: () => string };

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const createIdGenerator = (): IdDep => ({ newId: createUuidV7() });

/** A fixed namespace for Claire's name-based (v5) ids, so every machine derives the same id. */
const CLAIRE_NAMESPACE = "6f1c9a52-3d0e-4b8a-9e57-2a4c1f7d8b90";

const NAMESPACE_BYTES = Buffer.from(CLAIRE_NAMESPACE.replaceAll("-", ""), "hex");

/**
 * Deterministic id from parts: the same inputs give the same id on every machine. A UUIDv5
 * (RFC 9562 section 5.5: SHA-1 of namespace and name), made here rather than by the `uuid` package,
 * whose v5 loads node:crypto with the module: a command that never derives an id should not pay
 * for it (src/domain/lazy-crypto.ts). ids.test.ts checks it against `uuid`.
 */
export const derivedId = (...parts: readonly string[]): string => {
  const h = nodeCrypto()
    .createHash("sha1")
    .update(NAMESPACE_BYTES)
    .update(parts.join("\u0000"), "utf8")
    .digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.toString("hex", 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
};

/**
 * The short handle shown to people. UUIDv7s made in the same minute share their leading digits,
 * so the handle is taken from the random tail; v4 ids (Claude's session ids) are random
 * throughout and people already know them by their first digits.
 */
export const shortHandle = (id: string): string => {
  if (!UUID_RE.test(id)) return id.slice(0, 8);
  return id[14] === "7" ? id.slice(-8) : id.slice(0, 8);
};

/** Does `input` (a handle prefix or full-id prefix, any case, dashes optional) pick out `id`? */
export const matchesIdPrefix = (id: string, input: string): boolean => {
  const q = input.toLowerCase().replaceAll("-", "");
  if (q.length === 0) return false;
  if (id.replaceAll("-", "").startsWith(q)) return true;
  return shortHandle(id).startsWith(q);
};
