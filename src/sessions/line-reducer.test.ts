// The fast parse (long unused strings blanked before JSON.parse) must read every line exactly as
// the plain parse does: real Claude Code lines, tricky hand-made ones, and generated ones.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assistant, toolResult, userBlocks, userPrompt } from "./fixtures/transcript-lines.ts";
import { LONG_STRING_CHARS, REDUCE_MIN_CHARS, reduceLine } from "./line-reducer.ts";
import { parseTranscriptLine, parseTranscriptLineFast } from "./transcript-line.ts";

const SAMPLES = join(import.meta.dirname, "..", "..", "test", "fixtures", "claude", "samples", "transcripts");
const big = (s: string) => s.repeat(Math.ceil((REDUCE_MIN_CHARS * 2) / s.length));
const CODE = 'if (a === "x\\\\") {\n\treturn "\\u00e9 \\"quoted\\" \\\\";\n} // ünï 🚀';

const same = (line: string): void => {
  expect(parseTranscriptLineFast(line)).toEqual(parseTranscriptLine(line));
};

describe("parseTranscriptLineFast", () => {
  it("reads every line of the real transcripts as the plain parse does", () => {
    let lines = 0;
    for (const f of readdirSync(SAMPLES).filter((n) => n.endsWith(".jsonl"))) {
      for (const line of readFileSync(join(SAMPLES, f), "utf8").split("\n")) {
        same(line);
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(100);
  });

  it("blanks long tool results, tool inputs and attachments, and keeps what Claire reads", () => {
    const result = JSON.stringify(
      userBlocks([{ type: "tool_result", tool_use_id: "t1", content: big(CODE), is_error: false }], {
        cwd: `/srv/${"deep/".repeat(80)}x`,
      }),
    );
    const r = reduceLine(result)!;
    expect(r).toMatchObject({ blankedInContent: true, toolResult: true });
    expect(r.text.length).toBeLessThan(1500);
    expect(r.text).toContain('"cwd":"/srv/deep/deep/'); // a long cwd stays
    same(result);
    const reply = assistant({ text: big(CODE), model: "claude-opus-4-5" });
    same(JSON.stringify(reply));
    expect(reduceLine(JSON.stringify(reply))?.text).toContain('"model":"claude-opus-4-5"');
    same(
      JSON.stringify({
        type: "attachment",
        attachment: { type: "skill_listing", content: big(CODE) },
        timestamp: "2026-11-20T10:00:00.000Z",
      }),
    );
  });

  it("parses a user line whole when a blanked string could be its prompt", () => {
    const prompt = `<ide_selection>${big(CODE)}</ide_selection> Now fix the bug`;
    same(JSON.stringify(userBlocks([{ type: "text", text: prompt }])));
    same(JSON.stringify(userPrompt(prompt)));
    same(
      JSON.stringify(
        userBlocks([
          { type: "image", source: { data: big("QUJD") } },
          { type: "text", text: "what is this?" },
        ]),
      ),
    );
    expect(parseTranscriptLineFast(JSON.stringify(userPrompt(prompt)))).toMatchObject({
      kind: "user",
      prompt: expect.stringContaining("Now fix the bug"),
    });
  });

  it("falls back to the plain parse for lines that do not scan as JSON", () => {
    const cut = JSON.stringify(toolResult()).replace('"ok"', JSON.stringify(big(CODE)));
    for (const line of [cut.slice(0, -1), `${cut}]`, `[${cut}]`, `"${big("x")}"`, `${cut.slice(0, 3000)}`])
      same(line);
  });

  it("agrees with the plain parse on generated lines", () => {
    const text = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({ unit: "binary", minLength: LONG_STRING_CHARS, maxLength: LONG_STRING_CHARS + 600 }),
      fc.constantFrom(big(CODE), '\\"', "\\", `${"\\".repeat(7)}"`),
    );
    const block = fc.oneof(
      text.map((t) => ({ type: "text", text: t })),
      text.map((t) => ({ type: "tool_result", tool_use_id: "t", content: t })),
      fc.record({
        type: fc.constant("tool_use"),
        name: fc.constant("Edit"),
        input: fc.dictionary(fc.string(), text),
      }),
    );
    const line = fc.oneof(
      fc.record({ content: fc.oneof(text, fc.array(block, { maxLength: 4 })), padding: text }).map((o) =>
        JSON.stringify({
          ...userPrompt("x"),
          message: { role: "user", content: o.content },
          toolUseResult: o.padding,
        }),
      ),
      fc.record({ blocks: fc.array(block, { maxLength: 4 }), model: text }).map((o) =>
        JSON.stringify({
          ...assistant(),
          message: { ...assistant().message, content: o.blocks, model: o.model },
        }),
      ),
      fc
        .record({ key: fc.constantFrom("customTitle", "summary", "cwd", "gitBranch", "other"), value: text })
        .map((o) =>
          JSON.stringify({
            ...userPrompt("y"),
            [o.key]: o.value,
            type: o.key === "other" ? "user" : o.key === "summary" ? "summary" : "custom-title",
          }),
        ),
    );
    fc.assert(
      fc.property(line, (l) => same(l)),
      { numRuns: 400 },
    );
  });
});
