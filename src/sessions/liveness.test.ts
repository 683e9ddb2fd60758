// Liveness parsing on Claude Code 2.1.330's real files (test/fixtures/claude/samples): pid files,
// `claude agents --json`, /proc start times, and which signal wins.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgentsJson } from "./claude-agents.ts";
import { type LiveSignal, pickSignal, pidFileSignal, procStartOf, UNKNOWN_START } from "./liveness.ts";

const SAMPLES = join(import.meta.dirname, "..", "..", "test", "fixtures", "claude", "samples");
const sample = (name: string) => readFileSync(join(SAMPLES, name), "utf8");
const running = (pid: number, start: string) => ({ startTime: (p: number) => (p === pid ? start : null) });

describe("pid files", () => {
  it("reads each status of a real pid file", () => {
    const probe = running(11116, "72863");
    const states = ["none", "idle", "busy", "waiting"].map((s) => {
      const sig = pidFileSignal(sample(`sessions-pid-interactive-${s}.json`), probe);
      return [sig?.state, sig?.stateReason];
    });
    expect(states).toEqual([
      ["idle", null],
      ["idle", null],
      ["working", null],
      ["waiting", "permission"],
    ]);
    expect(pidFileSignal(sample("sessions-pid-interactive-busy.json"), probe)).toEqual({
      sessionId: "05f109f3-b88a-4533-8e9c-7d380198ede8",
      state: "working",
      stateReason: null,
      pid: 11116,
      cwd: "/tmp/cx/lab9/proj",
      version: "2.1.330",
      at: 1795468133571,
      source: "pid-file",
    });
  });

  it("refuses a file whose pid is gone or started at another time (reused), and half-written files", () => {
    const text = sample("sessions-pid-print-busy.json");
    expect(pidFileSignal(text, running(5458, "40373"))?.state).toBe("working");
    expect(pidFileSignal(text, running(5458, "99999"))).toBeNull();
    expect(pidFileSignal(text, running(1, "40373"))).toBeNull();
    expect(pidFileSignal(text, running(5458, UNKNOWN_START))?.pid).toBe(5458); // no /proc: existence only
    expect(pidFileSignal(text.slice(0, 40), running(5458, "40373"))).toBeNull();
    expect(pidFileSignal('{"pid":"5458","sessionId":"x"}', running(5458, "40373"))).toBeNull();
  });

  it("takes field 22 of /proc/<pid>/stat, whatever the command name holds", () => {
    const rest = Array.from({ length: 50 }, (_, i) => String(i + 4)).join(" "); // fields 4..53
    expect(procStartOf(`123 (claude) S ${rest}`)).toBe("22");
    expect(procStartOf(`123 (a) b (c d) S ${rest}`)).toBe("22");
  });

  it("a process dead but not yet reaped (a zombie) runs nothing", () => {
    const rest = Array.from({ length: 50 }, (_, i) => String(i + 4)).join(" ");
    expect(procStartOf(`123 (claude) Z ${rest}`)).toBeNull();
    expect(procStartOf(`123 (claude) X ${rest}`)).toBeNull();
  });
});

describe("claude agents --json", () => {
  it("parses the real output", () => {
    expect(parseAgentsJson(sample("agents-json-running-print.json"))).toEqual({
      ok: true,
      signals: [
        {
          sessionId: "82968727-b56a-4e27-93e9-06c5bf1248bd",
          state: "working",
          stateReason: null,
          pid: 5458,
          cwd: "/tmp/cx/lab1/proj",
          version: null,
          at: null,
          source: "agents",
        },
      ],
    });
    expect(parseAgentsJson(sample("agents-json-none.json"))).toEqual({ ok: true, signals: [] });
    expect(parseAgentsJson("Error: unknown command")).toMatchObject({ ok: false });
    expect(parseAgentsJson('{"agents":[]}')).toEqual({
      ok: false,
      error: "printed JSON that is not an array",
    });
    expect(parseAgentsJson('[{"pid":1},{"sessionId":"x"},null]')).toEqual({ ok: true, signals: [] });
  });
});

describe("which signal wins", () => {
  const sig = (source: LiveSignal["source"], at: number | null, state: LiveSignal["state"]): LiveSignal => ({
    sessionId: "s",
    state,
    stateReason: null,
    pid: 1,
    cwd: null,
    version: null,
    at,
    source,
  });
  it("believes the newest signal, and on a tie the source closest to the process", () => {
    expect(pickSignal([sig("pid-file", 10, "idle"), sig("hook", 20, "working")])?.source).toBe("hook");
    expect(pickSignal([sig("hook", 10, "working"), sig("pid-file", 20, "idle")])?.source).toBe("pid-file");
    expect(pickSignal([sig("pid-file", 10, "idle"), sig("hook", 10, "ended")])?.state).toBe("ended");
    expect(pickSignal([sig("agents", null, "working"), sig("pid-file", 5, "idle")])?.source).toBe("pid-file");
    expect(pickSignal([])).toBeUndefined();
  });
});
