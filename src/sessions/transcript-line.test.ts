// Permissive line parsing and prompt extraction.
import { describe, expect, it } from "vitest";
import {
  aiTitle,
  assistant,
  customTitle,
  summary,
  toolResult,
  userBlocks,
  userPrompt,
} from "./fixtures/transcript-lines.ts";
import { normaliseTitle, stripLeadingTags } from "./prompt-text.ts";
import { parseTranscriptLine } from "./transcript-line.ts";

const parse = (o: unknown) => parseTranscriptLine(JSON.stringify(o));

describe("parseTranscriptLine", () => {
  it("never throws: malformed JSON and non-objects are bad, blank lines are blank", () => {
    for (const text of ['{"type":"user"', "not json", "[1,2]", "42", "null", '"str"', "\u0000\uFFFF{"]) {
      expect(parseTranscriptLine(text)).toEqual({ kind: "bad" });
    }
    expect(parseTranscriptLine("")).toEqual({ kind: "blank" });
    expect(parseTranscriptLine("  \r")).toEqual({ kind: "blank" });
  });

  it("reads the common fields and ignores wrongly typed ones", () => {
    const line = parse({ ...userPrompt("hi"), cwd: 7, gitBranch: ["x"], timestamp: "yesterday" });
    expect(line.kind).toBe("user");
    if (line.kind !== "user") return;
    expect(line.meta).toMatchObject({ cwd: null, gitBranch: null, timestamp: null, version: "2.1.330" });
    expect(line.prompt).toBe("hi");
  });

  it("reads an assistant line's id, request id, model and usage (1-hour cache writes apart)", () => {
    const line = parse(
      assistant({
        id: "msg_9",
        requestId: "req_9",
        model: "claude-opus-4-5-20251101",
        usage: {
          input_tokens: 1,
          output_tokens: 2,
          cache_creation_input_tokens: 30,
          cache_read_input_tokens: 4,
          cache_creation: { ephemeral_1h_input_tokens: 25 },
        },
      }),
    );
    expect(line).toMatchObject({
      kind: "assistant",
      messageId: "msg_9",
      requestId: "req_9",
      model: "claude-opus-4-5-20251101",
      usage: { input: 1, output: 2, cacheCreation: 30, cacheRead: 4, cacheCreation1h: 25 },
    });
  });

  it("treats negative, fractional-garbage and missing usage numbers as zero", () => {
    const line = parse(assistant({ usage: { input_tokens: -5, output_tokens: Number.NaN } }));
    expect(line).toMatchObject({ usage: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 } });
  });

  it("treats an impossible count (over a billion tokens in one response) as a bad value, not a total to keep", () => {
    const line = parse(
      assistant({ usage: { input_tokens: 2 ** 60, output_tokens: 1e300, cache_read_input_tokens: 7 } }),
    );
    expect(line).toMatchObject({ usage: { input: 0, output: 0, cacheCreation: 0, cacheRead: 7 } });
  });

  it("knows the title lines, and an empty custom title as a reset", () => {
    expect(parse(customTitle("Mine"))).toMatchObject({
      kind: "title",
      source: "custom-title",
      title: "Mine",
    });
    expect(parse(aiTitle("Guess"))).toMatchObject({ kind: "title", source: "ai-title", title: "Guess" });
    expect(parse(summary("Sum"))).toMatchObject({ kind: "title", source: "summary", title: "Sum" });
    expect(parse(customTitle(""))).toMatchObject({ kind: "title", title: "" });
  });

  it("keeps unknown line types as other, with their common fields", () => {
    const line = parse({ type: "queue-operation", operation: "enqueue", timestamp: "2026-01-01T00:00:00Z" });
    expect(line).toMatchObject({
      kind: "other",
      type: "queue-operation",
      meta: { timestamp: Date.UTC(2026, 0, 1) },
    });
    expect(parse({ no: "type" })).toMatchObject({ kind: "other", type: null });
  });

  it("finds no prompt in tool results, meta lines, compaction summaries, commands and interruptions", () => {
    const none = [
      toolResult(),
      userPrompt("Caveat: the messages below...", { isMeta: true }),
      userPrompt("This session is being continued from a previous conversation", { isCompactSummary: true }),
      userPrompt("<command-message>init is analyzing</command-message>\n<command-name>/init</command-name>"),
      userPrompt("<local-command-stdout>Set model to opus</local-command-stdout>"),
      userPrompt("[Request interrupted by user for tool use]"),
      userBlocks([{ type: "text", text: "[Request interrupted by user]" }]),
      userBlocks([{ type: "image", source: { type: "base64", data: "AAAA" } }]),
    ];
    for (const o of none) expect(parse(o)).toMatchObject({ kind: "user", prompt: null });
  });

  it("takes the text blocks of a prompt, skipping IDE context tags", () => {
    const line = parse(
      userBlocks([
        { type: "text", text: "<ide_opened_file>The user opened x.ts</ide_opened_file>" },
        { type: "text", text: "Fix the bug" },
      ]),
    );
    expect(line).toMatchObject({ prompt: "Fix the bug" });
  });
});

describe("prompt text", () => {
  it("strips only closed leading tags", () => {
    expect(stripLeadingTags("<a>x</a> <b k='1'>y</b>rest")).toBe("rest");
    expect(stripLeadingTags("<div> is broken")).toBe("<div> is broken");
    expect(stripLeadingTags("why does a < b")).toBe("why does a < b");
  });

  it("normalises titles to one line of at most 200 characters, code points intact", () => {
    expect(normaliseTitle("  two\n\nlines\t")).toBe("two lines");
    expect(normaliseTitle(" \n ")).toBeNull();
    const long = normaliseTitle("😀".repeat(300))!;
    expect(Array.from(long)).toHaveLength(200);
    expect(long.endsWith("…")).toBe(true);
    expect(long.isWellFormed()).toBe(true);
  });
});
