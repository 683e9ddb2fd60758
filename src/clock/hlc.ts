// The hybrid logical clock value, its bounds and its total order.
import { err, ok, type Result } from "../domain/result.ts";

/** A clock reading: wall-clock milliseconds, a logical counter and the node that made it. */
export type Hlc = { readonly ms: number; readonly counter: number; readonly node: string };

// The bounds are what the fixed-width encoding can hold (12 and 4 hex digits): a wider value
// would sort wrongly as a string, so nothing may produce one. 12 hex digits of ms last until
// the year 10889.
export const HLC_MAX_MS = 0xffff_ffff_ffff;
export const HLC_MAX_COUNTER = 0xffff;
export const DEFAULT_MAX_DRIFT_MS = 5 * 60 * 1000;

const NODE_PATTERN = /^[0-9a-f]{16}$/;
const MACHINE_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type HlcNodeError = {
  readonly type: "HlcNodeError";
  readonly input: string;
  readonly message: string;
};

export const isHlcNode = (node: string): boolean => NODE_PATTERN.test(node);

/** The clock state of a node that has never ticked; every real reading sorts after it. */
export const hlcZero = (node: string): Hlc => {
  // A bad node is a wiring bug (nodes come from nodeFromMachineId), not an input to report.
  if (!isHlcNode(node)) throw new RangeError(`HLC node must be 16 lowercase hex digits, got '${node}'`);
  return { ms: 0, counter: 0, node };
};

/** The HLC node of a machine: the first 16 hex digits of its UUID, so the node is stable per machine. */
export const nodeFromMachineId = (machineId: string): Result<string, HlcNodeError> =>
  MACHINE_ID_PATTERN.test(machineId)
    ? ok(machineId.replaceAll("-", "").slice(0, 16).toLowerCase())
    : err({ type: "HlcNodeError", input: machineId, message: "machine id must be a UUID" });

/** Orders by ms, then counter, then node: the same order as the encoded strings. */
export const compareHlc = (a: Hlc, b: Hlc): -1 | 0 | 1 => {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  // Fixed-width lowercase hex compares as a string exactly as it does as a number.
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  return 0;
};
