// A cold scan read in worker threads gives exactly what reading in this thread gives, including
// for a file that grew between the workers' read and the scan.
import { describe, expect, it } from "vitest";
import {
  assistant,
  customTitle,
  jsonl,
  makeTempConfig,
  toolResult,
  userPrompt,
} from "./fixtures/transcript-lines.ts";
import { readInWorkers } from "./scan-pool.ts";
import { createMemoryScanStateStore } from "./scan-state.ts";
import { scanWorkerUrl } from "./scan-worker.ts";
import { createTranscriptScanner } from "./scanner.ts";

const ids = [
  "4a1b2c3d-0000-4000-8000-00000000000a",
  "4a1b2c3d-0000-4000-8000-00000000000b",
  "4a1b2c3d-0000-4000-8000-00000000000c",
];

describe("reading a cold scan in worker threads", () => {
  it("matches the scan read in this thread", async () => {
    const cfg = makeTempConfig();
    try {
      ids.forEach((id, i) => {
        cfg.write(
          `-p${i}`,
          `${id}.jsonl`,
          jsonl(
            userPrompt(`task ${i} ünï`, { sessionId: id }),
            assistant({ id: `m${i}`, requestId: "r", sessionId: id, text: "x".repeat(5000) }),
            toolResult({ sessionId: id }),
            "not json",
            customTitle(`title ${i}`, id),
          ),
        );
      });
      cfg.write(
        "-p0",
        `${ids[0]}/subagents/agent-1.jsonl`,
        jsonl(assistant({ id: "sub", requestId: "rs", sessionId: ids[0], isSidechain: true })),
      );
      const here = createTranscriptScanner({
        configDirs: [cfg.dir],
        state: createMemoryScanStateStore(),
        now: () => 5,
      });
      const there = createTranscriptScanner({
        configDirs: [cfg.dir],
        state: createMemoryScanStateStore(),
        now: () => 5,
      });
      const unread = there.unreadFiles();
      expect(unread).toHaveLength(4);
      const prepared = await readInWorkers(unread, 5, {
        url: scanWorkerUrl(),
        threads: 2,
        maxLineBytes: 4 << 20,
      });
      expect(prepared.size).toBe(4);
      // One file grows after the workers read it: the scan reads the rest.
      cfg.append("-p1", `${ids[1]}.jsonl`, jsonl(userPrompt("late", { sessionId: ids[1] })));
      const a = here.scan({ all: true });
      const b = there.scan({ all: true, prepared });
      const byId = (r: typeof a) => [...r.changed].sort((x, y) => x.sessionId.localeCompare(y.sessionId));
      expect(byId(b)).toEqual(byId(a));
      expect(b.counters).toEqual(a.counters);
      expect(byId(b).find((f) => f.sessionId === ids[1])?.userMessages).toBe(2);
      expect(there.scan().changed).toEqual([]);
    } finally {
      cfg.cleanup();
    }
  });
});
