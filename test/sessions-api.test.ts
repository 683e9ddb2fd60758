// POST /api/v1/sessions/refresh over the app: the report of a real discovery, 503 in a process
// without one, and what `claire pull` prints from a report.
import { afterEach, describe, expect, it } from "vitest";
import { describeRefresh } from "../src/cli/commands/pull.ts";
import { createApp } from "../src/http/app.ts";
import { assistant, jsonl, SESSION_ID, userPrompt } from "../src/sessions/fixtures/transcript-lines.ts";
import type { RefreshReport } from "../src/sessions/refresher.ts";
import { API_HEADERS } from "./support/api-openapi.ts";
import { createDiscoveryWorld, type DiscoveryWorld } from "./support/sessions-world.ts";

const worlds: DiscoveryWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});
const post = (app: ReturnType<typeof createApp>, body?: unknown) =>
  app.request("/api/v1/sessions/refresh", {
    method: "POST",
    // A bodiless POST (as `curl -X POST` sends) carries no content type.
    headers: body === undefined ? { host: API_HEADERS.host } : API_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("POST /api/v1/sessions/refresh", () => {
  it("refreshes through the process's discovery and returns its report", async () => {
    const w = createDiscoveryWorld();
    worlds.push(w);
    w.configs[0]!.write("-p", `${SESSION_ID}.jsonl`, jsonl(userPrompt("from the api"), assistant()));
    const app = createApp({ service: w.claire.service, sessions: w.discovery });
    const res = await post(app);
    expect(res.status).toBe(200);
    const report = (await res.json()) as RefreshReport;
    expect(report).toMatchObject({ sessions: 1, changed: 1, errors: [] });
    expect(report.changes[0]).toMatchObject({
      sessionId: SESSION_ID,
      handle: "3f0c1d2e",
      isNew: true,
      title: "from the api",
    });
    expect(await (await post(app, {})).json()).toMatchObject({ changed: 0 });
    expect((await post(app, { agents: 1 })).status).toBe(422);
  });

  it("answers 503 with a problem body in a process without session discovery", async () => {
    const w = createDiscoveryWorld();
    worlds.push(w);
    const res = await post(createApp({ service: w.claire.service }));
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      status: 503,
      detail: "session discovery does not run in this Claire process",
    });
  });
});

describe("claire pull's output", () => {
  const base: RefreshReport = {
    sessions: 12,
    live: 2,
    changed: 0,
    ended: 0,
    deferred: 0,
    filesRead: 0,
    bytesRead: 0,
    badLines: 0,
    errors: [],
    ms: 3.2,
    changes: [],
  };
  it("says when nothing changed, and lists what did", () => {
    expect(describeRefresh(base)).toBe(
      "12 sessions on this machine, 2 live; nothing changed; 0 files read (0 B) in 3 ms",
    );
    const text = describeRefresh({
      ...base,
      changed: 2,
      ended: 1,
      deferred: 1,
      filesRead: 3,
      bytesRead: 2_500_000,
      badLines: 1,
      changes: [
        {
          sessionId: "a",
          handle: "aaaaaaaa",
          fields: [],
          isNew: true,
          state: "working",
          cwd: "/w/a",
          title: "new one",
        },
        {
          sessionId: "b",
          handle: "bbbbbbbb",
          fields: ["state", "pid"],
          isNew: false,
          state: "ended",
          cwd: "/w/b",
          title: null,
        },
      ],
    });
    expect(text.split("\n")).toEqual([
      "12 sessions on this machine, 2 live; 2 changed (1 ended); 3 files read (2.5 MB) in 3 ms",
      "ID        STATE    DIR   TITLE    CHANGED",
      "aaaaaaaa  working  /w/a  new one  new",
      "bbbbbbbb  ended    /w/b           state, pid",
      "1 session with new activity: recorded within 15 s",
      "1 transcript line could not be read",
    ]);
  });
});

describe("a session found already ended", () => {
  it("has ended since its last activity, not since the scan that found it, in the API as in the CLI", async () => {
    const { createTempClaire, must } = await import("./support/temp-claire.ts");
    const c = createTempClaire({ now: Date.parse("2026-11-24T10:00:00.000Z") });
    try {
      const last = "2026-11-21T09:05:00.000Z";
      must(
        c.service.observeSession(
          c.human,
          { machineId: c.machineId, sessionId: "old-one" },
          {
            state: "ended",
            firstActivity: "2026-11-21T09:00:00.000Z",
            lastActivity: last,
          },
        ),
      );
      const res = await createApp({ service: c.service }).request("/api/v1/sessions/old-one", {
        headers: API_HEADERS,
      });
      expect(((await res.json()) as { stateSince: string }).stateSince).toBe(last);
      // A session seen ending now keeps the time it was seen to end.
      must(
        c.service.observeSession(
          c.human,
          { machineId: c.machineId, sessionId: "live-one" },
          {
            state: "working",
            firstActivity: "2026-11-24T09:59:00.000Z",
            lastActivity: "2026-11-24T09:59:30.000Z",
          },
        ),
      );
      expect(must(c.service.getSession("live-one")).stateSince).toBe("2026-11-24T10:00:00.000Z");
    } finally {
      c.close();
    }
  });
});

describe("the fleet's cost", () => {
  it("counts the sessions whose model has no price, so the total reads as the lower bound it is", async () => {
    const { createTempClaire, must } = await import("./support/temp-claire.ts");
    const c = createTempClaire();
    try {
      const tokens = { input: 1000, output: 500, cacheCreation: 0, cacheRead: 0 };
      const seen = (sessionId: string, costUsd: number | null) =>
        must(
          c.service.observeSession(
            c.human,
            { machineId: c.machineId, sessionId },
            {
              state: "ended",
              tokens,
              costUsd,
            },
          ),
        );
      seen("priced", 0.02);
      seen("unpriced", null);
      must(
        c.service.observeSession(
          c.human,
          { machineId: c.machineId, sessionId: "no-tokens" },
          { state: "idle" },
        ),
      );
      const s = c.service.fleetStatus().sessions;
      expect(s).toMatchObject({ costUsd: 0.02, unpricedSessions: 1 });
      const { statusText } = await import("../src/cli/commands/status.ts");
      expect(statusText(c.service.fleetStatus())).toMatch(
        /cost at least \$0\.02 \(1 session\(s\) of unpriced models\)/,
      );
    } finally {
      c.close();
    }
  });
});
