// The page around every view: head (pinned htmx and the SSE extension from node_modules, the
// stylesheet, the page script), navigation, the message area, the dialog used by the board's
// pickers, and the live-update connection (one EventSource per page, fragments swapped by id).
import type { Child } from "hono/jsx";
import type { NavKey } from "../page.ts";

export type AssetUrls = {
  readonly htmx: string;
  readonly sse: string;
  readonly css: string;
  readonly js: string;
};

export type LayoutProps = {
  readonly title: string;
  readonly nav: NavKey | null;
  readonly assets: AssetUrls;
  readonly machineName: string;
  readonly version: string;
  /** The live connection of this page (absent on pages that do not follow the database). */
  readonly live: { readonly url: string; readonly clientId: string } | null;
  readonly signedIn?: boolean;
  readonly children?: Child;
};

/**
 * htmx settings: no eval and no inline styles (the pages' Content-Security-Policy forbids both);
 * 409 and 422 answers carry the form with its errors, so they are swapped in like successes.
 */
export const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  defaultFocusScroll: false,
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409|422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ],
});

const NAV: readonly { key: NavKey; href: string; label: string }[] = [
  { key: "fleet", href: "/", label: "Fleet" },
  { key: "projects", href: "/projects", label: "Projects" },
  { key: "sessions", href: "/sessions", label: "Sessions" },
  { key: "messages", href: "/messages", label: "Messages" },
  { key: "groups", href: "/groups", label: "Groups" },
  { key: "sync", href: "/sync", label: "Sync" },
];

export const Layout = (p: LayoutProps) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="color-scheme" content="light dark" />
      <meta name="htmx-config" content={HTMX_CONFIG} />
      <title>{`${p.title} · Claire`}</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href={p.assets.css} />
      <script src={p.assets.htmx} defer></script>
      <script src={p.assets.sse} defer></script>
      <script src={p.assets.js} defer></script>
    </head>
    <body
      hx-ext={p.live ? "sse" : undefined}
      sse-connect={p.live?.url}
      hx-headers={p.live ? JSON.stringify({ "X-Claire-Client": p.live.clientId }) : undefined}
    >
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Claire
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li>
                <a href={n.href} aria-current={p.nav === n.key ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="where">
          {p.machineName}
          {p.live && (
            <span id="live-status" class="live-status" data-state="connecting">
              connecting
            </span>
          )}
          {p.signedIn && (
            <form class="inline" method="post" action="/sign-out">
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          )}
        </span>
      </header>
      <main id="main" tabindex={-1}>
        <div id="flash" class="flash" role="status" aria-live="polite"></div>
        {p.children}
      </main>
      <footer class="foot">Claire {p.version}</footer>
      {p.live && <div id="live-sink" sse-swap="fragments" hx-swap="none" hidden></div>}
      <dialog id="dialog">
        <div id="dialog-body"></div>
      </dialog>
    </body>
  </html>
);
