// The hand-written input checks never accept what their schema refuses, and never pass input the
// schema would change; and they do accept what a hook sends, or they would spare nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { HookEventInputSchema, hookEventInputAccepted } from "../service/agent-inputs.ts";
import { ActorSchema } from "./actor.ts";
import { actorAccepted, sessionFactsAccepted, sessionRefAccepted } from "./fast-accept.ts";
import { SessionFactsSchema } from "./session.ts";
import { SessionRefSchema } from "./session-ref.ts";

type Case = {
  readonly name: string;
  readonly accepted: (x: unknown) => boolean;
  readonly schema: z.ZodType;
  readonly valid: readonly Record<string, unknown>[];
  readonly fields: readonly string[];
};

const MACHINE = "0b6f2a0e-8c1d-4e5f-9a7b-1c2d3e4f5a6b";

const CASES: readonly Case[] = [
  {
    name: "actor",
    accepted: actorAccepted,
    schema: ActorSchema,
    valid: [
      { kind: "session", id: "5b0c7a8e-1f2d-4c3b-9a4e-6d7f8a9b0c1d" },
      { kind: "human", id: "ana" },
    ],
    fields: ["kind", "id", "extra"],
  },
  {
    name: "session reference",
    accepted: sessionRefAccepted,
    schema: SessionRefSchema,
    valid: [{ machineId: MACHINE, sessionId: "5b0c7a8e-1f2d-4c3b-9a4e-6d7f8a9b0c1d" }],
    fields: ["machineId", "sessionId", "extra"],
  },
  {
    name: "session facts",
    accepted: sessionFactsAccepted,
    schema: SessionFactsSchema,
    valid: [
      {
        source: "claude",
        cwd: "/work/app",
        transcriptPath: "/home/ana/.claude/projects/-work-app/s.jsonl",
        pid: 4242,
        firstActivity: "2026-11-24T13:40:00.000Z",
        lastActivity: "2026-11-24T13:40:00.000Z",
        state: "idle",
        stateReason: null,
      },
      { state: "ended", stateReason: "clear", pid: null },
      { costUsd: 1.25, userMessages: 3, assistantMessages: 4, model: "claude-opus-4", title: "t" },
    ],
    fields: [
      "cwd",
      "gitBranch",
      "title",
      "pid",
      "parentPid",
      "firstActivity",
      "lastActivity",
      "userMessages",
      "costUsd",
      "state",
      "stateReason",
      "tokens",
      "extra",
    ],
  },
  {
    name: "hook event",
    accepted: hookEventInputAccepted,
    schema: HookEventInputSchema,
    valid: [
      {
        event: "SessionStart",
        sessionId: "5b0c7a8e-1f2d-4c3b-9a4e-6d7f8a9b0c1d",
        cwd: "/work/app",
        transcriptPath: "/x/s.jsonl",
        source: "startup",
        reason: undefined,
        notificationType: undefined,
        message: undefined,
        claudePid: 4242,
        predecessor: "1b0c7a8e-1f2d-4c3b-9a4e-6d7f8a9b0c1d",
        budget: 9_900,
      },
      {
        event: "UserPromptSubmit",
        sessionId: "s-1",
        claudePid: null,
        knownTasks: ["t1", "t2"],
        budget: 9_900,
      },
      {
        event: "Notification",
        sessionId: "s",
        notificationType: "permission_prompt",
        message: "m",
        budget: 1000,
      },
    ],
    fields: [
      "event",
      "sessionId",
      "cwd",
      "source",
      "reason",
      "message",
      "claudePid",
      "predecessor",
      "knownTasks",
      "budget",
      "extra",
    ],
  },
];

const ODD: readonly unknown[] = [
  null,
  undefined,
  0,
  -1,
  1.5,
  999,
  1000,
  10_000,
  10_001,
  4_294_967_296,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  "",
  "session",
  "human",
  "robot",
  "idle",
  "asleep",
  "SessionStart",
  "Stop ",
  "s p a c e",
  "a/b",
  "a".repeat(64),
  "a".repeat(65),
  "a".repeat(129),
  "a".repeat(201),
  "a".repeat(2001),
  "a".repeat(4097),
  MACHINE,
  MACHINE.toUpperCase(),
  "00000000-0000-0000-0000-000000000000",
  "2026-11-24T13:40:00.000Z",
  "2026-11-24T13:40:00Z",
  "2026-13-24T13:40:00.000Z",
  "2026-11-24 13:40:00",
  [],
  ["t"],
  [1],
  ["a".repeat(65)],
  Array.from({ length: 1001 }, () => "t"),
  {},
  { input: 1, output: 2, cacheCreation: 0, cacheRead: 0 },
  Object.create(null),
];

/** When the check accepts, the schema accepts too and returns the same value. */
const agrees = (c: Case, x: unknown): void => {
  if (!c.accepted(x)) return;
  const slow = c.schema.safeParse(x);
  expect(slow.success, `${c.name}: ${JSON.stringify(x)}`).toBe(true);
  expect(slow.data).toEqual(x);
};

describe("hand-written input checks", () => {
  for (const c of CASES) {
    it(`${c.name}: accepts what a hook sends`, () => {
      for (const v of c.valid) expect(c.accepted(v), JSON.stringify(v)).toBe(true);
    });

    it(`${c.name}: never accepts what the schema refuses or would change`, () => {
      for (const v of c.valid) {
        for (const field of c.fields) {
          const without = { ...v };
          delete without[field];
          agrees(c, without);
          for (const odd of ODD) agrees(c, { ...v, [field]: odd });
        }
      }
      for (const odd of ODD) agrees(c, odd);
      fc.assert(
        fc.property(
          fc.constantFrom(...c.valid),
          fc.array(fc.tuple(fc.constantFrom(...c.fields), fc.constantFrom(...ODD), fc.boolean()), {
            maxLength: 4,
          }),
          (base, changes) => {
            const x: Record<string, unknown> = { ...base };
            for (const [field, value, remove] of changes) {
              if (remove) delete x[field];
              else x[field] = value;
            }
            agrees(c, x);
          },
        ),
        { numRuns: 1000 },
      );
    });
  }
});
