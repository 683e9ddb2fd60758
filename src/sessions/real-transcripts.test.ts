// Transcripts the real claude CLI wrote (test/fixtures/claude), laid out as a config dir and scanned.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempConfig } from "./fixtures/transcript-lines.ts";
import { createMemoryScanStateStore } from "./scan-state.ts";
import { createTranscriptScanner } from "./scanner.ts";
import type { SessionFacts } from "./session-facts.ts";

const SAMPLES = join(import.meta.dirname, "../../test/fixtures/claude/samples/transcripts");
const present = existsSync(SAMPLES);

type Line = Record<string, unknown> & { message?: Record<string, unknown> };
const readLines = (path: string): Line[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Line);

/** Tokens as an independent, simple reading: each (message.id, requestId) once, copies from a fork left out. */
const expectedInput = (lines: Line[]): number => {
  const seen = new Map<string, number>();
  for (const l of lines) {
    if (l.type !== "assistant" || l.message?.model === "<synthetic>") continue;
    if (typeof l.requestSessionId === "string" && l.requestSessionId !== l.sessionId) continue;
    const usage = l.message?.usage as { input_tokens?: number } | undefined;
    seen.set(`${String(l.message?.id)}:${String(l.requestId)}`, usage?.input_tokens ?? 0);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
};

const tmp = makeTempConfig("claire-real-");
afterAll(() => tmp.cleanup());

describe.skipIf(!present)("real Claude Code transcripts", () => {
  const names = present ? readdirSync(SAMPLES).filter((n) => n.endsWith(".jsonl")) : [];
  const bySession = new Map<string, { name: string; lines: Line[]; subagentLines: Line[] }>();
  for (const name of names) {
    const lines = readLines(join(SAMPLES, name));
    const sessionId = lines.find((l) => typeof l.sessionId === "string")?.sessionId as string;
    const project = join(tmp.dir, "projects", "-tmp-cx-proj");
    mkdirSync(project, { recursive: true });
    cpSync(join(SAMPLES, name), join(project, `${sessionId}.jsonl`));
    const subagents = join(SAMPLES, name.replace(/\.jsonl$/, ""), "subagents");
    const subagentLines: Line[] = [];
    if (existsSync(subagents)) {
      cpSync(subagents, join(project, sessionId, "subagents"), { recursive: true });
      for (const f of readdirSync(subagents).filter((n) => n.endsWith(".jsonl"))) {
        subagentLines.push(...readLines(join(subagents, f)));
      }
    }
    bySession.set(sessionId, { name, lines, subagentLines });
  }
  const result = present
    ? createTranscriptScanner({
        configDirs: [tmp.dir],
        state: createMemoryScanStateStore(),
        now: () => 0,
      }).scan()
    : null;
  const facts = new Map<string, SessionFacts>(result?.changed.map((f) => [f.sessionId, f]) ?? []);

  it("reads every sample as one session, with no bad lines and subagents not listed", () => {
    expect(result?.errors).toEqual([]);
    expect([...facts.keys()].sort()).toEqual([...bySession.keys()].sort());
    for (const f of facts.values()) {
      expect(f.badLines, f.transcriptPath).toBe(0);
      expect(f.cwd).toMatch(/^\/tmp\//);
      expect(f.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(f.title).not.toBeNull();
      expect(f.model).not.toBeNull();
      expect(f.costUsd).not.toBeNull();
      expect(f.firstActivity! <= f.lastActivity!).toBe(true);
    }
  });

  it("counts each response once, copies made by a fork not at all, subagents toward the parent", () => {
    for (const [sessionId, s] of bySession) {
      const want = expectedInput(s.lines) + expectedInput(s.subagentLines);
      expect(facts.get(sessionId)?.tokens.input, s.name).toBe(want);
    }
  });

  it("takes the latest custom title where the CLI recorded one", () => {
    for (const [sessionId, s] of bySession) {
      const sidecar = join(SAMPLES, s.name.replace(/\.jsonl$/, ""), "custom-title.json");
      if (!existsSync(sidecar)) continue;
      const { customTitle } = JSON.parse(readFileSync(sidecar, "utf8")) as { customTitle: string };
      expect(facts.get(sessionId)).toMatchObject({ title: customTitle, titleSource: "custom-title" });
    }
  });

  it("finds the first real prompt past commands, caveats and interruptions", () => {
    for (const [sessionId, s] of bySession) {
      const f = facts.get(sessionId)!;
      if (f.titleSource !== "first-prompt") continue;
      expect(f.title).not.toMatch(/^<|^\[Request interrupted/);
      expect(f.userMessages).toBeGreaterThan(0);
      expect(
        s.lines.some((l) => l.type === "last-prompt" && l.lastPrompt === f.title) || f.userMessages > 0,
      ).toBe(true);
    }
  });

  it("agrees with Claude Code's own cost where both counted the same requests", () => {
    let compared = 0;
    for (const [sessionId, s] of bySession) {
      const costState = s.lines.filter((l) => l.type === "cost-state").at(-1) as
        | { totalCostUSD: number; modelUsage: Record<string, { inputTokens: number }> }
        | undefined;
      if (costState === undefined) continue;
      const theirInput = Object.values(costState.modelUsage).reduce((n, m) => n + m.inputTokens, 0);
      const f = facts.get(sessionId)!;
      // A fork inherits its origin's cost, and compaction calls leave no assistant line: skip those.
      if (theirInput !== f.tokens.input || s.subagentLines.length > 0) continue;
      expect(f.costUsd, s.name).toBeCloseTo(costState.totalCostUSD, 9);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(Math.min(3, bySession.size));
  });
});
