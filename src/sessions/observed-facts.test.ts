// What each combination of sources makes of a session's recorded facts.
import { describe, expect, it } from "vitest";
import type { LiveSignal } from "./liveness.ts";
import { composeFacts, diffFacts } from "./observed-facts.ts";
import type { SessionFacts } from "./session-facts.ts";

const transcript = (over: Partial<SessionFacts> = {}): SessionFacts => ({
  sessionId: "s1",
  configDir: "/c",
  transcriptPath: "/c/projects/p/s1.jsonl",
  cwd: "/w",
  gitBranch: "main",
  version: "2.1.330",
  title: "fix the build",
  titleSource: "first-prompt",
  model: "claude-opus-4-5",
  firstActivity: "2026-11-20T10:00:00.000Z",
  lastActivity: "2026-11-20T11:00:00.000Z",
  userMessages: 2,
  assistantMessages: 3,
  tokens: { input: 10, output: 20.4, cacheCreation: 0, cacheRead: 5 },
  tokensByModel: {},
  costUsd: 0.000123456789123,
  badLines: 1,
  ...over,
});
const signal = (over: Partial<LiveSignal> = {}): LiveSignal => ({
  sessionId: "s1",
  state: "working",
  stateReason: null,
  pid: 42,
  cwd: "/w",
  version: "2.1.330",
  at: 1,
  source: "pid-file",
  ...over,
});
const none = { transcripts: [], live: undefined, command: undefined, transcriptRemoved: false };

describe("composeFacts", () => {
  it("leaves the directory and version alone when the only source, a hook's signal, does not know them", () => {
    const facts = composeFacts({ ...none, live: signal({ cwd: null, version: null, source: "hook" }) }, true);
    expect(facts).not.toHaveProperty("cwd");
    expect(facts).not.toHaveProperty("version");
    expect(diffFacts({ cwd: "/hooked", state: "working" } as never, facts)).toEqual({
      stateReason: null,
      pid: 42,
      source: "claude",
    });
  });

  it("takes a transcript's fields, integer tokens, rounded cost, and ends a session nothing says runs", () => {
    expect(composeFacts({ ...none, transcripts: [transcript()] }, true)).toEqual({
      cwd: "/w",
      gitBranch: "main",
      version: "2.1.330",
      title: "fix the build",
      model: "claude-opus-4-5",
      transcriptPath: "/c/projects/p/s1.jsonl",
      firstActivity: "2026-11-20T10:00:00.000Z",
      lastActivity: "2026-11-20T11:00:00.000Z",
      userMessages: 2,
      assistantMessages: 3,
      tokens: { input: 10, output: 20, cacheCreation: 0, cacheRead: 5 },
      costUsd: 0.000123457,
      state: "ended",
      stateReason: null,
      pid: null,
      source: "claude",
    });
  });

  it("puts no title in events with share_titles off", () => {
    expect(composeFacts({ ...none, transcripts: [transcript()] }, false).title).toBeNull();
    expect(composeFacts({ ...none, command: { sessionId: "s1", title: "t" } }, false).title).toBeNull();
  });

  it("takes the state from the live signal, else the lister, and says why a session ended", () => {
    const t = [transcript()];
    expect(
      composeFacts(
        { ...none, transcripts: t, live: signal({ state: "waiting", stateReason: "permission" }) },
        true,
      ),
    ).toMatchObject({ state: "waiting", stateReason: "permission", pid: 42 });
    expect(
      composeFacts({ ...none, transcripts: t, command: { sessionId: "s1", state: "idle", pid: 7 } }, true),
    ).toMatchObject({ state: "idle", pid: 7, source: "claude" });
    expect(
      composeFacts(
        { ...none, transcripts: t, live: signal(), command: { sessionId: "s1", state: "ended" } },
        true,
      ),
    ).toMatchObject({ state: "working" });
    expect(composeFacts({ ...none, transcriptRemoved: true }, true)).toEqual({
      state: "ended",
      stateReason: "transcript removed",
      pid: null,
    });
    expect(
      composeFacts({ ...none, live: signal({ state: "ended", source: "hook", stateReason: "exit" }) }, true),
    ).toEqual({ state: "ended", stateReason: "exit", pid: null, source: "claude" });
  });

  it("fills what the transcript lacks from the lister and the pid file", () => {
    const bare = transcript({ cwd: null, version: null, model: null });
    expect(
      composeFacts(
        {
          ...none,
          transcripts: [bare],
          live: signal({ cwd: "/live" }),
          command: { sessionId: "s1", model: "m" },
        },
        true,
      ),
    ).toMatchObject({ cwd: "/live", model: "m", version: "2.1.330" });
    expect(composeFacts({ ...none, command: { sessionId: "s1", cwd: "/r" } }, true)).toEqual({
      cwd: "/r",
      state: "ended",
      stateReason: null,
      pid: null,
      source: "command",
    });
  });
});

describe("diffFacts", () => {
  it("keeps only the fields that differ", () => {
    expect(
      diffFacts(
        { cwd: "/a", tokens: { input: 1, output: 0, cacheCreation: 0, cacheRead: 0 } },
        { cwd: "/a", tokens: { input: 2, output: 0, cacheCreation: 0, cacheRead: 0 }, state: "idle" },
      ),
    ).toEqual({ tokens: { input: 2, output: 0, cacheCreation: 0, cacheRead: 0 }, state: "idle" });
    expect(diffFacts(undefined, { cwd: null })).toEqual({ cwd: null });
    expect(diffFacts({ cwd: null }, { cwd: null })).toEqual({});
  });
});
