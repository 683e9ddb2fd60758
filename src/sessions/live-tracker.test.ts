// The live tracker across refreshes: a pid file caught half-written (Claude Code rewrites it on
// every status change) keeps what it said before; a file removed, or a process gone, ends it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLiveTracker } from "./live-tracker.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("the live tracker", () => {
  it("keeps a session's signal while its pid file is half-written, and drops it once the process is gone", () => {
    const cfg = mkdtempSync(join(tmpdir(), "claire-live-"));
    dirs.push(cfg);
    mkdirSync(join(cfg, "sessions"));
    const file = join(cfg, "sessions", "4242.json");
    let alive = true;
    const tracker = createLiveTracker({
      configDirs: [cfg],
      probe: { startTime: (pid) => (pid === 4242 && alive ? "100" : null) },
      claude: () => null,
      env: {},
    });
    const full = JSON.stringify({ pid: 4242, sessionId: "s-1", cwd: "/w", status: "busy", procStart: "100" });
    writeFileSync(file, full);
    const touched = new Set<string>();
    tracker.read(touched, []);
    expect(tracker.signal("s-1")?.state).toBe("working");

    writeFileSync(file, full.slice(0, 30)); // caught between the truncate and the write
    touched.clear();
    tracker.read(touched, []);
    expect(touched.has("s-1")).toBe(false);
    expect(tracker.signal("s-1")?.state).toBe("working");

    alive = false; // the process died with its file half-written
    tracker.read(touched, []);
    expect(tracker.signal("s-1")).toBeUndefined();
    expect(touched.has("s-1")).toBe(true);
  });
});
