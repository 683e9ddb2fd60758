// Hand-written checks of the inputs a hook sends on every prompt (who acts, which session, what
// Claude Code reported), so that a hook process never loads zod or builds a schema: that was the
// largest part of its start-up (docs/performance.md). As with event data (event-data-fast.ts),
// each check is narrower than its schema and answers only "the schema accepts this unchanged"
// (true) or "ask the schema" (false), so refusals and their reasons stay the schema's.
// fast-accept.test.ts compares them with the schemas on generated input.
import { ACTOR_KINDS, type Actor } from "./actor.ts";
import type { SessionFacts } from "./session.ts";
import type { SessionRef } from "./session-ref.ts";
import { SESSION_STATES } from "./vocabulary.ts";

type Obj = Record<string, unknown>;

/** A plain object (what JSON.parse makes): not an array, a class instance or null. */
export const isPlainObject = (x: unknown): x is Obj =>
  typeof x === "object" && x !== null && Object.getPrototypeOf(x) === Object.prototype;

/** Every own key of `x` is one of `allowed` (a strict object's rule). */
const onlyKeys = (x: Obj, allowed: ReadonlySet<string>): boolean => {
  for (const k in x) if (!allowed.has(k)) return false;
  return true;
};

export const str = (x: unknown, max: number): x is string => typeof x === "string" && x.length <= max;
/** `.nullable().optional()` of a string: absent, undefined, null or short enough. */
export const optStr = (x: unknown, max: number): boolean => x === undefined || x === null || str(x, max);
export const int = (x: unknown, min: number, max: number): x is number =>
  Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max;

const KINDS: ReadonlySet<string> = new Set(ACTOR_KINDS);
const ACTOR_KEYS: ReadonlySet<string> = new Set(["kind", "id"]);

export const actorAccepted = (x: unknown): x is Actor =>
  isPlainObject(x) &&
  onlyKeys(x, ACTOR_KEYS) &&
  typeof x.kind === "string" &&
  KINDS.has(x.kind) &&
  typeof x.id === "string" &&
  x.id.length >= 1 &&
  x.id.length <= 200;

/** Lowercase RFC 9562 UUIDs: what every machine and event id is (z.uuid() also takes uppercase). */
export const LOWER_UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const REF_KEYS: ReadonlySet<string> = new Set(["machineId", "sessionId"]);

export const sessionIdAccepted = (x: unknown): x is string => typeof x === "string" && SESSION_ID.test(x);

export const sessionRefAccepted = (x: unknown): x is SessionRef =>
  isPlainObject(x) &&
  onlyKeys(x, REF_KEYS) &&
  typeof x.machineId === "string" &&
  LOWER_UUID_RE.test(x.machineId) &&
  sessionIdAccepted(x.sessionId);

/** What Date#toISOString writes: the one form of ISO-8601 Claire itself produces. */
const ISO_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const isoOrNull = (x: unknown): boolean =>
  x === undefined || x === null || (typeof x === "string" && ISO_UTC.test(x));
const count = (x: unknown): boolean => x === undefined || int(x, 0, Number.MAX_SAFE_INTEGER);
const pidOrNull = (x: unknown): boolean =>
  x === undefined || x === null || int(x, 0, Number.MAX_SAFE_INTEGER);
const STATES: ReadonlySet<string> = new Set(SESSION_STATES);

const FACT_CHECKS: Readonly<Record<string, (x: unknown) => boolean>> = {
  cwd: (x) => optStr(x, 4096),
  gitBranch: (x) => optStr(x, 512),
  version: (x) => optStr(x, 64),
  title: (x) => optStr(x, 500),
  model: (x) => optStr(x, 200),
  transcriptPath: (x) => optStr(x, 4096),
  source: (x) => optStr(x, 64),
  pid: pidOrNull,
  parentPid: pidOrNull,
  firstActivity: isoOrNull,
  lastActivity: isoOrNull,
  userMessages: count,
  assistantMessages: count,
  costUsd: (x) => x === undefined || x === null || (typeof x === "number" && Number.isFinite(x) && x >= 0),
  state: (x) => x === undefined || (typeof x === "string" && STATES.has(x)),
  stateReason: (x) => optStr(x, 200),
  // tokens: left to the schema (a hook never reports them)
};

export const sessionFactsAccepted = (x: unknown): x is SessionFacts => {
  if (!isPlainObject(x)) return false;
  for (const k in x) {
    const check = FACT_CHECKS[k];
    if (check === undefined || !check(x[k])) return false;
  }
  return true;
};
