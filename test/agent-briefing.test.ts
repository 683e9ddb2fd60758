// The briefing composer: what fits in a hook's output, with messages whole or not at all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BriefingInput,
  type BriefMessage,
  type BriefTask,
  composeBriefing,
  jsonLength,
} from "../src/service/agent-briefing.ts";

const task = (i: number, extra: Partial<BriefTask> = {}): BriefTask => ({
  id: `t${i}`,
  handle: `h${i}`,
  title: `Task ${i}`,
  status: "todo",
  priority: "normal",
  project: "P",
  description: "",
  via: "assigned",
  ...extra,
});
const message = (i: number, body: string): BriefMessage => ({
  id: `m${i}`,
  handle: `mh${i}`,
  sender: "human:alice",
  to: "you",
  createdAt: "2026-11-23T12:00:00.000Z",
  body,
});
const base: BriefingInput = {
  kind: "start",
  session: { handle: "5d1e0c2a", machineName: "laptop" },
  tasks: [],
  lostTasks: [],
  ready: [],
  messages: [],
  predecessor: null,
  budget: 9_800,
};

describe("composeBriefing", () => {
  it("at start always says who the session is and how to reach Claire", () => {
    const b = composeBriefing(base);
    expect(b.text).toContain('session 5d1e0c2a on machine "laptop"');
    expect(b.text).toContain("no task assigned");
    expect(b.text).toContain("next_task");
    expect(b).toMatchObject({ included: [], omitted: 0 });
  });

  it("on a prompt says nothing when nothing is new", () => {
    expect(composeBriefing({ ...base, kind: "prompt" }).text).toBeNull();
  });

  it("leaves out a message too long to fit, keeps later ones that fit, and says how many are left", () => {
    const b = composeBriefing({
      ...base,
      messages: [message(0, "A".repeat(20_000)), message(1, "short one"), message(2, "another")],
    });
    expect(b.included).toEqual(["m1", "m2"]);
    expect(b.omitted).toBe(1);
    expect(b.text).toContain("1 more unread message(s) did not fit");
    expect(b.text).not.toContain("AAAA");
  });

  it("gives tasks at most half the room, so messages still fit", () => {
    const tasks = Array.from({ length: 60 }, (_, i) => task(i, { description: "d".repeat(390) }));
    const b = composeBriefing({ ...base, tasks, messages: [message(0, "read me")] });
    expect(b.included).toEqual(["m0"]);
    expect(b.text).toMatch(/… and \d+ more \(list_tasks with mine=true\)/);
    expect(jsonLength(b.text!)).toBeLessThanOrEqual(base.budget);
  });

  it("for any tasks, messages and budget: within budget, included messages whole, others absent", () => {
    const body = fc.string({ unit: "binary", maxLength: 3000 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ title: fc.string({ maxLength: 300 }), description: fc.string({ maxLength: 2000 }) }),
          {
            maxLength: 25,
          },
        ),
        fc.array(body, { maxLength: 60 }),
        fc.integer({ min: 1_000, max: 10_000 }),
        fc.constantFrom("start" as const, "prompt" as const),
        (ts, bodies, budget, kind) => {
          const messages = bodies.map((b, i) => message(i, `<<${i}>>${b}<</${i}>>`));
          const b = composeBriefing({
            ...base,
            kind,
            budget,
            tasks: ts.map((t, i) => task(i, t)),
            messages,
          });
          if (b.text === null) {
            expect(kind).toBe("prompt");
            expect(ts.length + messages.length).toBe(0);
            return;
          }
          expect(jsonLength(b.text)).toBeLessThanOrEqual(budget);
          expect(b.omitted).toBe(messages.length - b.included.length);
          for (const m of messages) {
            const inside = b.included.includes(m.id);
            expect(b.text.includes(m.body)).toBe(inside);
            if (!inside) expect(b.text.includes(`<<${m.id.slice(1)}>>`)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
