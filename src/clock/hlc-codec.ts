// Fixed-width text form of an HLC (`mmmmmmmmmmmm-cccc-nnnnnnnnnnnnnnnn`), whose string order is clock order.
import { err, ok, type Result } from "../domain/result.ts";
import { HLC_MAX_COUNTER, HLC_MAX_MS, type Hlc, isHlcNode } from "./hlc.ts";

export type HlcParseError = {
  readonly type: "HlcParseError";
  readonly input: string;
  readonly message: string;
};

export const HLC_LENGTH = 34;
const HLC_PATTERN = /^([0-9a-f]{12})-([0-9a-f]{4})-([0-9a-f]{16})$/;
// Inputs come from peers and end up in logs and the `rejected` table; keep a hostile one short.
const MAX_INPUT_ECHO = 64;

/** Encodes an HLC; throws on a value outside the encodable range, since that is a bug upstream. */
export const encodeHlc = (h: Hlc): string => {
  if (!Number.isInteger(h.ms) || h.ms < 0 || h.ms > HLC_MAX_MS)
    throw new RangeError(`HLC ms out of range: ${h.ms}`);
  if (!Number.isInteger(h.counter) || h.counter < 0 || h.counter > HLC_MAX_COUNTER) {
    throw new RangeError(`HLC counter out of range: ${h.counter}`);
  }
  if (!isHlcNode(h.node)) throw new RangeError(`HLC node must be 16 lowercase hex digits, got '${h.node}'`);
  return `${h.ms.toString(16).padStart(12, "0")}-${h.counter.toString(16).padStart(4, "0")}-${h.node}`;
};

const parseError = (input: string, message: string): HlcParseError => ({
  type: "HlcParseError",
  input: input.length > MAX_INPUT_ECHO ? `${input.slice(0, MAX_INPUT_ECHO)}...` : input,
  message,
});

/** Parses the exact encoded form only: one spelling per value keeps string order and dedup honest. */
export const parseHlc = (s: string): Result<Hlc, HlcParseError> => {
  const m = HLC_PATTERN.exec(s);
  if (m === null) {
    if (s.length !== HLC_LENGTH)
      return err(parseError(s, `expected ${HLC_LENGTH} characters, got ${s.length}`));
    if (/[A-F]/.test(s)) return err(parseError(s, "hex digits must be lowercase"));
    return err(parseError(s, "expected 12 hex digits of ms, '-', 4 of counter, '-', 16 of node"));
  }
  // The pattern has three groups, so the defaults never apply; they only satisfy the index types.
  const [, ms = "", counter = "", node = ""] = m;
  return ok({ ms: Number.parseInt(ms, 16), counter: Number.parseInt(counter, 16), node });
};
