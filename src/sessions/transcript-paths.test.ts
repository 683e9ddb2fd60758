// File-watch events name single paths: they must be classified exactly as a directory listing would.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assistant, jsonl, makeTempConfig, SESSION_ID, userPrompt } from "./fixtures/transcript-lines.ts";
import { createMemoryScanStateStore } from "./scan-state.ts";
import { createTranscriptScanner } from "./scanner.ts";
import { classifyTranscriptPath, listTranscriptFiles } from "./transcript-files.ts";

describe("classifyTranscriptPath", () => {
  it("agrees with listTranscriptFiles on every kind of file, and rejects the rest", () => {
    const cfg = makeTempConfig();
    try {
      cfg.write("-p", `${SESSION_ID}.jsonl`, "{}\n");
      cfg.write("-p", "agent-legacy1.jsonl", "{}\n");
      cfg.write("-p", `${SESSION_ID}/subagents/agent-a1.jsonl`, "{}\n");
      cfg.write("-p", `${SESSION_ID}/subagents/nested/agent-a2.jsonl`, "{}\n");
      const listed = listTranscriptFiles(cfg.dir).files;
      expect(listed).toHaveLength(4);
      for (const f of listed) expect(classifyTranscriptPath(cfg.dir, f.path)).toEqual(f);
      for (const p of [
        cfg.path("-p", `${SESSION_ID}/subagents/agent-a1.meta.json`),
        cfg.path("-p", `${SESSION_ID}/tool-results/x.jsonl`),
        cfg.path("-p", `${SESSION_ID}/subagents/notes.jsonl`),
        join(cfg.dir, "projects", "top.jsonl"),
        join(cfg.dir, "elsewhere", "-p", "x.jsonl"),
      ])
        expect(classifyTranscriptPath(cfg.dir, p), p).toBeNull();
    } finally {
      cfg.cleanup();
    }
  });
});

describe("scanning only the paths file events named", () => {
  it("reads the named files, finds a named file removed, and lists nothing else", () => {
    const cfg = makeTempConfig();
    try {
      const other = "4a1b2c3d-0000-4000-8000-000000000001";
      const main = cfg.write("-p", `${SESSION_ID}.jsonl`, jsonl(userPrompt("one")));
      const second = cfg.write("-q", `${other}.jsonl`, jsonl(userPrompt("two", { sessionId: other })));
      const scanner = createTranscriptScanner({
        configDirs: [cfg.dir],
        state: createMemoryScanStateStore(),
        now: () => 1,
      });
      expect(scanner.scan().changed).toHaveLength(2);
      cfg.append("-p", `${SESSION_ID}.jsonl`, jsonl(assistant({ id: "m1", requestId: "r1" })));
      cfg.append("-q", `${other}.jsonl`, jsonl(assistant({ id: "m2", requestId: "r2", sessionId: other })));
      const only = scanner.scan({ only: [main, join(cfg.dir, "projects", "-p", "unrelated.txt")] });
      expect(only.changed.map((f) => f.sessionId)).toEqual([SESSION_ID]);
      expect(only.counters).toMatchObject({ filesSeen: 1, filesRead: 1 });
      const full = scanner.scan();
      expect(full.changed.map((f) => f.sessionId)).toEqual([other]);
      cfg.cleanup();
      const gone = scanner.scan({ only: [second] });
      expect(gone.removed.map((r) => r.sessionId)).toEqual([other]);
      expect(gone.errors).toEqual([]);
      // all: every known session is reported, changed or not.
      expect(scanner.scan({ all: true, only: [] }).changed.map((f) => f.sessionId)).toEqual([SESSION_ID]);
    } finally {
      cfg.cleanup();
    }
  });
});
