// The web dashboard: server-rendered pages (hono/jsx) with htmx, served next to the API. Pages read
// through the service; forms post to dashboard actions that call the same service operations as the
// API; /live/<page> streams the page's changed sections after every database change.
import { randomUUID } from "node:crypto";
import { hostname, userInfo } from "node:os";
import type { Context } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import type { Logger } from "pino";
import type { Actor } from "../../domain/actor.ts";
import type { ChangeFeed } from "../../runtime/change-feed.ts";
import type { Service } from "../../service/index.ts";
import type { SyncControl } from "../env.ts";
import type { AuthDeps } from "../middleware/auth.ts";
import { dashboardAuth, SIGN_IN_COOKIE, type SignInEnv, type SignIns } from "../middleware/dashboard-auth.ts";
import { pageSecurityHeaders } from "../middleware/page-security.ts";
import type { ActionDeps } from "./actions/context.ts";
import { groupActions } from "./actions/groups.tsx";
import { messageActions } from "./actions/messages.tsx";
import { projectActions } from "./actions/projects.tsx";
import { taskActions } from "./actions/tasks.tsx";
import { assetRoutes, loadAssets } from "./assets.ts";
import { createLiveHub } from "./live/hub.ts";
import { createSectionRenderer, pageCtx } from "./live/renderer.tsx";
import { LIVE_PREFIX, liveStream, liveUrl, parseLiveUrl } from "./live/stream.ts";
import { createPageRouter, type NavKey, type PageDef } from "./page.ts";
import { boardPage } from "./pages/board.tsx";
import { fleetPage } from "./pages/fleet.tsx";
import { groupPage } from "./pages/group.tsx";
import { groupsPage } from "./pages/groups.tsx";
import { messagesPage } from "./pages/messages.tsx";
import { projectsPage } from "./pages/projects.tsx";
import { sessionPage } from "./pages/session.tsx";
import { sessionsPage } from "./pages/sessions.tsx";
import { syncPage } from "./pages/sync.tsx";
import { taskPage } from "./pages/task.tsx";
import { assignPage, movePage } from "./pages/task-dialogs.tsx";
import { renderToString } from "./render.ts";
import { signInRoutes } from "./sign-in.tsx";
import { Layout } from "./views/layout.tsx";

export const PAGES: readonly PageDef[] = [
  fleetPage,
  projectsPage,
  boardPage,
  movePage,
  assignPage,
  taskPage,
  sessionsPage,
  sessionPage,
  messagesPage,
  groupsPage,
  groupPage,
  syncPage,
];

export type DashboardDeps = {
  readonly service: Service;
  /** Database changes (serve gives one); without it pages are served but never updated live. */
  readonly changes?: ChangeFeed | null;
  readonly sync?: SyncControl | null;
  /** Off-loopback (or always) sign-in, with the same rule as the API's bearer tokens. */
  readonly auth?: AuthDeps | undefined;
  readonly version?: string | undefined;
  readonly log?: Logger | undefined;
  readonly now?: () => number;
  /** Who dashboard writes are attributed to (default: human:<os user>@<machine name>). */
  readonly actor?: Actor;
};

const MAX_FORM_BYTES = 1024 * 1024;

/** The person acting through the dashboard, named as the CLI names them (user@host), so one person is one actor. */
const defaultActor = (): Actor => {
  let user = "dashboard";
  try {
    user = userInfo().username || user;
  } catch {}
  return { kind: "human", id: `${user}@${hostname()}`.slice(0, 200) };
};

export const createDashboard = (deps: DashboardDeps) => {
  const { service } = deps;
  const assets = loadAssets();
  const router = createPageRouter(PAGES);
  const renderer = createSectionRenderer({ service, router, bootId: randomUUID().slice(0, 8) });
  const hub = createLiveHub();
  const signIns: SignIns = { signIn: service.signIn, check: service.checkSignIn, signOut: service.signOut };
  const version = deps.version ?? "0.0.0";

  const html = async (
    c: Context,
    o: {
      title: string;
      nav: NavKey | null;
      body: Child;
      status: 200 | 401 | 404 | 409 | 422 | 500;
      live?: { url: string; clientId: string } | null;
    },
  ): Promise<Response> => {
    const page = await renderToString(
      <Layout
        title={o.title}
        nav={o.nav}
        assets={assets.urls}
        machineName={service.machine.machineName}
        version={version}
        live={o.live ?? null}
        signedIn={c.get("signedIn") === true}
      >
        {o.body}
      </Layout>,
    );
    return c.html(`<!doctype html>${page}`, o.status);
  };
  const plainPage = (c: Context, title: string, body: Child, status: 200 | 401 | 409 | 422) =>
    html(c, { title, nav: null, body, status });
  const notFound = (c: Context) =>
    html(c, {
      title: "Not found",
      nav: null,
      status: 404,
      body: (
        <>
          <h1>Not found</h1>
          <p>
            Nothing is at this address (or it has not reached this machine yet).{" "}
            <a href="/">Back to the fleet</a>
          </p>
        </>
      ),
    });

  const actionDeps: ActionDeps = {
    service,
    actor: deps.actor ?? defaultActor(),
    hub,
    renderer,
    sync: deps.sync ?? null,
    page: plainPage,
  };

  const app = new Hono<SignInEnv>();
  app.use("*", pageSecurityHeaders());
  app.use(
    "*",
    dashboardAuth(deps.auth, signIns, (path) => path.startsWith("/assets/") || path === "/sign-in"),
  );
  app.use(
    "*",
    bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text("That form is too large.", 413) }),
  );
  app.route("/", assetRoutes(assets.files));
  app.route("/", signInRoutes({ signIns, page: plainPage }));
  app.get(`${LIVE_PREFIX}/*`, async (c) => {
    const { address } = parseLiveUrl(new URL(c.req.url));
    // A page that is not there (an unknown route, or a task no one has) has nothing to stream.
    if (
      !router.match(new URL(address, "http://dashboard.invalid").pathname) ||
      !(await renderer.sections(address))
    )
      return c.text("no such page", 404);
    // A stream that needed a sign-in re-checks it before each send (revocation, sign-out).
    const credential = c.get("signedIn") ? getCookie(c, SIGN_IN_COOKIE) : undefined;
    const allowed = credential ? () => signIns.check(credential) : undefined;
    return liveStream(c, {
      hub,
      renderer,
      changes: deps.changes ?? null,
      newId: randomUUID,
      log: deps.log,
      allowed,
    });
  });
  app.route("/", projectActions(actionDeps));
  app.route("/", taskActions(actionDeps));
  app.route("/", messageActions(actionDeps));
  app.route("/", groupActions(actionDeps));
  app.get("*", async (c) => {
    const url = new URL(c.req.url);
    const match = router.match(url.pathname);
    if (!match) return notFound(c);
    const dialog = c.req.header("hx-request") === "true" && c.req.header("hx-target") === "dialog-body";
    // The version before rendering: a change during the render makes the live connection resend.
    const at = renderer.version();
    const ctx = pageCtx(service, match, url, undefined, dialog);
    const out = match.page.render(ctx);
    if (!out) return notFound(c);
    if (dialog) return c.html(await renderToString(out.body));
    const clientId = randomUUID();
    const live = ctx.live.all().size > 0 ? { url: liveUrl(ctx.url, clientId, at), clientId } : null;
    return html(c, { title: out.title, nav: out.nav, body: out.body, status: 200, live });
  });
  app.notFound(notFound);
  app.onError((e, c) => {
    deps.log?.error({ err: e, path: c.req.path, method: c.req.method }, "dashboard error");
    return html(c, {
      title: "Error",
      nav: null,
      status: 500,
      body: (
        <>
          <h1>Something went wrong</h1>
          <p>The error is in the server's log. Reload to try again.</p>
        </>
      ),
    });
  });
  return { app, hub, renderer };
};

export type Dashboard = ReturnType<typeof createDashboard>;
