// Property tests: over any interleaving of sends and receives, under stuttering, regressing and
// jumping wall clocks, every new reading is strictly after the previous one and after what it received.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareHlc, HLC_MAX_COUNTER, type Hlc, hlcZero } from "./hlc.ts";
import { nodeArb } from "./hlc-arbitraries.ts";
import { encodeHlc } from "./hlc-codec.ts";
import { receiveHlc, sendHlc } from "./hlc-tick.ts";

const LOCAL = "0000000000000001";
const MAX_DRIFT = 50;
// A realistic epoch, so the property exercises full-width ms values as well as small offsets.
const BASE = 0x0190f2a3b4c5;

type Step =
  | { readonly kind: "send"; readonly now: number }
  | { readonly kind: "receive"; readonly now: number; readonly remote: Hlc };

// Wall-clock moves: mostly stutters and small steps either way, sometimes a large jump or set-back.
const clockMoveArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
);

// Remote counters cluster near both ends so ties and overflow both happen often.
const remoteCounterArb = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: HLC_MAX_COUNTER - 2, max: HLC_MAX_COUNTER }),
);

const stepArb = fc.record({
  move: clockMoveArb,
  receive: fc.boolean(),
  // Up to twice the drift limit either way of local time, so some receives are refused.
  remoteOffset: fc.integer({ min: -2 * MAX_DRIFT, max: 2 * MAX_DRIFT }),
  remoteCounter: remoteCounterArb,
  remoteNode: fc.oneof(fc.constant(LOCAL), nodeArb),
});

const stepsArb: fc.Arbitrary<Step[]> = fc.array(stepArb, { maxLength: 200 }).map((raw) => {
  let now = BASE;
  return raw.map((s): Step => {
    now = Math.max(0, now + s.move);
    if (!s.receive) return { kind: "send", now };
    const remote = { ms: Math.max(0, now + s.remoteOffset), counter: s.remoteCounter, node: s.remoteNode };
    return { kind: "receive", now, remote };
  });
});

const isAfter = (a: Hlc, b: Hlc): boolean => compareHlc(a, b) > 0 && encodeHlc(a) > encodeHlc(b);
// The HLC guarantee against a received reading is on (ms, counter) alone; the node only breaks ties.
const isTimeAfter = (a: Hlc, b: Hlc): boolean => a.ms > b.ms || (a.ms === b.ms && a.counter > b.counter);

describe("HLC monotonicity", () => {
  it("every reading is strictly after the previous one, whatever the wall clock does", () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        let state = hlcZero(LOCAL);
        for (const step of steps) {
          if (step.kind === "send") {
            const next = sendHlc(state, step.now);
            expect(isAfter(next, state)).toBe(true);
            expect(next.ms).toBeGreaterThanOrEqual(step.now);
            // Bounded: the clock never runs more than the 1 ms an overflow adds past its inputs.
            expect(next.ms).toBeLessThanOrEqual(Math.max(state.ms, step.now) + 1);
            state = next;
            continue;
          }
          const r = receiveHlc(state, step.remote, step.now, MAX_DRIFT);
          expect(r.ok).toBe(step.remote.ms - step.now <= MAX_DRIFT);
          if (!r.ok) continue; // refused: the caller keeps its state
          const next = r.value;
          expect(next.node).toBe(LOCAL);
          expect(isAfter(next, state)).toBe(true);
          expect(isTimeAfter(next, step.remote)).toBe(true);
          expect(next.ms).toBeGreaterThanOrEqual(step.now);
          expect(next.ms).toBeLessThanOrEqual(Math.max(state.ms, step.remote.ms, step.now) + 1);
          state = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a stuck wall clock still yields strictly increasing encodings, through overflow", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: HLC_MAX_COUNTER - 50, max: HLC_MAX_COUNTER }),
        fc.nat({ max: 100 }),
        (c, n) => {
          let state: Hlc = { ms: BASE, counter: c, node: LOCAL };
          for (let i = 0; i < n; i++) {
            const next = sendHlc(state, BASE);
            expect(encodeHlc(next) > encodeHlc(state)).toBe(true);
            state = next;
          }
        },
      ),
    );
  });

  it("two nodes exchanging readings never produce the same encoding twice", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), clockMoveArb), { maxLength: 200 }), (ops) => {
        let a = hlcZero("000000000000000a");
        let b = hlcZero("000000000000000b");
        let now = BASE;
        const seen = new Set<string>();
        for (const [fromA, move] of ops) {
          now = Math.max(0, now + move);
          const [sender, receiver] = fromA ? [a, b] : [b, a];
          const sent = sendHlc(sender, now);
          // A sender whose clock ran ahead while the wall clock went back can be refused as
          // drifting; the receiver then keeps its state, as the store's quarantine does.
          const got = receiveHlc(receiver, sent, now, MAX_DRIFT);
          const received = got.ok ? got.value : receiver;
          for (const h of got.ok ? [sent, received] : [sent]) {
            expect(seen.has(encodeHlc(h))).toBe(false);
            seen.add(encodeHlc(h));
          }
          [a, b] = fromA ? [sent, received] : [received, sent];
        }
      }),
    );
  });
});
