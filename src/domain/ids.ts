// Entity ids (UUIDv7: time-ordered keys insert faster in SQLite) and the short handles people type.
import { v5 as uuidv5 } from "uuid";
import { createUuidV7 } from "./uuid-v7.ts";

export type IdDep = { readonly newId: () => string };

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const createIdGenerator = (): IdDep => ({ newId: createUuidV7() });

/** A fixed namespace for Claire's name-based (v5) ids, so every machine derives the same id. */
const CLAIRE_NAMESPACE = "6f1c9a52-3d0e-4b8a-9e57-2a4c1f7d8b90";

/** Deterministic id from parts: the same inputs give the same id on every machine. */
export const derivedId = (...parts: readonly string[]): string =>
  uuidv5(parts.join("\u0000"), CLAIRE_NAMESPACE);

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
