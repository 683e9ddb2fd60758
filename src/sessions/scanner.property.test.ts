// Property: appends split at any byte give the same aggregate as reading the file once.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aiTitle,
  assistant,
  customTitle,
  makeTempConfig,
  SESSION_ID,
  summary,
  type TempConfig,
  toolResult,
  userPrompt,
} from "./fixtures/transcript-lines.ts";
import { createMemoryScanStateStore } from "./scan-state.ts";
import { createTranscriptScanner } from "./scanner.ts";

// Lines of every kind the fold treats differently, with multibyte text so that split points fall
// inside UTF-8 sequences, and few message ids so that responses repeat.
const lineArb = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }).map((t) => JSON.stringify(userPrompt(`ünï ${t}`))),
  fc
    .record({
      id: fc.constantFrom("m1", "m2", "m3"),
      requestId: fc.constantFrom("r1", "r2"),
      model: fc.constantFrom("claude-opus-4-5", "claude-haiku-4-5", "<synthetic>"),
      out: fc.nat(500),
      minute: fc.integer({ min: 10, max: 59 }),
      isSidechain: fc.boolean(),
    })
    .map((o) =>
      JSON.stringify(
        assistant({
          ...o,
          timestamp: `2026-11-20T10:${o.minute}:00.000Z`,
          usage: { input_tokens: 7, output_tokens: o.out },
        }),
      ),
    ),
  fc.constantFrom(
    JSON.stringify(toolResult()),
    JSON.stringify(customTitle("Mine 🚀")),
    JSON.stringify(customTitle("")),
    JSON.stringify(aiTitle("Named by AI")),
    JSON.stringify(summary("Summary")),
    '{"type":"assistant","message":{"id":',
    "",
    "not json at all",
    `{"type":"user","pad":"${"é".repeat(200)}"}`,
  ),
);

let tmp: TempConfig;
let run = 0;
beforeAll(() => {
  tmp = makeTempConfig("claire-prop-");
});
afterAll(() => tmp.cleanup());

const scanAll = (configDir: string, chunks: Buffer[]) => {
  const store = createMemoryScanStateStore();
  // A small cap so that the long line above is oversized and split across appends too.
  const scanner = createTranscriptScanner({
    configDirs: [configDir],
    state: store,
    now: () => 0,
    maxLineBytes: 300,
  });
  const path = join(configDir, "projects", "p", `${SESSION_ID}.jsonl`);
  mkdirSync(join(configDir, "projects", "p"), { recursive: true });
  writeFileSync(path, "");
  let bytesRead = 0;
  let facts: object | null = null;
  for (const chunk of chunks) {
    appendFileSync(path, chunk);
    const result = scanner.scan();
    bytesRead += result.counters.bytesRead;
    const last = result.changed.at(-1);
    if (last !== undefined) facts = { ...last, configDir: null, transcriptPath: null };
  }
  const state = store.get(path);
  return { agg: state?.agg, offset: state?.offset, bytesRead, facts };
};

describe("incremental scanning", () => {
  it("gives the same aggregate whatever the points where appends split the bytes", () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 25 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 8 }),
        (lines, trailingNewline, cuts) => {
          const bytes = Buffer.from(lines.join("\n") + (trailingNewline ? "\n" : ""));
          const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
            (a, b) => a - b,
          );
          const chunks = [0, ...points].map((p, i, all) => bytes.subarray(p, all[i + 1] ?? bytes.length));
          const dir = join(tmp.dir, `run-${run++}`);
          const whole = scanAll(`${dir}-whole`, [bytes]);
          const pieces = scanAll(`${dir}-pieces`, chunks);
          expect(pieces.agg).toEqual(whole.agg);
          expect(pieces.offset).toEqual(whole.offset);
          expect(pieces.facts).toEqual(whole.facts);
        },
      ),
      { numRuns: 60 },
    );
  });
});
