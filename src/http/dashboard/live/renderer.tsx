// Renders the live sections of a page address at the database's current version. Many browsers
// showing the same page share one rendering per change: the result is kept until the next change.
import type { Service } from "../../../service/index.ts";
import { NO_FORMS } from "../forms.ts";
import type { PageCtx, PageMatch, PageRouter } from "../page.ts";
import { hashHtml, renderToString } from "../render.ts";
import type { Rendered } from "./hub.ts";
import { createLiveSections, Section } from "./sections.tsx";

// Pages open at once, not history: the cache empties on every change anyway.
const MAX_CACHED_PAGES = 32;

export const pageCtx = (
  service: Service,
  match: PageMatch,
  url: URL,
  forms = NO_FORMS,
  dialog = false,
  live = createLiveSections(),
): PageCtx => {
  let choices: ReturnType<Service["sessionChoices"]> | null = null;
  return {
    service,
    params: match.params,
    query: url.searchParams,
    url: url.pathname + url.search,
    live,
    forms,
    dialog,
    choices: () => {
      choices ??= service.sessionChoices();
      return choices;
    },
  };
};

export const createSectionRenderer = (deps: {
  readonly service: Service;
  readonly router: PageRouter;
  /** Process-unique prefix of versions, so a page from an earlier server run never looks current. */
  readonly bootId: string;
}) => {
  let cachedAt = "";
  const cache = new Map<string, Promise<Rendered | null>>();

  const version = (): string => `${deps.bootId}.${deps.service.dashboardVersion()}`;

  const render = async (address: string): Promise<Rendered | null> => {
    const url = new URL(address, "http://dashboard.invalid");
    const match = deps.router.match(url.pathname);
    if (!match) return null;
    const ctx = pageCtx(deps.service, match, url);
    if (!match.page.render(ctx)) return null;
    const out = new Map<string, { html: string; hash: string }>();
    for (const [id, s] of ctx.live.all()) {
      const html = await renderToString(
        <Section id={id} class={s.class} oob>
          {s.render()}
        </Section>,
      );
      out.set(id, { html, hash: hashHtml(html) });
    }
    return out;
  };

  return {
    version,
    /** The live sections of the page at `address` (path and query), or null when there is none. */
    sections: (address: string): Promise<Rendered | null> => {
      const v = version();
      if (v !== cachedAt) {
        cache.clear();
        cachedAt = v;
      }
      let p = cache.get(address);
      if (!p) {
        if (cache.size >= MAX_CACHED_PAGES) cache.clear();
        p = render(address);
        cache.set(address, p);
        const mine = p;
        // A failed rendering is not kept: the next change (or request) tries again.
        p.catch(() => {
          if (cache.get(address) === mine) cache.delete(address);
        });
      }
      return p;
    },
  };
};

export type SectionRenderer = ReturnType<typeof createSectionRenderer>;
