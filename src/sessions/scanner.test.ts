// Scanner over one transcript as it changes: appended, half-written, truncated, replaced, deleted.
import { renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  assistant,
  customTitle,
  jsonl,
  makeTempConfig,
  SESSION_ID,
  type TempConfig,
  userPrompt,
} from "./fixtures/transcript-lines.ts";
import { createMemoryScanStateStore, type ScanStateStore } from "./scan-state.ts";
import { createTranscriptScanner } from "./scanner.ts";

const PROJECT = "-home-ada-work-claire";
const FILE = `${SESSION_ID}.jsonl`;
let tmp: TempConfig;
let store: ScanStateStore;
const scanner = () => createTranscriptScanner({ configDirs: [tmp.dir], state: store, now: () => 1_000 });

beforeEach(() => {
  tmp = makeTempConfig();
  store = createMemoryScanStateStore();
});
afterEach(() => tmp.cleanup());

const opening = jsonl(userPrompt("Build the scanner"), assistant({ id: "m1", requestId: "r1" }));

describe("scanner: one transcript over time", () => {
  it("reports a new session with its facts, then nothing while the file is unchanged", () => {
    const path = tmp.write(PROJECT, FILE, opening);
    const s = scanner();
    const first = s.scan();
    expect(first.changed).toHaveLength(1);
    expect(first.changed[0]).toMatchObject({
      sessionId: SESSION_ID,
      configDir: tmp.dir,
      transcriptPath: path,
      cwd: "/home/ada/work/claire",
      gitBranch: "main",
      version: "2.1.330",
      title: "Build the scanner",
      titleSource: "first-prompt",
      model: "claude-sonnet-4-5-20250929",
      firstActivity: "2026-11-20T10:00:00.000Z",
      userMessages: 1,
      assistantMessages: 1,
      tokens: { input: 10, output: 20, cacheCreation: 30, cacheRead: 40 },
      badLines: 0,
    });
    expect(first.changed[0]?.costUsd).toBeCloseTo((10 * 3 + 20 * 15 + 30 * 3.75 + 40 * 0.3) / 1e6, 12);
    expect(first.counters).toMatchObject({ filesSeen: 1, filesRead: 1, bytesRead: opening.length });
    const again = s.scan();
    expect(again).toMatchObject({
      changed: [],
      removed: [],
      counters: { filesSeen: 1, filesRead: 0, bytesRead: 0 },
    });
  });

  it("reads only the bytes appended between two scans", () => {
    tmp.write(PROJECT, FILE, opening);
    const s = scanner();
    s.scan();
    const more = jsonl(
      customTitle("Scanner work"),
      assistant({ id: "m2", requestId: "r2", timestamp: "2026-11-20T11:00:00.000Z" }),
    );
    tmp.append(PROJECT, FILE, more);
    const second = s.scan();
    expect(second.counters.bytesRead).toBe(Buffer.byteLength(more));
    expect(second.changed[0]).toMatchObject({
      title: "Scanner work",
      titleSource: "custom-title",
      assistantMessages: 2,
      lastActivity: "2026-11-20T11:00:00.000Z",
      tokens: { input: 20 },
    });
  });

  it("completes a half-written last line on a later scan, counting nothing twice", () => {
    const line = JSON.stringify(assistant({ id: "m2", requestId: "r2" }));
    tmp.write(PROJECT, FILE, opening + line.slice(0, 40));
    const s = scanner();
    expect(s.scan().changed[0]).toMatchObject({ assistantMessages: 1, badLines: 0 });
    tmp.append(PROJECT, FILE, `${line.slice(40)}\n`);
    expect(s.scan().changed[0]).toMatchObject({ assistantMessages: 2, badLines: 0, tokens: { input: 20 } });
    expect(s.scan().changed).toEqual([]);
  });

  it("skips a 5 MB line, counts it, and reads on", () => {
    const huge = JSON.stringify(userPrompt(`paste ${"x".repeat(5 * 1024 * 1024)}`));
    tmp.write(PROJECT, FILE, jsonl(userPrompt("before"), huge, "{broken", assistant()));
    const result = scanner().scan();
    expect(result.counters).toMatchObject({ oversizedLines: 1, badLines: 1 });
    expect(result.changed[0]).toMatchObject({
      title: "before",
      userMessages: 1,
      assistantMessages: 1,
      badLines: 2,
    });
  });

  it("re-reads a truncated file from the start", () => {
    tmp.write(PROJECT, FILE, opening + jsonl(assistant({ id: "m2", requestId: "r2" })));
    const s = scanner();
    expect(s.scan().changed[0]?.assistantMessages).toBe(2);
    truncateSync(tmp.path(PROJECT, FILE), Buffer.byteLength(jsonl(userPrompt("Build the scanner"))) + 5);
    const after = s.scan();
    expect(after.changed[0]).toMatchObject({ assistantMessages: 0, userMessages: 1, tokens: { input: 0 } });
  });

  it("re-reads a replaced file (new inode), even when it grew", () => {
    const path = tmp.write(PROJECT, FILE, opening);
    const s = scanner();
    s.scan();
    const next = jsonl(
      userPrompt("Other work"),
      assistant({ id: "x1", requestId: "y1" }),
      assistant({ id: "x2" }),
    );
    writeFileSync(`${path}.tmp`, next);
    renameSync(`${path}.tmp`, path);
    const after = s.scan();
    expect(after.counters.bytesRead).toBe(Buffer.byteLength(next));
    expect(after.changed[0]).toMatchObject({
      title: "Other work",
      assistantMessages: 2,
      tokens: { input: 20 },
    });
  });

  it("re-reads a file rewritten in place to a larger size (same inode)", () => {
    const path = tmp.write(PROJECT, FILE, opening);
    const ino = statSync(path).ino;
    const s = scanner();
    s.scan();
    writeFileSync(
      path,
      jsonl(userPrompt("Rewritten prompt that is longer"), assistant({ id: "z" })) + opening,
    );
    expect(statSync(path).ino).toBe(ino);
    expect(s.scan().changed[0]).toMatchObject({
      title: "Rewritten prompt that is longer",
      assistantMessages: 2,
    });
  });

  it("reports a deleted transcript once as removed", () => {
    const path = tmp.write(PROJECT, FILE, opening);
    const s = scanner();
    s.scan();
    unlinkSync(path);
    const result = s.scan();
    expect(result.removed).toEqual([{ sessionId: SESSION_ID, configDir: tmp.dir, transcriptPath: path }]);
    expect(result.changed).toEqual([]);
    expect(s.scan().removed).toEqual([]);
  });

  it("does not call sessions removed when their config dir is unreadable or no longer scanned", () => {
    tmp.write(PROJECT, FILE, opening);
    scanner().scan();
    const other = makeTempConfig();
    const elsewhere = createTranscriptScanner({ configDirs: [other.dir], state: store, now: () => 1 });
    expect(elsewhere.scan().removed).toEqual([]);
    other.cleanup();
    rmSync(tmp.dir, { recursive: true });
    const result = scanner().scan();
    expect(result.removed).toEqual([]);
    expect(result.errors).toEqual([{ type: "TranscriptDirUnreadable", path: tmp.dir, code: "ENOENT" }]);
  });

  it("survives a restart: a new scanner over the same store reads nothing again", () => {
    tmp.write(PROJECT, FILE, opening);
    scanner().scan();
    const restarted = scanner().scan();
    expect(restarted).toMatchObject({ changed: [], counters: { filesSeen: 1, bytesRead: 0 } });
  });

  it("reads a file again when its stored aggregate has an older format", () => {
    const path = tmp.write(PROJECT, FILE, opening);
    scanner().scan();
    const row = store.get(path)!;
    store.put(path, { ...row, agg: { ...row.agg, format: 0, userMessages: 99 } });
    const result = scanner().scan();
    expect(result.counters.bytesRead).toBe(opening.length);
    expect(result.changed[0]?.userMessages).toBe(1);
  });
});
