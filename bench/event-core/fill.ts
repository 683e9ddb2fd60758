// Filling a fresh Claire with n events of the event mix, through the store the way the service
// writes: store.write (BEGIN IMMEDIATE) around store.log.append, `batch` drafts per transaction.
import { createEventMix } from "../support/event-mix.ts";
import type { FreshClaire } from "../support/fresh-claire.ts";

export const APPEND_BATCH = 1_000;

/** Appends the mix's setup and then n drafts; returns the seconds spent (setup included). */
export const fillLog = (c: FreshClaire, n: number, seed = 1, batch = APPEND_BATCH): number => {
  const mix = createEventMix(seed);
  const start = process.hrtime.bigint();
  c.store.write(() => c.store.log.append(c.actor, mix.setup));
  for (let done = 0; done < n; done += batch) {
    const drafts = mix.batch(Math.min(batch, n - done));
    c.store.write(() => c.store.log.append(c.actor, drafts));
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
};

/** Splits a list into chunks of `size`. */
export const chunks = <T>(xs: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
};
