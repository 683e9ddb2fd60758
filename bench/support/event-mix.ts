// A deterministic, realistic stream of event drafts for the event-core benchmarks:
//   70% update.posted (a progress note of 40-200 characters about a recent task)
//   10% task.created (title, a description of 60-300 characters, 0-2 labels)
//   10% task.status_changed, 10% task.updated (new title), both on one of the last 1,000 tasks
// preceded by one project.created. The same seed gives the same drafts (ids aside).
import type { EventDraft } from "../../src/domain/events.ts";
import { createIdGenerator } from "../../src/domain/ids.ts";
import { TASK_STATUSES, type TaskStatus } from "../../src/domain/task.ts";

const WORDS = (
  "the build now passes on linux and macos after fixing the flaky sync test while the dashboard " +
  "shows stale sessions until refresh; next step is wiring the hook installer into claire init and " +
  "measuring rebuild time on a large log with many peers and long transcripts"
).split(/\s+/);
const LABELS = ["bench", "perf", "sync", "ui", "cli", "bug"];

/** mulberry32: a tiny seeded PRNG, so runs are comparable. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export type EventMix = {
  /** The project.created draft that every later draft refers to: append it first. */
  readonly setup: readonly EventDraft[];
  readonly next: () => EventDraft;
  readonly batch: (n: number) => EventDraft[];
};

export const createEventMix = (seed = 1): EventMix => {
  const random = prng(seed);
  const ids = createIdGenerator();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const sentence = (min: number, max: number): string => {
    const len = min + Math.floor(random() * (max - min));
    let s = pick(WORDS);
    while (s.length < len) s += ` ${pick(WORDS)}`;
    return s.slice(0, len);
  };
  const projectId = ids.newId();
  const tasks: string[] = [];
  let i = 0;
  const recentTask = () => tasks[Math.floor(random() * tasks.length)]!;

  const next = (): EventDraft => {
    const slot = i++ % 10;
    if (slot === 0 || tasks.length === 0) {
      const id = ids.newId();
      tasks.push(id);
      if (tasks.length > 1000) tasks.shift();
      const labels = [...new Set([pick(LABELS), pick(LABELS)])].slice(0, Math.floor(random() * 3));
      return {
        type: "task.created",
        entityId: id,
        data: {
          projectId,
          title: sentence(15, 60),
          description: sentence(60, 300),
          priority: "normal",
          status: "todo",
          labels,
          dependsOn: [],
        },
      };
    }
    if (slot === 1) {
      return {
        type: "task.status_changed",
        entityId: recentTask(),
        data: { status: pick(TASK_STATUSES) satisfies TaskStatus },
      };
    }
    if (slot === 2)
      return { type: "task.updated", entityId: recentTask(), data: { title: sentence(15, 60) } };
    return {
      type: "update.posted",
      entityId: ids.newId(),
      data: { kind: "progress", text: sentence(40, 200), taskId: recentTask(), projectId, session: null },
    };
  };

  return {
    setup: [{ type: "project.created", entityId: projectId, data: { name: "bench", description: "" } }],
    next,
    batch: (n) => Array.from({ length: n }, next),
  };
};
