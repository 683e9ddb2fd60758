// Advancing the clock on a local event or a received one (Kulkarni et al. 2014), with the drift guard.
import { err, ok, type Result } from "../domain/result.ts";
import { HLC_MAX_COUNTER, HLC_MAX_MS, type Hlc } from "./hlc.ts";

export type HlcDriftError = {
  readonly type: "HlcDriftError";
  readonly remote: Hlc;
  readonly now: number;
  readonly maxDriftMs: number;
  readonly aheadMs: number;
};

// A bad time source is a wiring bug, and letting NaN or a fraction into the state would break
// the fixed-width encoding for good, so it throws instead of returning an error value.
const assertTime = (name: string, value: number): void => {
  if (!Number.isSafeInteger(value) || value > HLC_MAX_MS)
    throw new RangeError(`${name} is not a valid ms value: ${value}`);
};

// A full counter moves the clock 1 ms ahead rather than refusing the event: the reading stays
// unique and ordered, and the next real millisecond resets the counter anyway.
const tick = (ms: number, counter: number, node: string): Hlc => {
  if (counter <= HLC_MAX_COUNTER) return { ms, counter, node };
  if (ms >= HLC_MAX_MS) throw new RangeError("HLC exhausted: ms and counter are both at their maximum");
  return { ms: ms + 1, counter: 0, node };
};

/** The reading for a local event (or a send): after `state` and never behind `now`. */
export const sendHlc = (state: Hlc, now: number): Hlc => {
  assertTime("now", now);
  const ms = Math.max(state.ms, now);
  return tick(ms, ms === state.ms ? state.counter + 1 : 0, state.node);
};

// The paper's four cases: the counter continues from whichever readings share the new ms.
const receiveCounter = (state: Hlc, remote: Hlc, ms: number): number => {
  if (ms === state.ms && ms === remote.ms) return Math.max(state.counter, remote.counter) + 1;
  if (ms === state.ms) return state.counter + 1;
  if (ms === remote.ms) return remote.counter + 1;
  return 0;
};

/** Whether a remote reading is further ahead of local time than peers are trusted to drift. */
export const isBeyondDrift = (remote: Hlc, now: number, maxDriftMs: number): boolean =>
  remote.ms - now > maxDriftMs;

/**
 * The state after receiving `remote`: after both `state` and `remote`. A remote too far ahead is
 * refused and the caller keeps its state, so one peer with a wrong clock cannot drag every
 * clock in the fleet into the future.
 */
export const receiveHlc = (
  state: Hlc,
  remote: Hlc,
  now: number,
  maxDriftMs: number,
): Result<Hlc, HlcDriftError> => {
  assertTime("now", now);
  if (!Number.isSafeInteger(maxDriftMs) || maxDriftMs < 0)
    throw new RangeError(`bad maxDriftMs: ${maxDriftMs}`);
  if (isBeyondDrift(remote, now, maxDriftMs)) {
    return err({ type: "HlcDriftError", remote, now, maxDriftMs, aheadMs: remote.ms - now });
  }
  const ms = Math.max(state.ms, remote.ms, now);
  return ok(tick(ms, receiveCounter(state, remote, ms), state.node));
};
