// Retries with exponential backoff and full jitter, for transient network faults only: a peer that
// answers with a 4xx (bad token, protocol) is not asked again in the same round, and neither is one
// that did not answer within the timeout (the round would hang for attempts x timeout; the next
// round comes within one interval anyway).
import { PeerError } from "./transport.ts";

export type RetryDeps = {
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly attempts?: number;
  readonly baseDelayMs?: number;
};

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const isTransient = (e: unknown): boolean =>
  e instanceof PeerError ? !e.timedOut && (e.status === null || e.status >= 500 || e.status === 429) : true;

export const withRetry = async <T>(fn: () => Promise<T>, deps: RetryDeps): Promise<T> => {
  const attempts = deps.attempts ?? 3;
  const base = deps.baseDelayMs ?? 200;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      if (!isTransient(e) || i === attempts - 1) break;
      await sleep(random() * base * 2 ** i);
    }
  }
  throw last;
};
