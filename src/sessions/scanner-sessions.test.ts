// Scanner across sessions: subagents billed to parents, config dirs kept apart, titles, prices.
import { unlinkSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  aiTitle,
  assistant,
  compactBoundary,
  jsonl,
  makeTempConfig,
  SESSION_ID,
  summary,
  type TempConfig,
  userPrompt,
} from "./fixtures/transcript-lines.ts";
import { createMemoryScanStateStore, type ScanStateStore } from "./scan-state.ts";
import { createTranscriptScanner } from "./scanner.ts";

const PROJECT = "-home-ada-My-Projects-----";
const MAIN = `${SESSION_ID}.jsonl`;
const SUB = `${SESSION_ID}/subagents/agent-a1b2c3.jsonl`;
let tmp: TempConfig;
let store: ScanStateStore;
beforeEach(() => {
  tmp = makeTempConfig();
  store = createMemoryScanStateStore();
});
afterEach(() => tmp.cleanup());

const subagentLines = (id: string, model = "claude-haiku-4-5-20251001") =>
  jsonl(
    userPrompt("Explore the codebase", { isSidechain: true, agentId: "a1b2c3" }),
    assistant({
      id,
      requestId: `req_${id}`,
      model,
      isSidechain: true,
      agentId: "a1b2c3",
      timestamp: "2026-11-20T12:00:00.000Z",
      usage: { input_tokens: 1000, output_tokens: 500 },
    }),
  );

describe("scanner: sessions, subagents and config dirs", () => {
  it("bills subagent transcripts to their parent session and never reports them as sessions", () => {
    tmp.write(
      PROJECT,
      MAIN,
      jsonl(userPrompt("Main task"), assistant({ model: "claude-opus-4-5-20251101" })),
    );
    tmp.write(PROJECT, SUB, subagentLines("s1"));
    const s = createTranscriptScanner({ configDirs: [tmp.dir], state: store, now: () => 0 });
    const first = s.scan();
    expect(first.counters.filesSeen).toBe(2);
    expect(first.changed).toHaveLength(1);
    const facts = first.changed[0]!;
    expect(facts).toMatchObject({
      sessionId: SESSION_ID,
      title: "Main task",
      model: "claude-opus-4-5-20251101",
      userMessages: 1,
      assistantMessages: 1,
      lastActivity: "2026-11-20T12:00:00.000Z",
      tokens: { input: 1010, output: 520 },
    });
    const opus = (10 * 5 + 20 * 25 + 30 * 6.25 + 40 * 0.5) / 1e6;
    const haiku = (1000 * 1 + 500 * 5) / 1e6;
    expect(facts.costUsd).toBeCloseTo(opus + haiku, 12);

    tmp.append(
      PROJECT,
      SUB,
      jsonl(assistant({ id: "s2", model: "claude-haiku-4-5-20251001", isSidechain: true })),
    );
    const second = s.scan();
    expect(second.changed.map((f) => f.sessionId)).toEqual([SESSION_ID]);
    expect(second.changed[0]?.tokens.input).toBe(1020);

    unlinkSync(tmp.path(PROJECT, SUB));
    const third = s.scan();
    expect(third.removed).toEqual([]);
    expect(third.changed[0]?.tokens.input).toBe(10);
  });

  it("finds legacy top-level agent files by the sessionId inside them", () => {
    tmp.write(PROJECT, MAIN, jsonl(userPrompt("Main task")));
    tmp.write(PROJECT, "agent-9f8e7d6c.jsonl", subagentLines("legacy"));
    const result = createTranscriptScanner({ configDirs: [tmp.dir], state: store, now: () => 0 }).scan();
    expect(result.changed).toHaveLength(1);
    expect(result.changed[0]).toMatchObject({ sessionId: SESSION_ID, tokens: { input: 1000 } });
  });

  it("waits for the main transcript before reporting a session known only from subagents", () => {
    tmp.write(PROJECT, SUB, subagentLines("s1"));
    const s = createTranscriptScanner({ configDirs: [tmp.dir], state: store, now: () => 0 });
    expect(s.scan().changed).toEqual([]);
    tmp.write(PROJECT, MAIN, jsonl(userPrompt("Now it exists")));
    expect(s.scan().changed[0]).toMatchObject({ title: "Now it exists", tokens: { input: 1000 } });
  });

  it("keeps the same session id in two config dirs apart", () => {
    const other = makeTempConfig();
    try {
      tmp.write(PROJECT, MAIN, jsonl(userPrompt("In the first")));
      other.write("-srv-x", MAIN, jsonl(userPrompt("In the second", { cwd: "/srv/x" })));
      const result = createTranscriptScanner({
        configDirs: [tmp.dir, other.dir],
        state: store,
        now: () => 0,
      }).scan();
      expect(result.changed.map((f) => [f.configDir, f.cwd, f.title])).toEqual([
        [tmp.dir, "/home/ada/work/claire", "In the first"],
        [other.dir, "/srv/x", "In the second"],
      ]);
    } finally {
      other.cleanup();
    }
  });

  it("takes titles from compaction summaries and AI titles over the first prompt", () => {
    tmp.write(
      PROJECT,
      MAIN,
      jsonl(
        userPrompt("first prompt"),
        compactBoundary(),
        userPrompt("This session is being continued...", { isCompactSummary: true }),
        summary("Compacted work"),
      ),
    );
    const s = createTranscriptScanner({ configDirs: [tmp.dir], state: store, now: () => 0 });
    expect(s.scan().changed[0]).toMatchObject({
      title: "Compacted work",
      titleSource: "summary",
      userMessages: 1,
    });
    tmp.append(PROJECT, MAIN, jsonl(aiTitle("AI named it")));
    expect(s.scan().changed[0]).toMatchObject({ title: "AI named it", titleSource: "ai-title" });
  });

  it("prices with overrides per model, and gives null cost for a model nobody prices", () => {
    tmp.write(
      PROJECT,
      MAIN,
      jsonl(
        assistant({ id: "a", model: "claude-sonnet-4-5", usage: { input_tokens: 1_000_000 } }),
        assistant({ id: "b", model: "claude-haiku-4-5", usage: { input_tokens: 1_000_000 } }),
      ),
    );
    const priced = createTranscriptScanner({
      configDirs: [tmp.dir],
      state: createMemoryScanStateStore(),
      now: () => 0,
      priceOverrides: { "claude-sonnet": { input: 2 } },
    });
    expect(priced.scan().changed[0]?.costUsd).toBeCloseTo(2 + 1, 12);
    tmp.append(
      PROJECT,
      MAIN,
      jsonl(assistant({ id: "c", model: "claude-next-1", usage: { input_tokens: 1 } })),
    );
    expect(priced.scan().changed[0]?.costUsd).toBeNull();
  });
});
