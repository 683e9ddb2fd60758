// The fast parses (long unused strings blanked before JSON.parse, from a decoded line or from its
// bytes in the quote index's buffer) must read every line exactly as the plain parse does: real
// Claude Code lines, tricky hand-made ones, and generated ones.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assistant, toolResult, userBlocks, userPrompt } from "./fixtures/transcript-lines.ts";
import { LONG_STRING_CHARS, REDUCE_MIN_CHARS, reduceLine, reduceLineBytes } from "./line-reducer.ts";
import { createQuoteIndex, type QuoteIndex } from "./quote-index.ts";
import { parseTranscriptLine, parseTranscriptLineBytes, parseTranscriptLineFast } from "./transcript-line.ts";

const SAMPLES = join(import.meta.dirname, "..", "..", "test", "fixtures", "claude", "samples", "transcripts");
const big = (s: string) => s.repeat(Math.ceil((REDUCE_MIN_CHARS * 2) / s.length));
const CODE = 'if (a === "x\\\\") {\n\treturn "\\u00e9 \\"quoted\\" \\\\";\n} // ünï 🚀';

const index = createQuoteIndex(8 << 20) as QuoteIndex;

/** The line's bytes placed in the index's buffer (at an odd offset, after quotes that must not count). */
const inIndex = (bytes: Buffer): { start: number; end: number } => {
  const start = 67;
  index.buffer.fill(0x22, 0, start);
  bytes.copy(index.buffer, start);
  index.buffer.fill(0x5c, start + bytes.length, start + bytes.length + 64);
  return { start, end: start + bytes.length };
};

/** Every fast path reads the line (text, or raw bytes that need not be valid UTF-8) as the plain parse. */
const same = (line: string | Buffer): void => {
  const bytes = typeof line === "string" ? Buffer.from(line) : line;
  const plain = parseTranscriptLine(bytes.toString("utf8"));
  if (typeof line === "string") expect(parseTranscriptLineFast(line)).toEqual(plain);
  const { start, end } = inIndex(bytes);
  expect(parseTranscriptLineBytes(index.buffer, start, end, index)).toEqual(plain);
  expect(parseTranscriptLineBytes(bytes, 0, bytes.length, index)).toEqual(plain); // not in the index
  expect(parseTranscriptLineBytes(bytes, 0, bytes.length, null)).toEqual(plain);
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

  it("reduces from the bytes as from the text, decoding only what it keeps", () => {
    const result = Buffer.from(
      JSON.stringify(
        userBlocks([{ type: "tool_result", tool_use_id: "t1", content: big(CODE), is_error: false }]),
      ),
    );
    const { start, end } = inIndex(result);
    const r = reduceLineBytes(index.buffer, start, end, index)!;
    expect(r).toEqual(reduceLine(result.toString("utf8")));
    expect(r).toMatchObject({ blankedInContent: true, toolResult: true });
  });

  it("parses lines with escaped keys near the top as they are", () => {
    // "cw\u0064" is "cwd" and "m\u0065ssage" is "message": the raw text would not say so.
    const long = `/srv/${"deep/".repeat(80)}x`;
    same(
      `{"type":"user","cw\\u0064":${JSON.stringify(long)},"message":{"role":"user","content":"hi"},"pad":"${"p".repeat(3000)}"}`,
    );
    same(
      `{"type":"assistant","m\\u0065ssage":{"id":"m1","model":${JSON.stringify(`claude-${"x".repeat(300)}`)},"content":[{"type":"text","text":${JSON.stringify(big(CODE))}}]}}`,
    );
  });

  it("reads huge, unicode and invalid UTF-8 lines as the plain parse does", () => {
    same(JSON.stringify(assistant({ text: "é🚀日本".repeat(200_000), model: "claude-opus-4-5" })));
    same(JSON.stringify(userPrompt(`${"🚀".repeat(3000)} fix it`)));
    const bad = Buffer.from(JSON.stringify(toolResult()).replace('"ok"', JSON.stringify(big("xé"))));
    // A lone lead byte just before a closing quote, a stray continuation byte, a cut 4-byte sequence.
    const at = bad.indexOf("xé");
    for (const bytes of [[0xe2], [0x80], [0xf0, 0x9f, 0x9a]]) {
      const broken = Buffer.concat([bad.subarray(0, at), Buffer.from(bytes), bad.subarray(at)]);
      same(broken);
      const end = bad.lastIndexOf('"', bad.indexOf('"is_error"') - 1);
      same(Buffer.concat([bad.subarray(0, end), Buffer.from(bytes), bad.subarray(end)]));
    }
  });

  it("falls back to the plain parse for lines that do not scan as JSON", () => {
    const cut = JSON.stringify(toolResult()).replace('"ok"', JSON.stringify(big(CODE)));
    for (const line of [
      cut.slice(0, -1),
      `${cut}]`,
      `[${cut}]`,
      `"${big("x")}"`,
      `${cut.slice(0, 3000)}`,
      `${cut.slice(0, 3000)}\\`,
      cut.replace('"type":"user"', '"type":"user"\\'),
      cut.replace('{"parentUuid"', '{\\"parentUuid"'),
      `}${cut}{`,
      cut.replace('"is_error"', '"is_error" "x"'),
    ])
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
