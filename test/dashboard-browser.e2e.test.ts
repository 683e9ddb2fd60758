// The dashboard in a real browser (Debian's Chromium through playwright-core) against real
// `claire serve` processes: run a fleet from the browser (project, tasks, moves and an assignment by
// keyboard alone, a group and a message to it), see changes made by a separate CLI process and by
// another machine through sync appear without a reload, and check every page: no horizontal scroll
// at 390 px, a dark theme, no serious accessibility violations, screenshots for people to look at.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ensureBuilt,
  killAllServes,
  ROOT,
  runCli,
  type Served,
  startServe,
  tempHome,
} from "./support/cli-run.ts";
import {
  axeViolations,
  type FakeSession,
  hasChromium,
  launchChromium,
  MISSING_CHROMIUM,
  markDocument,
  stillMarked,
  tabTo,
  tuneConfig,
  waitLive,
  writeClaudeSessions,
} from "./support/dashboard-browser.ts";

// Browser globals, for the functions page.evaluate runs in Chromium (this project has no DOM lib).
// biome-ignore lint/suspicious/noExplicitAny: the page's DOM is untyped here; each use reads a field or two.
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
declare const getComputedStyle: any;

const SHOTS = join(ROOT, "test-output", "screenshots");

const sessions: FakeSession[] = [
  { sessionId: randomUUID(), cwd: "/work/api", title: "API routes", state: "working" },
  { sessionId: randomUUID(), cwd: "/work/web", title: "Web styles", state: "waiting" },
  { sessionId: randomUUID(), cwd: "/work/api/billing", title: "Billing refactor", state: "idle" },
  { sessionId: randomUUID(), cwd: "/work/old", title: "Old experiment", state: "ended" },
];

let browser: Browser;
let homeA: string;
let homeB: string;
let serveA: Served;
let serveB: Served | null = null;
let sleepers: ChildProcess[] = [];
let projectId = "";
const taskIds: string[] = [];
/** Script errors in any page: none are expected (checked after each test). */
const pageErrors: string[] = [];

const waitFocus = (page: Page, id: string) =>
  page.waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 5000 });

const cli = async (home: string, ...args: string[]) => {
  const r = await runCli(args, { home });
  if (r.code !== 0) throw new Error(`claire ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r;
};

const api = async <T>(served: Served, path: string): Promise<T> => {
  const r = await fetch(`${served.url}/api/v1${path}`);
  return (await r.json()) as T;
};

/** CSP violations in pages opened with their own CSP in force (newPage(..., { csp: true })). */
const cspErrors: string[] = [];

const newPage = async (
  width = 1280,
  scheme: "light" | "dark" = "light",
  opts: { csp?: boolean } = {},
): Promise<{ ctx: BrowserContext; page: Page }> => {
  const ctx = await browser.newContext({
    viewport: { width, height: 900 },
    colorScheme: scheme,
    // axe is injected into the pages it checks, which the dashboard's CSP would refuse.
    bypassCSP: !opts.csp,
  });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  if (opts.csp)
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  if (process.env.DASH_DEBUG) page.on("console", (m) => console.log("console:", m.text()));
  return { ctx, page };
};

const suite = hasChromium() || process.env.CI ? describe : describe.skip;
if (!hasChromium() && !process.env.CI) console.warn(`dashboard browser suite skipped: ${MISSING_CHROMIUM}`);

suite("dashboard in Chromium", () => {
  beforeAll(async () => {
    if (!hasChromium()) throw new Error(MISSING_CHROMIUM);
    ensureBuilt();
    homeA = tempHome("claire-dash-a-");
    await cli(homeA, "init");
    tuneConfig(homeA, "laptop");
    sleepers = writeClaudeSessions(homeA, sessions);
    serveA = await startServe(homeA);
    browser = await launchChromium();
    // Discovery runs beside the API: wait until it has recorded the sessions.
    for (let i = 0; i < 100; i++) {
      const r = await api<{ total: number }>(serveA, "/sessions");
      if (r.total >= sessions.length) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    mkdirSync(SHOTS, { recursive: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await serveB?.stop();
    await serveA?.stop();
    await killAllServes();
    for (const s of sleepers) s.kill("SIGKILL");
    for (const h of [homeA, homeB]) if (h) rmSync(h, { recursive: true, force: true });
  });

  it("runs a fleet from the browser: project, tasks, keyboard moves and assignment, a group message", async () => {
    const { ctx, page } = await newPage();
    await page.goto(`${serveA.url}/projects`);
    await waitLive(page);
    await page.fill("#new-project-name", "Payments API");
    await page.press("#new-project-name", "Enter");
    await page.waitForSelector('#projects-list a:has-text("Payments API")');
    await page.click('#projects-list a:has-text("Payments API")');
    await waitLive(page);
    projectId = new URL(page.url()).pathname.split("/").pop()!;

    for (const title of ["Write the migration", "Backfill the data"]) {
      await page.fill("#new-task-title", title);
      await page.press("#new-task-title", "Enter");
      await page.waitForSelector(`#col-todo .card:has-text("${title}")`);
      // The form came back empty, ready for the next task.
      expect(await page.inputValue("#new-task-title")).toBe("");
    }
    const ids = await page.$$eval("#col-todo .card", (cards) => cards.map((c) => c.id.slice("card-".length)));
    taskIds.push(...ids);
    const [first, second] = ids as [string, string];

    // Everything below happens in place: the page is never reloaded.
    await markDocument(page);
    // Move the first task across the board with the keyboard only: Tab to its Move control, Enter,
    // Enter on the first choice (In progress); then again, Tab twice to Done, Enter.
    await page.focus("body");
    await tabTo(page, `mv-${first}`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog[open]");
    await waitFocus(page, "move-task-in_progress");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`#col-in_progress #card-${first}`);
    // Focus comes back to the card's Move control, now in its new column.
    await waitFocus(page, `mv-${first}`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog[open]");
    await waitFocus(page, "move-task-todo");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await waitFocus(page, "move-task-done");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`#col-done #card-${first}`);
    await waitFocus(page, `mv-${first}`);

    // Assign the second task, keyboard only: the picker lists running sessions first.
    await tabTo(page, `as-${second}`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("dialog[open] select");
    await waitFocus(page, "assign-task-session");
    const firstGroup = await page.$eval("#assign-task-session optgroup", (g) => g.getAttribute("label"));
    expect(firstGroup).toBe("Working");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`#card-${second}:has-text("assigned to")`);
    expect(await page.textContent(`#card-${second}`)).toContain("API routes");
    expect(await stillMarked(page)).toBe(true);
    const task = await api<{ owner: { session: { sessionId: string } } | null }>(serveA, `/tasks/${second}`);
    expect(task.owner?.session.sessionId).toBe(sessions[0]!.sessionId);

    // A group of the API sessions, then a message to it: delivery per target session.
    await page.goto(`${serveA.url}/groups`);
    await page.fill("#new-group-name", "backend");
    await page.fill("#new-group-rules", "cwd:/work/api/**");
    await page.click('#new-group button:has-text("Create group")');
    await page.waitForSelector('#groups-list a:has-text("backend")');
    await page.goto(`${serveA.url}/messages`);
    await waitLive(page);
    await page.selectOption("#compose-to", "group:backend");
    await page.fill("#compose-body", "Freeze merges until the release is out.");
    await page.click('#compose button:has-text("Send")');
    await page.waitForSelector('#messages-list li:has-text("Freeze merges")');
    expect(await page.textContent("#flash")).toContain(
      "it reaches 2 sessions now, 2 inboxes on this machine",
    );
    const item = await page.textContent('#messages-list li:has-text("Freeze merges")');
    expect(item).toContain("2 sessions: 2 pending");
    await ctx.close();
  });

  it("clears one form's errors once another form's action succeeds; no CSP violation on the way", async () => {
    const { ctx, page } = await newPage(1280, "light", { csp: true });
    await page.goto(`${serveA.url}/tasks/${taskIds[0]}`);
    await waitLive(page);
    await page.fill("#add-dependency-dependsOn", "no-such-task");
    await page.click('#add-dependency button:has-text("Add dependency")');
    await page.waitForSelector("#add-dependency .form-error, #add-dependency .field-error");
    await page.fill("#post-note-text", "checked the migration on staging");
    await page.click('#post-note button:has-text("Post note")');
    await page.waitForSelector('#task-timeline li:has-text("checked the migration on staging")');
    await page.waitForFunction(
      () => !document.querySelector("#add-dependency .form-error, #add-dependency .field-error"),
    );
    expect(await page.$("#add-dependency [aria-invalid]")).toBeNull();
    // No inline style or script the page's CSP refuses on the way (form swaps, the board, a dialog).
    for (const attempt of ["still-no-such-task", "nor-this-one"]) {
      await page.fill("#add-dependency-dependsOn", attempt);
      await page.click('#add-dependency button:has-text("Add dependency")');
      await page.waitForSelector(`#add-dependency:has-text("${attempt}")`);
    }
    await page.goto(`${serveA.url}/projects/${projectId}`);
    await waitLive(page);
    await page.click('summary:has-text("Add a task")');
    for (let i = 0; i < 2; i++) {
      await page.click('#new-task button:has-text("Add task")');
      await page.waitForSelector("#new-task .field-error");
      await new Promise((r) => setTimeout(r, 300));
    }
    await page.click(`#mv-${taskIds[1]}`);
    await page.waitForSelector("dialog[open]");
    await new Promise((r) => setTimeout(r, 500));
    expect(cspErrors.map((e) => e.slice(0, 400))).toEqual([]);
    await ctx.close();
  });

  it("shows a change made by a separate CLI process, without reloading", async () => {
    const { ctx, page } = await newPage();
    await page.goto(`${serveA.url}/projects/${projectId}`);
    await waitLive(page);
    await markDocument(page);
    await cli(homeA, "task", "add", "Made on the command line", "-p", projectId);
    await page.waitForSelector('#col-todo .card:has-text("Made on the command line")', { timeout: 10_000 });
    await cli(homeA, "task", "block", taskIds[1]!);
    await page.waitForSelector(`#col-blocked #card-${taskIds[1]}`, { timeout: 10_000 });
    expect(await stillMarked(page)).toBe(true);
    await ctx.close();
  });

  it("shows a change made on another machine once it arrives by sync, without reloading", async () => {
    homeB = tempHome("claire-dash-b-");
    await cli(homeB, "init");
    tuneConfig(homeB, "buildbox");
    serveB = await startServe(homeB);
    await cli(homeA, "peer", "add", serveB.url, "--name", "buildbox");
    await cli(homeB, "peer", "add", serveA.url, "--name", "laptop");
    const { ctx, page } = await newPage();
    await page.goto(`${serveA.url}/projects`);
    await waitLive(page);
    await markDocument(page);
    await cli(homeB, "project", "add", "Made on buildbox");
    await page.waitForSelector('#projects-list a:has-text("Made on buildbox")', { timeout: 30_000 });
    await page.goto(`${serveA.url}/`);
    await page.waitForSelector('#machines td:has-text("buildbox")', { timeout: 30_000 });
    expect(await stillMarked(page)).toBe(false); // a new page: the mark was on the projects page
    await markDocument(page);
    // And a task created there reaches this fleet's attention panel live.
    await cli(homeB, "task", "add", "Blocked over there", "-p", "Made on buildbox");
    const over = await cli(homeB, "task", "list", "--json");
    const made = (over.json as { tasks: { id: string; title: string }[] }).tasks.find(
      (t) => t.title === "Blocked over there",
    )!;
    await cli(homeB, "task", "block", made.id);
    await page.waitForSelector('#attention li:has-text("Blocked over there")', { timeout: 30_000 });
    expect(await stillMarked(page)).toBe(true);
    await ctx.close();
  });

  it("refuses a cross-origin form post and a foreign Host at the real server", async () => {
    const send = (headers: Record<string, string>, method = "POST") =>
      new Promise<number>((ok, fail) => {
        const u = new URL(`${serveA.url}/projects`);
        const req = request({ host: u.hostname, port: u.port, path: u.pathname, method, headers }, (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        });
        req.on("error", fail);
        req.end(method === "POST" ? "name=evil" : undefined);
      });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect(await send({ ...form, origin: "http://evil.example" })).toBe(403);
    expect(await send({ ...form, host: "evil.example" })).toBe(403);
    expect(await send({ host: "evil.example" }, "GET")).toBe(403);
    const projects = await api<{ name: string }[]>(serveA, "/projects");
    expect(projects.some((p) => p.name === "evil")).toBe(false);
  });

  it("every page: no horizontal scroll at 390 px, a dark theme, no serious axe violations, screenshots", async () => {
    const key = (s: FakeSession) => encodeURIComponent(`${machineIdA()}/${s.sessionId}`);
    const machines = await api<{ id: string; isLocal: boolean }[]>(serveA, "/machines");
    const machineIdA = () => machines.find((m) => m.isLocal)!.id;
    // A title with no place to break, which the task page lists under "Waits for": it wraps.
    const post = async (path: string, body: unknown) => {
      const r = await fetch(`${serveA.url}/api/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return (await r.json()) as { id: string };
    };
    const long = await post("/tasks", { projectId, title: "Unbreakable".repeat(25) });
    await post(`/tasks/${taskIds[1]}/dependencies`, { dependsOn: long.id });
    const pages: [string, string][] = [
      ["fleet", "/"],
      ["projects", "/projects"],
      ["board", `/projects/${projectId}`],
      ["task", `/tasks/${taskIds[1]}`],
      ["move", `/tasks/${taskIds[1]}/move`],
      ["assign", `/tasks/${taskIds[1]}/assign`],
      ["sessions", "/sessions"],
      ["session", `/sessions/${key(sessions[0]!)}`],
      ["messages", "/messages"],
      ["groups", "/groups"],
      ["group", "/groups/backend"],
      ["sync", "/sync"],
      ["sign-in", "/sign-in"],
      ["not-found", "/no/such/page"],
    ];
    const problems: string[] = [];
    for (const [width, scheme] of [
      [1280, "light"],
      [390, "light"],
      [1280, "dark"],
      [390, "dark"],
    ] as const) {
      const { ctx, page } = await newPage(width, scheme);
      for (const [name, path] of pages) {
        await page.goto(`${serveA.url}${path}`);
        await page.waitForLoadState("load");
        if (await page.$("#live-status")) await waitLive(page);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}-${scheme}.png`), fullPage: true });
        const { scroll, client } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        if (scroll > client) problems.push(`${name} at ${width} px scrolls sideways (${scroll} > ${client})`);
        if (name === "board") {
          // The jump to each column: on a phone, where the columns stack; not beside them.
          const jump = await page.$(".board-jump");
          if ((await jump?.isVisible()) !== (width === 390))
            problems.push(`board at ${width} px: the column jump is ${width === 390 ? "hidden" : "shown"}`);
          if (width === 390) {
            // Done is far below on a phone (the columns stack): the jump brings its heading into view.
            const where = () =>
              page.evaluate(() => ({
                top: document.getElementById("col-done-h")!.getBoundingClientRect().top,
                height: window.innerHeight,
              }));
            const before = await where();
            await page.click('.board-jump a[href="#col-done-h"]');
            const after = await where();
            if (before.top < before.height || after.top < 0 || after.top > after.height - 40)
              problems.push(
                `board at 390 px: Done's heading at ${before.top}px, after the jump ${after.top}px`,
              );
          }
        }
        if (width === 1280) {
          for (const v of await axeViolations(page)) {
            if (v.impact === "serious" || v.impact === "critical")
              problems.push(
                `${name} (${scheme}): ${v.id} ${v.impact}: ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3))}`,
              );
          }
        }
      }
      await ctx.close();
    }
    // The board's dialog, open, at both widths, checked too.
    for (const width of [1280, 390]) {
      const { ctx, page } = await newPage(width);
      await page.goto(`${serveA.url}/projects/${projectId}`);
      await waitLive(page);
      await page.click(`#as-${taskIds[1]}`);
      await page.waitForSelector("dialog[open] select");
      await page.screenshot({ path: join(SHOTS, `board-dialog-${width}-light.png`) });
      for (const v of await axeViolations(page))
        if (v.impact === "serious" || v.impact === "critical")
          problems.push(`board dialog: ${v.id}: ${v.help}`);
      await ctx.close();
    }
    expect(problems).toEqual([]);
    // The system's dark setting changes the page's background.
    const background = async (scheme: "light" | "dark") => {
      const { ctx, page } = await newPage(390, scheme);
      await page.goto(`${serveA.url}/`);
      const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      await ctx.close();
      return bg;
    };
    const [light, dark] = [await background("light"), await background("dark")];
    expect(light).not.toBe(dark);
  });
});
