// fast-check generators for the clock's tests, biased towards ties and bounds where HLC bugs hide.
import fc from "fast-check";
import { HLC_MAX_COUNTER, HLC_MAX_MS, type Hlc } from "./hlc.ts";

const HEX = [..."0123456789abcdef"];

export const nodeArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("0000000000000000", "ffffffffffffffff", "9f8e7d6c5b4a3928"),
  fc.string({ unit: fc.constantFrom(...HEX), minLength: 16, maxLength: 16 }),
);

export const msArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.bigInt(0n, BigInt(HLC_MAX_MS)).map(Number),
  fc.constant(HLC_MAX_MS),
);

export const counterArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: HLC_MAX_COUNTER }),
  fc.constant(HLC_MAX_COUNTER),
);

export const hlcArb: fc.Arbitrary<Hlc> = fc.record({ ms: msArb, counter: counterArb, node: nodeArb });
