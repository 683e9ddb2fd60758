// Pages: a path pattern and a function from the request (params, query, the service) to a title and
// a body. The live endpoint and form responses find a page by URL through the same router, so a
// section renders the same way wherever it is sent from.
import type { Child } from "hono/jsx";
import type { SessionView } from "../../service/dashboard.ts";
import type { Service } from "../../service/index.ts";
import type { FormStates } from "./forms.ts";
import type { LiveSections } from "./live/sections.tsx";

export type NavKey = "fleet" | "projects" | "sessions" | "messages" | "groups" | "sync";

export type PageCtx = {
  readonly service: Service;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Path and query of this page, for forms that come back here. */
  readonly url: string;
  readonly live: LiveSections;
  /** Forms being shown again with what was typed and the errors (a plain post that failed). */
  readonly forms: FormStates;
  /** Rendered into the page's dialog (htmx) rather than as a whole page. */
  readonly dialog: boolean;
  /** Sessions to pick from (running first), read once per render. */
  readonly choices: () => readonly SessionView[];
};

export type PageOutput = { readonly title: string; readonly nav: NavKey | null; readonly body: Child };

/** null: nothing at this address (404). */
export type PageFn = (ctx: PageCtx) => PageOutput | null;

export type PageDef = { readonly pattern: string; readonly render: PageFn };

export type PageMatch = { readonly page: PageDef; readonly params: Record<string, string> };

const segments = (path: string): string[] => path.split("/").filter((s) => s.length > 0);

/** Matches `/projects/:id` style patterns; a parameter is one (percent-decoded) path segment. */
export const matchPattern = (pattern: string, path: string): Record<string, string> | null => {
  const want = segments(pattern);
  const got = segments(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":")) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
};

export const createPageRouter = (pages: readonly PageDef[]) => ({
  match: (path: string): PageMatch | null => {
    for (const page of pages) {
      const params = matchPattern(page.pattern, path);
      if (params) return { page, params };
    }
    return null;
  },
});

export type PageRouter = ReturnType<typeof createPageRouter>;
