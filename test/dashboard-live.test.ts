// Live updates, in process: /live/<page> sends a page's changed sections after a database change
// (only those that changed, as out-of-band swaps), catches up a page rendered before a change, and
// a form answered through htmx counts as sent, so the stream does not send it again.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDashboard } from "../src/http/dashboard/index.tsx";
import {
  createDashboardWorld,
  type DashboardWorld,
  dashboardApp,
  get,
  manualChanges,
  post,
} from "./support/dashboard-world.ts";

type Sse = {
  next: (timeoutMs?: number) => Promise<{ event: string; data: string } | null>;
  close: () => Promise<void>;
};

/** Reads server-sent events from a streamed response. */
const readSse = (r: Response): Sse => {
  const reader = r.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  // A read that outlived a timeout is kept for the next call, so no chunk is lost.
  let pending: ReturnType<typeof reader.read> | null = null;
  const next = async (timeoutMs = 2000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(":")) continue;
        const lines = block.split("\n");
        const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
        const data = lines
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n");
        return { event, data };
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      pending ??= reader.read();
      const chunk = await Promise.race([
        pending,
        new Promise<null>((ok) => setTimeout(() => ok(null), left)),
      ]);
      if (chunk === null) return null;
      pending = null;
      if (chunk.done) return null;
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  return { next, close: () => reader.cancel() };
};

let w: DashboardWorld;
let changes: ReturnType<typeof manualChanges>;
let app: ReturnType<typeof dashboardApp>;

beforeEach(async () => {
  w = await createDashboardWorld();
  changes = manualChanges();
  app = dashboardApp(w, { changes });
});
afterEach(() => w.close());

/** Opens a page and its live stream, as the browser does. */
const follow = async (path: string) => {
  const html = await (await get(app, path)).text();
  const live = /sse-connect="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
  const clientId = /__c=([^&]+)/.exec(live)![1]!;
  const stream = readSse(await get(app, live));
  expect(await stream.next()).toMatchObject({ event: "ready" });
  return { html, live, clientId, stream };
};

const ids = (fragments: string) =>
  [...fragments.matchAll(/<div id="([^"]+)" class="live[^"]*" hx-swap-oob="true">/g)].map((m) => m[1]);

describe("live updates", () => {
  it("sends only the sections a change touched, as out-of-band swaps", async () => {
    const board = await follow(`/projects/${w.project.id}`);
    // Nothing changed since the page was rendered: nothing is sent.
    changes.fire();
    expect(await board.stream.next(300)).toBeNull();
    w.laptop.service.createTask(w.laptop.human, { projectId: w.project.id, title: "Live one" });
    changes.fire();
    const e = await board.stream.next();
    expect(e?.event).toBe("fragments");
    // Its column, and the column counts above the board (shown on narrow screens).
    expect(ids(e!.data)).toEqual(["board-jump", "col-todo"]);
    expect(e!.data).toContain("Live one");
    // A status change moves the card: both columns and the counts, nothing else.
    w.laptop.service.changeTaskStatus(w.laptop.human, w.tasks.todo.id, "blocked");
    changes.fire();
    expect(ids((await board.stream.next())!.data)).toEqual(["board-jump", "col-todo", "col-blocked"]);
    // A change that moves no card (its title) sends its column only.
    w.laptop.service.updateTask(w.laptop.human, w.tasks.todo.id, { title: "Renamed live" });
    changes.fire();
    expect(ids((await board.stream.next())!.data)).toEqual(["col-blocked"]);
    await board.stream.close();
  });

  it("a change from another machine (arriving by sync) reaches the fleet page", async () => {
    const fleet = await follow("/");
    w.buildbox.service.observeSession({ kind: "machine", id: w.buildbox.machineId }, w.sessions.remote, {
      state: "waiting",
      stateReason: "input",
    });
    await w.sync();
    changes.fire();
    const e = await fleet.stream.next();
    expect(ids(e!.data)).toEqual(["attention", "machines", "sessions-by-state"]);
    expect(e!.data).toContain("Waiting for input (2)");
    await fleet.stream.close();
  });

  it("a page rendered before a change gets every section when its stream connects", async () => {
    const html = await (await get(app, "/sync")).text();
    const live = /sse-connect="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    w.laptop.service.createProject(w.laptop.human, { name: "in between" });
    const stream = readSse(await get(app, live));
    expect((await stream.next())?.event).toBe("ready");
    const e = await stream.next();
    expect(e?.event).toBe("fragments");
    expect(ids(e!.data)).toEqual(["sync-peers", "sync-log", "sync-rejected", "sync-quarantined"]);
    await stream.close();
  });

  it("a form answered through htmx carries the changed sections, and the stream does not repeat them", async () => {
    const board = await follow(`/projects/${w.project.id}`);
    const r = await post(
      app,
      `/tasks/${w.tasks.todo.id}/status`,
      { status: "in_progress" },
      { htmx: true, headers: { "x-claire-client": board.clientId, "hx-target": "dialog-body" } },
    );
    const body = await r.text();
    expect(ids(body)).toEqual(["board-jump", "col-todo", "col-in_progress"]);
    changes.fire();
    expect(await board.stream.next(300)).toBeNull();
    await board.stream.close();
  });

  it("a closed stream is forgotten", async () => {
    const d = createDashboard({ service: w.laptop.service, changes });
    const html = await (await d.app.request("/", { headers: { host: "127.0.0.1" } })).text();
    const live = /sse-connect="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
    const stream = readSse(await d.app.request(live, { headers: { host: "127.0.0.1" } }));
    expect((await stream.next())?.event).toBe("ready");
    expect(d.hub.size()).toBe(1);
    await stream.close();
    await new Promise((ok) => setTimeout(ok, 50));
    expect(d.hub.size()).toBe(0);
  });

  it("pages without a stream are still served; unknown live addresses are 404", async () => {
    expect((await get(app, "/live/no/such/page?__c=a")).status).toBe(404);
    // A page of a known kind whose task does not exist has nothing to stream either.
    expect((await get(app, "/live/tasks/ffffffff?__c=a")).status).toBe(404);
    const plain = dashboardApp(w);
    expect((await get(plain, "/")).status).toBe(200);
  });
});
