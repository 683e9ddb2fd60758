import { describe, expect, it } from "vitest";
import type { MessageTarget } from "./message.ts";
import { type GroupFacts, isMessageTarget, matchesRule, type TargetCandidate } from "./targets.ts";

const M1 = "3f2a1b0c-0000-4000-8000-00000000000a";
const M2 = "3f2a1b0c-1111-4000-8000-00000000000b";
const MSG_MS = 1_700_000_000_000;
const MSG_STAMP = "018bcfe56800-0000-3f2a1b0c00004000/01900000-0000-7000-8000-000000000001";

const candidate = (over: Partial<TargetCandidate> = {}): TargetCandidate => ({
  key: `${M1}/s-1`,
  machineId: M1,
  machineName: "alpha",
  cwd: "/repo/api",
  firstActivityMs: MSG_MS - 1_000,
  endedBeforeMessage: false,
  projects: ["p-1"],
  ...over,
});

const group = (over: Partial<GroupFacts> = {}): GroupFacts => ({ rules: [], members: [], ...over });

describe("matchesRule", () => {
  it.each<[string, Partial<TargetCandidate>, boolean]>([
    [`machine:${M1}`, {}, true],
    ["machine:alpha", {}, true],
    ["machine:beta", {}, false],
    [`machine:${M2}`, {}, false],
    ["machine:alpha", { machineName: null }, false],
    ["cwd:/repo/**", {}, true],
    ["cwd:/repo/*", {}, true],
    ["cwd:/other/**", {}, false],
    ["cwd:/repo/api", {}, true],
    ["cwd:/repo/**", { cwd: null }, false],
    ["project:p-1", {}, true],
    ["project:p-2", {}, false],
    ["project:p-1", { projects: [] }, false],
    ["colour:blue", {}, false],
    ["no colon at all", {}, false],
  ])("%s against %o: %s", (rule, over, expected) => {
    expect(matchesRule(rule, candidate(over))).toBe(expected);
  });

  it("takes a cwd rule literally when it names a directory with glob characters", () => {
    expect(matchesRule("cwd:/tmp/what?", candidate({ cwd: "/tmp/what?" }))).toBe(true);
    expect(matchesRule("cwd:/tmp/[x]*", candidate({ cwd: "/tmp/[x]*" }))).toBe(true);
  });

  it("splits on the first colon only, so values may hold colons", () => {
    expect(matchesRule("cwd:C:/work/*", candidate({ cwd: "C:/work/x" }))).toBe(true);
  });
});

describe("isMessageTarget", () => {
  const target = (t: MessageTarget, s: TargetCandidate, g: GroupFacts | null = null) =>
    isMessageTarget(t, MSG_STAMP, MSG_MS, s, g);

  it("reaches one session by its key", () => {
    const t: MessageTarget = { kind: "session", session: { machineId: M1, sessionId: "s-1" } };
    expect(target(t, candidate())).toBe(true);
    expect(target(t, candidate({ key: `${M1}/s-2` }))).toBe(false);
    expect(target(t, candidate({ key: `${M2}/s-1`, machineId: M2 }))).toBe(false);
  });

  it("reaches every session of a machine, and every session for all", () => {
    expect(target({ kind: "machine", machineId: M1 }, candidate())).toBe(true);
    expect(target({ kind: "machine", machineId: M2 }, candidate())).toBe(false);
    expect(target({ kind: "all" }, candidate())).toBe(true);
  });

  it("never reaches a session that ended before the message, or started after it", () => {
    for (const t of [{ kind: "all" }, { kind: "machine", machineId: M1 }] as MessageTarget[]) {
      expect(target(t, candidate({ endedBeforeMessage: true }))).toBe(false);
      expect(target(t, candidate({ firstActivityMs: MSG_MS + 1 }))).toBe(false);
      // Started in the message's millisecond, or no activity known yet: reached.
      expect(target(t, candidate({ firstActivityMs: MSG_MS }))).toBe(true);
      expect(target(t, candidate({ firstActivityMs: null }))).toBe(true);
    }
  });

  it("reaches group members added before the message, and sessions a group rule matches", () => {
    const t: MessageTarget = { kind: "group", groupId: "g" };
    const s = candidate();
    expect(target(t, s, null)).toBe(false);
    expect(target(t, s, group())).toBe(false);
    expect(
      target(t, s, group({ members: [{ key: s.key, stamp: "000000000000-0000-0000000000000000/a" }] })),
    ).toBe(true);
    // Added after the message (or at its very stamp): not a target of it.
    expect(target(t, s, group({ members: [{ key: s.key, stamp: `${MSG_STAMP}0` }] }))).toBe(false);
    expect(target(t, s, group({ members: [{ key: s.key, stamp: MSG_STAMP }] }))).toBe(false);
    expect(target(t, s, group({ members: [{ key: `${M2}/s-1`, stamp: "0" }] }))).toBe(false);
    expect(target(t, s, group({ rules: ["cwd:/repo/**"] }))).toBe(true);
    expect(target(t, s, group({ rules: ["cwd:/nope/**", "machine:alpha"] }))).toBe(true);
    expect(target(t, candidate({ endedBeforeMessage: true }), group({ rules: ["machine:alpha"] }))).toBe(
      false,
    );
  });
});
