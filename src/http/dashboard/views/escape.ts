// Hand-built HTML for the hottest views (board cards, session rows): a board holds thousands of
// cards, and a string template renders them several times faster than a tree of JSX nodes. Every
// interpolated value goes through esc(); the result is marked as already-escaped for hono/jsx.
import { raw } from "hono/html";
import { fmtTime } from "./format.ts";

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const ANY = /[&<>"']/;
const ALL = /[&<>"']/g;

/** Text or attribute value, escaped. */
export const escHtml = (s: string | number): string => {
  const t = String(s);
  return ANY.test(t) ? t.replace(ALL, (c) => ENTITIES[c]!) : t;
};

/** Already-escaped HTML, for a JSX child. */
export const trusted = (html: string) => raw(html);

/** The <time> element the Time component makes, as a string (the page script adds the title). */
export const timeHtml = (iso: string | null): string => {
  if (!iso) return '<span class="muted">—</span>';
  return `<time datetime="${escHtml(iso)}" data-rel>${escHtml(fmtTime(iso))}</time>`;
};
