// Every dashboard page, in process (app.request): status, key content, and that each section shows
// what the service says. A small fleet of two machines (one reached by a real sync round).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardWorld, type DashboardWorld, dashboardApp, get } from "./support/dashboard-world.ts";

let w: DashboardWorld;
let app: ReturnType<typeof dashboardApp>;

beforeAll(async () => {
  w = await createDashboardWorld();
  app = dashboardApp(w);
});
afterAll(() => w.close());

const page = async (path: string, status = 200) => {
  const r = await get(app, path);
  expect(r.status, path).toBe(status);
  return r.text();
};

/** The HTML of one live section (by id), up to the next section or the end of main. */
const section = (html: string, id: string): string => {
  const start = html.indexOf(`<div id="${id}" class="live`);
  expect(start, `section ${id}`).toBeGreaterThanOrEqual(0);
  const next = html.indexOf('class="live', html.indexOf(">", start));
  return html.slice(start, next < 0 ? html.indexOf("</main>") : next);
};

const key = (s: { machineId: string; sessionId: string }) =>
  encodeURIComponent(`${s.machineId}/${s.sessionId}`);

describe("dashboard pages", () => {
  it("fleet: attention first, then machines with sync lag, then sessions by state", async () => {
    const html = await page("/");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    const attention = section(html, "attention");
    expect(attention).toContain("Waiting for input (1)");
    expect(attention).toContain("work in web");
    expect(attention).toContain("permission to run npm test");
    expect(attention).toContain("Blocked tasks (1)");
    expect(attention).toContain("Backfill the data");
    expect(attention).toContain("1 refused");
    const machines = section(html, "machines");
    expect(machines).toContain("laptop");
    expect(machines).toContain("buildbox");
    expect(machines).toContain("this machine");
    expect(machines).toContain("in sync");
    const states = section(html, "sessions-by-state");
    expect(states.indexOf("Working (1)")).toBeLessThan(states.indexOf("Waiting (1)"));
    expect(states).toContain("Idle (1)");
    expect(states).toContain("Ended (1)");
    // Directory, branch, current task, tokens and cost of the working session.
    expect(states).toContain("<code>/work/api</code>");
    expect(states).toContain("Wire the API");
    expect(states).toContain("54.6K");
    expect(states).toContain("$0.42");
    expect(html.indexOf('id="attention"')).toBeLessThan(html.indexOf('id="machines"'));
  });

  it("projects list with task counts, and archived ones on request", async () => {
    const html = await page("/projects");
    expect(section(html, "projects-list")).toContain("apollo");
    expect(html).toContain('id="new-project"');
    must(w.laptop.service.createProject(w.laptop.human, { name: "mothballed" }));
    must(w.laptop.service.archiveProject(w.laptop.human, "mothballed"));
    expect(await page("/projects")).not.toContain("mothballed");
    expect(await page("/projects?archived=1")).toContain("mothballed");
  });

  it("board: a column per status, cards with assignee, dependencies and last note", async () => {
    const html = await page(`/projects/${w.project.id}`);
    expect(section(html, "col-todo")).toContain("Write the migration");
    const doing = section(html, "col-in_progress");
    expect(doing).toContain("Wire the API");
    expect(doing).toContain("assigned to");
    expect(doing).toContain("work in api");
    expect(doing).toContain("routes wired, tests next");
    const blocked = section(html, "col-blocked");
    expect(blocked).toContain("Backfill the data");
    expect(blocked).toContain("waits for 1 of 1");
    expect(section(html, "col-done")).toContain("Pick a name");
    expect(section(html, "col-cancelled")).not.toContain('class="card"');
    // Keyboard controls on every card: links that open the move and assign pickers.
    expect(html).toContain(`id="mv-${w.tasks.todo.id}"`);
    expect(html).toContain(`id="as-${w.tasks.todo.id}"`);
    // By name or handle too; unknown projects are a 404 page.
    expect(await page("/projects/apollo")).toContain("Write the migration");
    expect(await page(`/projects/${w.project.handle}`)).toContain("Write the migration");
    expect(await page("/projects/no-such-project", 404)).toContain("Not found");
  });

  it("board: a long column shows its first 200 cards and how many there are; ?all= shows it whole", async () => {
    const h = w.laptop.human;
    const svc = w.laptop.service;
    const big = must(svc.createProject(h, { name: "long-lived" }));
    const todo = Array.from({ length: 205 }, (_, i) =>
      must(svc.createTask(h, { projectId: big.id, title: `open task ${i}` })),
    );
    const finished = Array.from({ length: 203 }, (_, i) => {
      const t = must(svc.createTask(h, { projectId: big.id, title: `finished task ${i}` }));
      must(svc.changeTaskStatus(h, t.id, "done"));
      return t;
    });
    const cardCount = (html: string) => html.split('class="card"').length - 1;
    const html = await page(`/projects/${big.id}`);
    const open = section(html, "col-todo");
    expect(cardCount(open)).toBe(200);
    expect(open).toContain('<span class="muted">205</span>');
    expect(open).toContain("The first 200 of 205.");
    expect(open).toContain(todo[0]!.id);
    expect(open).not.toContain(todo[204]!.id); // same priority: oldest first, as before
    const done = section(html, "col-done");
    expect(cardCount(done)).toBe(200);
    expect(done).toContain("The most recent 200 of 203.");
    // Finished columns: the most recently finished first; the earliest ones are cut.
    expect(done.indexOf(finished[202]!.id)).toBeLessThan(done.indexOf(finished[3]!.id));
    expect(done).not.toContain(finished[0]!.id);
    expect(done).toContain(`href="/projects/${big.id}?all=done#col-done-h"`);
    // Above the columns, a jump to each with its count (styles.ts shows it on narrow screens).
    const jump = section(html, "board-jump");
    for (const [status, n] of [
      ["todo", 205],
      ["in_progress", 0],
      ["done", 203],
    ] as const) {
      expect(jump).toContain(`href="#col-${status}-h"`);
      expect(html).toContain(`id="col-${status}-h"`);
      expect(jump).toMatch(new RegExp(`href="#col-${status}-h">[^<]+<span class="muted">${n}</span>`));
    }
    // Whole on request, the other columns still cut (and the links keep what is already whole).
    const all = await page(`/projects/${big.id}?all=done`);
    expect(cardCount(section(all, "col-done"))).toBe(203);
    expect(section(all, "col-done")).not.toContain("Show all");
    expect(cardCount(section(all, "col-todo"))).toBe(200);
    expect(section(all, "col-todo")).toContain(`href="/projects/${big.id}?all=done&amp;all=todo#col-todo-h"`);
    const both = await page(`/projects/${big.id}?all=done&all=todo&all=nonsense`);
    expect(cardCount(both)).toBe(408);
  });

  it("task page: details, dependencies, assignments and claims, timeline with actors", async () => {
    const html = await page(`/tasks/${w.tasks.doing.id}`);
    expect(section(html, "task-details")).toContain("In progress");
    expect(section(html, "task-assignments")).toContain("assigned");
    const timeline = section(html, "task-timeline");
    expect(timeline).toContain("created the task");
    expect(timeline).toContain("moved it to In progress");
    expect(timeline).toContain("assigned it to");
    expect(timeline).toContain("routes wired, tests next");
    expect(timeline).toContain("tester");
    const blocked = await page(`/tasks/${w.tasks.blocked.handle}`);
    expect(section(blocked, "task-deps")).toContain("Write the migration");
    expect(section(blocked, "task-timeline")).toContain("moved it to Blocked");
    await page("/tasks/ffffffff", 404);
    // Unassigned: the assignment it had is no longer in force, and says so.
    expect(w.laptop.service.unassignTask(w.laptop.human, w.tasks.doing.id).ok).toBe(true);
    const after = section(await page(`/tasks/${w.tasks.doing.id}`), "task-assignments");
    expect(after).toContain("superseded");
    expect(after).not.toContain("(owner)");
    // Back as it was, for the pages checked after this one.
    const s = w.sessions.working;
    expect(
      w.laptop.service.assignTask(w.laptop.human, {
        taskId: w.tasks.doing.id,
        session: `${s.machineId}/${s.sessionId}`,
      }).ok,
    ).toBe(true);
  });

  it("move and assign: pages of their own, or dialog fragments for htmx", async () => {
    const move = await page(`/tasks/${w.tasks.todo.id}/move`);
    expect(move).toContain("<h1>");
    expect(move).toContain('value="in_progress"');
    const dialog = await get(app, `/tasks/${w.tasks.todo.id}/move`, {
      "hx-request": "true",
      "hx-target": "dialog-body",
    });
    const fragment = await dialog.text();
    expect(fragment).not.toContain("<html");
    expect(fragment).toContain('id="dialog-title"');
    // Finished tasks can only be reopened.
    expect(await page(`/tasks/${w.tasks.done.id}/move`)).not.toContain('value="in_progress"');
    const assign = await page(`/tasks/${w.tasks.todo.id}/assign`);
    // Running sessions first: working, waiting, idle before ended.
    const order = ["Working", "Waiting", "Idle", "Ended"].map((g) =>
      assign.indexOf(`<optgroup label="${g}"`),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("sessions: every machine's sessions, filtered and sorted through the address", async () => {
    const all = await page("/sessions");
    expect(section(all, "sessions-table")).toContain("4 sessions");
    expect(all).toContain("/srv/ci");
    expect(section(await page("/sessions?state=working"), "sessions-table")).toContain("1 session<");
    expect(section(await page("/sessions?state=working,waiting,idle"), "sessions-table")).toContain(
      "3 sessions",
    );
    expect(section(await page("/sessions?q=WEB"), "sessions-table")).toContain("1 session<");
    expect(section(await page("/sessions?machine=buildbox"), "sessions-table")).toContain("/srv/ci");
    const byDir = section(await page("/sessions?sort=cwd&dir=asc"), "sessions-table");
    expect(byDir.indexOf("/srv/ci")).toBeLessThan(byDir.indexOf("/work/api"));
    expect(byDir).toContain('aria-sort="ascending"');
    const desc = section(await page("/sessions?sort=cwd&dir=desc"), "sessions-table");
    expect(desc.indexOf("/work/web")).toBeLessThan(desc.indexOf("/srv/ci"));
    expect(await page("/sessions?state=bogus")).toContain("unknown session state");
    // Past the end: says so (not "3001–3000 of 3000"); an offset that is not digits is the start.
    const past = await page("/sessions?offset=99999999999");
    expect(past).toMatch(/Past the last of \d+ sessions/);
    expect(past).not.toMatch(/100000000000–/);
    expect(section(await page("/sessions?offset=1e3"), "sessions-table")).toBe(
      section(all, "sessions-table"),
    );
    // A query that matches '%' literally (no SQL wildcard).
    expect(section(await page("/sessions?q=%25"), "sessions-table")).toContain("0 sessions");
  });

  it("session page: transcript facts, tasks, inbox with delivery states", async () => {
    const working = await page(`/sessions/${key(w.sessions.working)}`);
    const facts = section(working, "session-facts");
    expect(facts).toContain("/work/api");
    expect(facts).toContain("claude-opus-4");
    expect(section(working, "session-tasks")).toContain("Wire the API");
    const inbox = section(working, "session-inbox");
    expect(inbox).toContain("freeze merges until 5pm");
    expect(inbox).toContain("dl-pending");
    const waiting = await page(`/sessions/${w.sessions.waiting.sessionId.slice(0, 8)}`);
    expect(section(waiting, "session-inbox")).toContain("please answer the prompt");
    expect(await page(`/sessions/${key(w.sessions.remote)}`)).toContain("/srv/ci");
    await page("/sessions/nobody", 404);
  });

  it("messages: compose to any target; deliveries per target session", async () => {
    const html = await page("/messages");
    expect(html).toContain('value="all"');
    expect(html).toContain('value="group:backend"');
    expect(html).toContain(`value="machine:${w.buildbox.machineId}"`);
    expect(html).toContain(`value="session:${w.sessions.working.machineId}/${w.sessions.working.sessionId}"`);
    // Ended sessions are not offered as targets.
    expect(html).not.toContain(`value="session:${w.sessions.ended.machineId}/${w.sessions.ended.sessionId}"`);
    const list = section(html, "messages-list");
    expect(list).toContain("freeze merges until 5pm");
    expect(list).toContain("group backend");
    expect(list).toContain("1 session: 1 pending");
  });

  it("groups: the list, and a group's rules and members", async () => {
    expect(section(await page("/groups"), "groups-list")).toContain("backend");
    const g = await page("/groups/backend");
    expect(section(g, "group-detail")).toContain("cwd:/work/api/**");
    expect(g).toContain('id="add-rule"');
    expect(g).toContain('id="add-member"');
    await page("/groups/nothing-here", 404);
  });

  it("sync: peers, event log counts, refused and held-back events", async () => {
    const html = await page("/sync");
    const peers = section(html, "sync-peers");
    expect(peers).toContain("mem://buildbox");
    expect(peers).toContain(w.buildbox.machineId.slice(0, 8));
    expect(section(html, "sync-log")).toContain("Refused");
    expect(section(html, "sync-rejected")).toContain("push");
    expect(section(html, "sync-quarantined")).toContain("None.");
  });

  it("escapes what people and agents typed everywhere it is shown", async () => {
    const evil = `<img src=x onerror="alert(1)">`;
    const h = w.laptop.human;
    const project = must(w.laptop.service.createProject(h, { name: `x ${evil}`, description: evil }));
    const task = must(
      w.laptop.service.createTask(h, { projectId: project.id, title: `t ${evil}`, description: evil }),
    );
    must(w.laptop.service.postUpdate({ kind: "session", id: evil }, { taskId: task.id, text: evil }));
    must(w.laptop.service.sendMessage(h, { to: "all", body: evil }));
    for (const path of ["/projects", `/projects/${project.id}`, `/tasks/${task.id}`, "/messages"]) {
      const html = await page(path);
      expect(html, path).not.toContain("<img");
      expect(html, path).toContain("&lt;img");
    }
  });

  it("a machine not heard from lately: its running sessions show as unknown since the last contact", async () => {
    const before = w.laptop.clock.now;
    w.laptop.clock.now += 3 * 60_000;
    try {
      const html = await page("/");
      expect(section(html, "machines")).toContain("not heard from lately");
      const states = section(html, "sessions-by-state");
      expect(states).toContain("Unknown (1)");
      expect(states).not.toContain("Idle (1)");
      expect(states).toMatch(/st-unknown">unknown<\/span><span class="muted"> since <time/);
    } finally {
      w.laptop.clock.now = before;
    }
  });

  it("unknown pages are HTML 404s; unknown API routes stay JSON problems", async () => {
    expect(await page("/no/such/page", 404)).toContain("Not found");
    const api = await get(app, "/api/v1/nope");
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/problem+json");
  });

  it("serves pinned htmx and its SSE extension from node_modules, immutably by content hash", async () => {
    const html = await page("/");
    const src = /src="(\/assets\/htmx\.min\.js\?v=[^"]+)"/.exec(html)![1]!;
    const r = await get(app, src);
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toContain("immutable");
    const require = createRequire(import.meta.url);
    expect(await r.text()).toBe(readFileSync(require.resolve("htmx.org/dist/htmx.min.js"), "utf8"));
    const pkg = JSON.parse(readFileSync(require.resolve("htmx.org/package.json"), "utf8")) as {
      version: string;
    };
    expect(pkg.version).toBe("2.0.11");
    const sse = /src="(\/assets\/sse\.js\?v=[^"]+)"/.exec(html)![1]!;
    expect(await (await get(app, sse)).text()).toContain("sse");
    const css = await (await get(app, /href="(\/assets\/dashboard\.css\?v=[^"]+)"/.exec(html)![1]!)).text();
    expect(css).toContain("prefers-color-scheme: dark");
    expect((await get(app, "/assets/nope.js")).status).toBe(404);
    expect(html).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });

  it("pages carry a strict Content-Security-Policy and no inline script", async () => {
    const r = await get(app, "/");
    expect(r.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect(await r.text()).not.toMatch(/<script>|<script [^>]*>[^<]/);
  });

  it("every page renders fast on this small fleet", async () => {
    const paths = [
      "/",
      "/projects",
      `/projects/${w.project.id}`,
      `/tasks/${w.tasks.doing.id}`,
      "/sessions",
      `/sessions/${key(w.sessions.working)}`,
      "/messages",
      "/groups",
      "/groups/backend",
      "/sync",
    ];
    for (const p of paths) {
      const start = performance.now();
      await page(p);
      expect(performance.now() - start, p).toBeLessThan(250);
    }
  });
});

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}
