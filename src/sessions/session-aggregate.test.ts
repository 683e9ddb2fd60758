// The fold: activity, counts, deduplicated usage per model, titles by precedence.
import { describe, expect, it } from "vitest";
import {
  aiTitle,
  assistant,
  compactBoundary,
  customTitle,
  summary,
  toolResult,
  userPrompt,
} from "./fixtures/transcript-lines.ts";
import { emptyAggregate, foldLine, foldLines, type SessionAggregate } from "./session-aggregate.ts";
import { titleOf } from "./session-facts.ts";
import { parseTranscriptLine } from "./transcript-line.ts";
import { totalTokens, USAGE_WINDOW } from "./usage-ledger.ts";

const fold = (...objs: unknown[]): SessionAggregate =>
  foldLines(
    emptyAggregate(),
    objs.map((o) => parseTranscriptLine(typeof o === "string" ? o : JSON.stringify(o))),
  );

describe("foldLine", () => {
  it("is pure: the input aggregate is untouched and the result is plain JSON", () => {
    const before = emptyAggregate();
    const after = foldLine(before, parseTranscriptLine(JSON.stringify(assistant())));
    expect(before).toEqual(emptyAggregate());
    expect(JSON.parse(JSON.stringify(after))).toEqual(after);
  });

  it("takes cwd from inside the file, verbatim: spaces, unicode, over 200 characters", () => {
    const cwd = `/home/ada/My Projects/日本語 ünïcødé 🚀/${"deep/".repeat(60)}end`;
    const agg = fold(userPrompt("hi", { cwd }), assistant({ cwd: "/elsewhere" }));
    expect(agg.cwd).toBe(cwd);
    expect(cwd.length).toBeGreaterThan(200);
  });

  it("follows branch and version, and tracks first and last activity from any order", () => {
    const agg = fold(
      userPrompt("a", { timestamp: "2026-11-20T10:05:00.000Z", gitBranch: "main", version: "2.1.1" }),
      assistant({ timestamp: "2026-11-20T10:01:00.000Z", gitBranch: "feat/x", version: "2.1.330" }),
      assistant({ id: "msg_2", requestId: "req_2", timestamp: "2026-11-20T10:09:00.000Z", gitBranch: "" }),
    );
    expect(agg.gitBranch).toBe("feat/x");
    expect(agg.version).toBe("2.1.330");
    expect(agg.firstActivityMs).toBe(Date.parse("2026-11-20T10:01:00.000Z"));
    expect(agg.lastActivityMs).toBe(Date.parse("2026-11-20T10:09:00.000Z"));
  });

  it("counts bad, skipped and blank lines apart, and keeps going after a bad line", () => {
    const agg = fold(
      '{"type":"user","mess',
      "",
      compactBoundary(),
      { type: "file-history-snapshot" },
      assistant(),
    );
    expect(agg).toMatchObject({ badLines: 1, skippedLines: 2, lines: 4, assistantMessages: 1 });
  });

  it("counts prompts, not tool results, meta lines or compaction summaries", () => {
    const agg = fold(
      userPrompt("first"),
      toolResult(),
      userPrompt("caveat", { isMeta: true }),
      compactBoundary(),
      userPrompt("continued from a previous conversation", { isCompactSummary: true }),
      userPrompt("second"),
    );
    expect(agg.userMessages).toBe(2);
    expect(agg.firstPrompt).toBe("first");
  });
});

describe("usage", () => {
  it("counts a response split over several lines once (message.id + requestId)", () => {
    const line = { id: "msg_A", requestId: "req_A" };
    const agg = fold(assistant(line), assistant({ ...line, text: "more" }), assistant(line));
    expect(agg.assistantMessages).toBe(1);
    expect(totalTokens(agg.tokensByModel)).toEqual({
      input: 10,
      output: 20,
      cacheCreation: 30,
      cacheRead: 40,
    });
  });

  it("counts growing snapshots of one response at their maximum", () => {
    const line = { id: "msg_B", requestId: "req_B" };
    const agg = fold(
      assistant({ ...line, usage: { input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 100 } }),
      assistant({ ...line, usage: { input_tokens: 5, output_tokens: 90, cache_read_input_tokens: 100 } }),
    );
    expect(totalTokens(agg.tokensByModel)).toEqual({
      input: 5,
      output: 90,
      cacheCreation: 0,
      cacheRead: 100,
    });
  });

  it("counts distinct responses and keeps tokens per model", () => {
    const agg = fold(
      assistant({ id: "m1", requestId: "r1", model: "claude-opus-4-5-20251101" }),
      assistant({ id: "m2", requestId: "r2", model: "claude-haiku-4-5-20251001" }),
      assistant({ id: "m3", requestId: "r3", model: "claude-opus-4-5-20251101" }),
    );
    expect(agg.assistantMessages).toBe(3);
    expect(agg.tokensByModel["claude-opus-4-5-20251101"]?.input).toBe(20);
    expect(agg.tokensByModel["claude-haiku-4-5-20251001"]?.input).toBe(10);
    expect(agg.model).toBe("claude-opus-4-5-20251101");
  });

  it("ignores <synthetic> messages for model, counts and tokens", () => {
    const agg = fold(assistant({ model: "claude-sonnet-4-5" }), assistant({ id: "x", model: "<synthetic>" }));
    expect(agg).toMatchObject({ model: "claude-sonnet-4-5", assistantMessages: 1 });
    expect(Object.keys(agg.tokensByModel)).toEqual(["claude-sonnet-4-5"]);
  });

  it("bills sidechain (subagent) lines but leaves model, counts and title to the main thread", () => {
    const agg = fold(
      userPrompt("Explore the repo", { isSidechain: true, agentId: "a1b2" }),
      assistant({ id: "s1", model: "claude-haiku-4-5", isSidechain: true, agentId: "a1b2" }),
      userPrompt("real prompt"),
    );
    expect(agg).toMatchObject({
      model: null,
      assistantMessages: 0,
      userMessages: 1,
      firstPrompt: "real prompt",
    });
    expect(agg.tokensByModel["claude-haiku-4-5"]?.output).toBe(20);
  });

  it("does not bill a fork for the lines it copied from its origin (requestSessionId)", () => {
    const copied = { ...assistant({ id: "m0", sessionId: "fork" }), requestSessionId: "origin" };
    const own = { ...assistant({ id: "m1", sessionId: "fork" }), requestSessionId: "fork" };
    const agg = fold(copied, own);
    expect(totalTokens(agg.tokensByModel).input).toBe(10);
    expect(agg.assistantMessages).toBe(2);
  });

  it("keeps its dedup window bounded", () => {
    const lines = Array.from({ length: USAGE_WINDOW * 3 }, (_, i) =>
      assistant({ id: `m${i}`, requestId: `r${i}` }),
    );
    const agg = fold(...lines);
    expect(agg.recentUsage).toHaveLength(USAGE_WINDOW);
    expect(agg.assistantMessages).toBe(USAGE_WINDOW * 3);
  });

  it("keeps hostile model names off Object.prototype", () => {
    const agg = fold(assistant({ model: "__proto__" }), assistant({ id: "m2", model: "constructor" }));
    expect(Object.keys(agg.tokensByModel).sort()).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).input).toBeUndefined();
    expect(structuredClone(agg)).toEqual(agg);
  });
});

describe("title", () => {
  const prompt = userPrompt("Add a login page");
  it("prefers custom-title over ai-title over summary over the first prompt, latest of each", () => {
    expect(titleOf(fold(prompt))).toEqual({ title: "Add a login page", titleSource: "first-prompt" });
    expect(titleOf(fold(prompt, summary("S1"), summary("S2")))).toEqual({
      title: "S2",
      titleSource: "summary",
    });
    expect(titleOf(fold(aiTitle("A1"), summary("S"), prompt, aiTitle("A2")))).toEqual({
      title: "A2",
      titleSource: "ai-title",
    });
    expect(titleOf(fold(customTitle("C1"), aiTitle("A"), customTitle("C2"), summary("S")))).toEqual({
      title: "C2",
      titleSource: "custom-title",
    });
  });

  it("falls back when the custom title is cleared", () => {
    expect(titleOf(fold(aiTitle("A"), customTitle("C"), customTitle("")))).toEqual({
      title: "A",
      titleSource: "ai-title",
    });
  });

  it("skips commands, tool results and interruptions for the first prompt, and truncates to 200", () => {
    const long = `Refactor ${"the scanner ".repeat(40)}`;
    const agg = fold(
      userPrompt("<command-name>/model</command-name>"),
      userPrompt("[Request interrupted by user]"),
      toolResult(),
      userPrompt(long),
    );
    const { title } = titleOf(agg);
    expect(title?.startsWith("Refactor the scanner")).toBe(true);
    expect(Array.from(title ?? "")).toHaveLength(200);
  });
});
