// Dashboard security, in process: the API's Host allowlist and same-origin checks cover pages and
// forms; off loopback (a fake remote address in the request's env, as @hono/node-server passes the
// socket) a page redirects to sign-in, and a token buys an HttpOnly, SameSite=Strict cookie that
// stops working when the token is revoked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.ts";
import { createChangeFeed } from "../src/runtime/change-feed.ts";
import {
  createDashboardWorld,
  type DashboardWorld,
  dashboardApp,
  get,
  manualChanges,
  post,
} from "./support/dashboard-world.ts";

let w: DashboardWorld;
let token: string;

beforeAll(async () => {
  w = await createDashboardWorld();
  const made = w.laptop.service.createToken("browser");
  if (!made.ok) throw new Error("token");
  token = made.value.token;
});
afterAll(() => w.close());

const appWith = (require: "off-loopback" | "always" = "off-loopback") =>
  createApp({
    service: w.laptop.service,
    auth: { require, verify: w.laptop.service.verifyToken },
  });

const remote = { incoming: { socket: { remoteAddress: "192.168.1.20" } } };
const loopback = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };

/** A request from another machine that names the server as it is configured (allowed Host). */
const fromLan = (
  app: ReturnType<typeof createApp>,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) =>
  app.request(
    path,
    {
      method: init.method ?? "GET",
      headers: { host: "127.0.0.1:8765", ...init.headers },
      ...(init.body !== undefined && { body: init.body }),
    },
    remote,
  );

const cookieOf = (r: Response): string => {
  const set = r.headers.get("set-cookie") ?? "";
  return set.split(";")[0]!;
};

/** Signs in with a new token named `name` and opens the projects page's live stream as tab `tab`. */
const signedInStream = async (app: ReturnType<typeof createApp>, name: string, tab: string) => {
  const made = w.laptop.service.createToken(name);
  if (!made.ok) throw new Error("token");
  const signed = await fromLan(app, "/sign-in", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8765" },
    body: new URLSearchParams({ token: made.value.token, next: "/projects" }).toString(),
  });
  const cookie = cookieOf(signed);
  const res = await fromLan(app, `/live/projects?__c=${tab}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return { cookie, reader: res.body!.getReader() };
};

describe("dashboard security", () => {
  it("refuses a foreign Host (DNS rebinding) on pages and forms", async () => {
    const app = appWith();
    const r = await app.request("/", { headers: { host: "evil.example:8765" } });
    expect(r.status).toBe(403);
    const p = await post(app, "/projects", { name: "rebound" }, { headers: { host: "evil.example:8765" } });
    expect(p.status).toBe(403);
    expect(w.laptop.service.listProjects().some((x) => x.name === "rebound")).toBe(false);
  });

  it("refuses cross-origin form posts, by Origin or by Sec-Fetch-Site, and changes nothing", async () => {
    const app = appWith();
    const byOrigin = await post(
      app,
      "/projects",
      { name: "csrf" },
      { headers: { origin: "http://evil.example" } },
    );
    expect(byOrigin.status).toBe(403);
    const bySite = await post(
      app,
      "/projects",
      { name: "csrf" },
      { headers: { "sec-fetch-site": "cross-site" } },
    );
    expect(bySite.status).toBe(403);
    const nullOrigin = await post(
      app,
      "/messages",
      { to: "all", body: "hi" },
      { headers: { origin: "null" } },
    );
    expect(nullOrigin.status).toBe(403);
    expect(w.laptop.service.listProjects().some((x) => x.name === "csrf")).toBe(false);
  });

  it("off loopback, an unauthenticated page request is redirected to sign-in; other requests get 401", async () => {
    const app = appWith();
    const page = await fromLan(app, "/projects?archived=1");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/projects?archived=1")}`);
    expect((await fromLan(app, "/live/?__c=x")).status).toBe(401);
    expect((await fromLan(app, "/", { headers: { "hx-request": "true" } })).status).toBe(401);
    const form = await fromLan(app, "/projects", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8765" },
      body: "name=sneaky",
    });
    expect(form.status).toBe(401);
    expect(w.laptop.service.listProjects().some((x) => x.name === "sneaky")).toBe(false);
    // The sign-in page and the static files stay reachable.
    expect((await fromLan(app, "/sign-in")).status).toBe(200);
    const html = await (await fromLan(app, "/sign-in")).text();
    expect(html).toContain('name="token"');
    expect(html).toContain("reached from another machine");
    const css = /href="(\/assets\/dashboard\.css[^"]*)"/.exec(html)![1]!;
    expect((await fromLan(app, css)).status).toBe(200);
    // The API keeps its bearer rule.
    expect((await fromLan(app, "/api/v1/status")).status).toBe(401);
  });

  it("on loopback nothing is asked; with auth.require = always, loopback signs in too", async () => {
    expect((await appWith().request("/", { headers: { host: "127.0.0.1:8765" } }, loopback)).status).toBe(
      200,
    );
    expect((await get(appWith(), "/")).status).toBe(200);
    const always = await appWith("always").request("/", { headers: { host: "127.0.0.1:8765" } }, loopback);
    expect(always.status).toBe(303);
    expect(always.headers.get("location")).toBe("/sign-in?next=%2F");
    // It says why: not "reached from another machine", which this browser is not.
    const signIn = await (
      await appWith("always").request("/sign-in", { headers: { host: "127.0.0.1:8765" } }, loopback)
    ).text();
    expect(signIn).toContain("asks every visitor to sign in");
    expect(signIn).not.toContain("reached from another machine");
  });

  it("a token signs in with an HttpOnly, SameSite=Strict cookie; a wrong one does not", async () => {
    const app = appWith();
    const form = (t: string, next = "/sessions") => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8765" },
      body: new URLSearchParams({ token: t, next }).toString(),
    });
    const wrong = await fromLan(app, "/sign-in", form("claire_not-a-token"));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("not valid here");
    const right = await fromLan(app, "/sign-in", form(token));
    expect(right.status).toBe(303);
    expect(right.headers.get("location")).toBe("/sessions");
    const set = right.headers.get("set-cookie")!;
    expect(set).toMatch(/^claire_session=[\w-]{40,};/);
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    expect(set).toContain("Path=/");
    // The cookie holds a credential, never the token itself.
    expect(set).not.toContain(token);
    const cookie = cookieOf(right);
    const page = await fromLan(app, "/sessions", { headers: { cookie } });
    expect(page.status).toBe(200);
    // Signing out is in the page's header, beside the machine's name, on every page.
    expect(await page.text()).toMatch(/<header class="top">[\s\S]*action="\/sign-out"[\s\S]*<\/header>/);
    // Forms work with the cookie (same origin still required).
    const ok = await fromLan(app, "/projects", {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
        origin: "http://127.0.0.1:8765",
      },
      body: "name=from-the-lan",
    });
    expect(ok.status).toBe(303);
    // Only a local path is followed after sign-in.
    const away = await fromLan(app, "/sign-in", form(token, "https://evil.example/"));
    expect(away.headers.get("location")).toBe("/");
    // Another app instance on the same database (a restart of the server) still knows it.
    const restarted = appWith();
    expect((await fromLan(restarted, "/sessions", { headers: { cookie } })).status).toBe(200);
    // Signing out forgets it, everywhere.
    const out = await fromLan(app, "/sign-out", {
      method: "POST",
      headers: { cookie, origin: "http://127.0.0.1:8765" },
    });
    expect(out.status).toBe(303);
    expect((await fromLan(app, "/sessions", { headers: { cookie } })).status).toBe(303);
    expect((await fromLan(restarted, "/sessions", { headers: { cookie } })).status).toBe(303);
  });

  it("a sign-in lasts 12 hours", async () => {
    const app = appWith();
    const r = await fromLan(app, "/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8765" },
      body: new URLSearchParams({ token, next: "/" }).toString(),
    });
    const cookie = cookieOf(r);
    expect(r.headers.get("set-cookie")).toContain(`Max-Age=${12 * 60 * 60}`);
    const start = w.laptop.clock.now;
    try {
      w.laptop.clock.now = start + 12 * 60 * 60 * 1000 - 1000;
      expect((await fromLan(app, "/", { headers: { cookie } })).status).toBe(200);
      w.laptop.clock.now = start + 12 * 60 * 60 * 1000 + 1000;
      expect((await fromLan(app, "/", { headers: { cookie } })).status).toBe(303);
      // Gone for good, even with the clock set back.
      w.laptop.clock.now = start;
      expect((await fromLan(app, "/", { headers: { cookie } })).status).toBe(303);
    } finally {
      w.laptop.clock.now = start;
    }
  });

  it("revoking the token signs its browsers out", async () => {
    const app = appWith();
    const made = w.laptop.service.createToken("short-lived");
    if (!made.ok) throw new Error("token");
    const r = await fromLan(app, "/sign-in", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://127.0.0.1:8765" },
      body: new URLSearchParams({ token: made.value.token, next: "/" }).toString(),
    });
    const cookie = cookieOf(r);
    expect((await fromLan(app, "/", { headers: { cookie } })).status).toBe(200);
    w.laptop.service.revokeToken("short-lived");
    expect((await fromLan(app, "/", { headers: { cookie } })).status).toBe(303);
  });

  it("a sign-out in one tab ends the live stream of its other tabs at once, with nothing changed", async () => {
    const changes = createChangeFeed(w.laptop.store, 50);
    try {
      const app = dashboardApp(w, {
        changes,
        auth: { require: "off-loopback", verify: w.laptop.service.verifyToken },
      });
      const { cookie, reader } = await signedInStream(app, "two-tabs", "other-tab");
      const first = new TextDecoder().decode((await reader.read()).value);
      expect(first).toContain("event: ready");
      // Let the feed report the sign-in's own writes first: from here on nothing changes but the sign-out.
      await new Promise((r) => setTimeout(r, 500));
      const out = await fromLan(app, "/sign-out", {
        method: "POST",
        headers: { cookie, origin: "http://127.0.0.1:8765" },
      });
      expect(out.status).toBe(303);
      // Well before the 25 s keepalive: the stream ends.
      const ended = await Promise.race([
        (async () => {
          for (;;) if ((await reader.read()).done) return true;
        })(),
        new Promise<false>((r) => setTimeout(() => r(false), 3_000)),
      ]);
      expect(ended).toBe(true);
      expect((await fromLan(app, "/live/projects?__c=other-tab", { headers: { cookie } })).status).toBe(401);
    } finally {
      changes.stop();
    }
  });

  it("ends an open live stream when its sign-in ends (revocation), sending nothing more", async () => {
    const changes = manualChanges();
    const app = dashboardApp(w, {
      changes,
      auth: { require: "off-loopback", verify: w.laptop.service.verifyToken },
    });
    const { cookie, reader } = await signedInStream(app, "streaming", "revoked-tab");
    const text = new TextDecoder();
    let seen = "";
    const until = async (needle: string) => {
      while (!seen.includes(needle)) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`stream ended before '${needle}': ${seen}`);
        seen += text.decode(value);
      }
    };
    await until("event: ready");
    // A change while signed in reaches the tab.
    w.laptop.service.createProject(w.laptop.human, { name: "Seen while signed in" });
    changes.fire();
    await until("Seen while signed in");
    // Revoked: the next change ends the stream instead of being sent.
    w.laptop.service.revokeToken("streaming");
    w.laptop.service.createProject(w.laptop.human, { name: "Not for a revoked tab" });
    changes.fire();
    const rest: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest.push(text.decode(value));
    }
    expect(rest.join("")).not.toContain("Not for a revoked tab");
    // Its reconnect is refused.
    expect((await fromLan(app, "/live/projects?__c=revoked-tab", { headers: { cookie } })).status).toBe(401);
  });
});
