// Hybrid logical clock: the value, its text form, and how it advances.
export {
  compareHlc,
  DEFAULT_MAX_DRIFT_MS,
  HLC_MAX_COUNTER,
  HLC_MAX_MS,
  type Hlc,
  type HlcNodeError,
  hlcZero,
  isHlcNode,
  nodeFromMachineId,
} from "./hlc.ts";
export { encodeHlc, HLC_LENGTH, type HlcParseError, parseHlc } from "./hlc-codec.ts";
export { type HlcDriftError, isBeyondDrift, receiveHlc, sendHlc } from "./hlc-tick.ts";
