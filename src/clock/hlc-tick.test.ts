// Scenario tests for sending and receiving: stuttering and regressing clocks, the paper's four
// receive cases, counter overflow and the drift guard.
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_DRIFT_MS, HLC_MAX_COUNTER, HLC_MAX_MS, type Hlc, hlcZero } from "./hlc.ts";
import { isBeyondDrift, receiveHlc, sendHlc } from "./hlc-tick.ts";

const LOCAL = "0000000000000001";
const REMOTE = "0000000000000002";
const DRIFT = 1000;
const local = (ms: number, counter: number): Hlc => ({ ms, counter, node: LOCAL });
const remote = (ms: number, counter: number): Hlc => ({ ms, counter, node: REMOTE });

/** Sends once per `now`, threading the state, and returns every reading. */
const sendAll = (state: Hlc, nows: readonly number[]): Hlc[] =>
  nows.map((now) => {
    state = sendHlc(state, now);
    return state;
  });

/** Receives each [remote, now] in turn, threading the state; every step must be accepted. */
const receiveAll = (state: Hlc, steps: readonly [Hlc, number][]): Hlc[] =>
  steps.map(([r, now]) => {
    const next = receiveHlc(state, r, now, DRIFT);
    if (!next.ok) throw new Error(`unexpected drift error at now=${now}`);
    state = next.value;
    return state;
  });

describe("sendHlc", () => {
  it("follows a monotonic wall clock with counter 0", () => {
    expect(sendAll(hlcZero(LOCAL), [10, 11, 12])).toEqual([local(10, 0), local(11, 0), local(12, 0)]);
  });

  it("counts up under a stuttering wall clock and resets when it moves", () => {
    expect(sendAll(hlcZero(LOCAL), [20, 20, 20, 21])).toEqual([
      local(20, 0),
      local(20, 1),
      local(20, 2),
      local(21, 0),
    ]);
  });

  it("holds its ms under a regressing wall clock", () => {
    expect(sendAll(hlcZero(LOCAL), [30, 29, 29, 31])).toEqual([
      local(30, 0),
      local(30, 1),
      local(30, 2),
      local(31, 0),
    ]);
  });

  it("stays ahead of a state persisted before the wall clock was set back", () => {
    expect(sendHlc(local(5_000, 7), 1_000)).toEqual(local(5_000, 8));
  });

  it("advances ms instead of failing when the counter would exceed 0xffff", () => {
    expect(sendHlc(local(40, HLC_MAX_COUNTER), 40)).toEqual(local(41, 0));
    expect(sendHlc(local(41, 0), 40)).toEqual(local(41, 1));
  });

  it("survives 65,537 events in one wall-clock millisecond", () => {
    let state = hlcZero(LOCAL);
    for (let i = 0; i <= HLC_MAX_COUNTER; i++) state = sendHlc(state, 40);
    expect(state).toEqual(local(40, HLC_MAX_COUNTER));
    expect(sendHlc(state, 40)).toEqual(local(41, 0));
  });

  it("throws when neither ms nor counter can grow (year 10889)", () => {
    expect(() => sendHlc(local(HLC_MAX_MS, HLC_MAX_COUNTER), 0)).toThrow(RangeError);
  });

  it.each([Number.NaN, 1.5, HLC_MAX_MS + 1, Number.POSITIVE_INFINITY])(
    "throws on a broken time source: now=%s",
    (now) => {
      expect(() => sendHlc(hlcZero(LOCAL), now)).toThrow(RangeError);
    },
  );
});

describe("receiveHlc: the four counter cases", () => {
  it("case 1, l' = l = l_remote: counter is max(c, c_remote) + 1", () => {
    expect(receiveHlc(local(100, 3), remote(100, 7), 90, DRIFT)).toEqual({ ok: true, value: local(100, 8) });
    expect(receiveHlc(local(100, 9), remote(100, 7), 100, DRIFT)).toEqual({
      ok: true,
      value: local(100, 10),
    });
  });

  it("case 2, l' = l only: counter is c + 1", () => {
    expect(receiveHlc(local(100, 3), remote(95, 50), 90, DRIFT)).toEqual({ ok: true, value: local(100, 4) });
    expect(receiveHlc(local(100, 3), remote(95, 50), 100, DRIFT)).toEqual({ ok: true, value: local(100, 4) });
  });

  it("case 3, l' = l_remote only: counter is c_remote + 1", () => {
    expect(receiveHlc(local(100, 3), remote(105, 50), 90, DRIFT)).toEqual({
      ok: true,
      value: local(105, 51),
    });
    expect(receiveHlc(local(100, 3), remote(105, 50), 105, DRIFT)).toEqual({
      ok: true,
      value: local(105, 51),
    });
  });

  it("case 4, l' = now, ahead of both: counter is 0", () => {
    expect(receiveHlc(local(100, 3), remote(105, 50), 110, DRIFT)).toEqual({
      ok: true,
      value: local(110, 0),
    });
  });
});

describe("receiveHlc: scenarios", () => {
  it("keeps the local node whatever the remote's node", () => {
    const r = receiveHlc(local(1, 0), remote(2, 0), 2, DRIFT);
    expect(r.ok && r.value.node).toBe(LOCAL);
  });

  it("stays monotonic under a globally stuttering clock", () => {
    expect(
      receiveAll(hlcZero(LOCAL), [
        [remote(62, 0), 61],
        [remote(62, 1), 62],
        [remote(62, 2), 62],
        [remote(62, 4), 63],
      ]),
    ).toEqual([local(62, 1), local(62, 2), local(62, 3), local(63, 0)]);
  });

  it("stays monotonic under a locally regressing clock", () => {
    expect(
      receiveAll(hlcZero(LOCAL), [
        [remote(91, 0), 93],
        [remote(92, 0), 92],
        [remote(93, 0), 91],
      ]),
    ).toEqual([local(93, 0), local(93, 1), local(93, 2)]);
  });

  it("stays monotonic under a remotely regressing clock", () => {
    expect(
      receiveAll(hlcZero(LOCAL), [
        [remote(103, 0), 101],
        [remote(102, 0), 102],
        [remote(101, 0), 103],
      ]),
    ).toEqual([local(103, 1), local(103, 2), local(103, 3)]);
  });

  it("advances ms instead of failing when the counter would exceed 0xffff", () => {
    expect(receiveHlc(local(100, HLC_MAX_COUNTER), remote(100, 2), 100, DRIFT)).toEqual({
      ok: true,
      value: local(101, 0),
    });
    expect(receiveHlc(local(90, 0), remote(100, HLC_MAX_COUNTER), 50, DRIFT)).toEqual({
      ok: true,
      value: local(101, 0),
    });
  });
});

describe("receiveHlc: drift", () => {
  const now = 1_000_000;
  const state: Hlc = Object.freeze(local(now - 10, 4));

  it("refuses a remote more than maxDriftMs ahead and leaves the state as it was", () => {
    const ahead = remote(now + DEFAULT_MAX_DRIFT_MS + 1, 0);
    expect(receiveHlc(state, ahead, now, DEFAULT_MAX_DRIFT_MS)).toEqual({
      ok: false,
      error: {
        type: "HlcDriftError",
        remote: ahead,
        now,
        maxDriftMs: DEFAULT_MAX_DRIFT_MS,
        aheadMs: 300_001,
      },
    });
    expect(state).toEqual(local(now - 10, 4));
  });

  it("accepts a remote exactly maxDriftMs ahead", () => {
    expect(receiveHlc(state, remote(now + DEFAULT_MAX_DRIFT_MS, 6), now, DEFAULT_MAX_DRIFT_MS)).toEqual({
      ok: true,
      value: local(now + DEFAULT_MAX_DRIFT_MS, 7),
    });
  });

  it("with maxDriftMs 0 accepts a remote at now and refuses one 1 ms ahead", () => {
    expect(receiveHlc(state, remote(now, 0), now, 0).ok).toBe(true);
    expect(receiveHlc(state, remote(now + 1, 0), now, 0)).toMatchObject({ ok: false, error: { aheadMs: 1 } });
  });

  // Found by the two-node property: drift is measured from the reading, not the sender's wall
  // clock, so a sender that kept its clock ahead through a wall-clock set-back gets quarantined.
  it("refuses a peer whose clock stayed ahead while both wall clocks went back", () => {
    const sent = sendHlc(sendHlc(hlcZero(REMOTE), 100), 49);
    expect(sent).toEqual(remote(100, 1));
    expect(receiveHlc(hlcZero(LOCAL), sent, 49, 50)).toMatchObject({ ok: false, error: { aheadMs: 51 } });
  });

  it.each([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])("throws on a bad maxDriftMs: %s", (maxDriftMs) => {
    expect(() => receiveHlc(state, remote(now, 0), now, maxDriftMs)).toThrow(RangeError);
  });
});

describe("isBeyondDrift", () => {
  it.each<[string, number, boolean]>([
    ["behind local time", 500, false],
    ["at local time", 1_000, false],
    ["exactly at the limit", 1_100, false],
    ["1 ms past the limit", 1_101, true],
  ])("%s", (_, ms, beyond) => {
    expect(isBeyondDrift(remote(ms, 0), 1_000, 100)).toBe(beyond);
  });
});
