// Which methods an app answers on a path: a request with another method is a 405 naming them
// (RFC 9110 section 15.5.6), not a 404 that reads as "no such thing". Hono's router only says
// "no match", so the app's own route table is matched here, and only on that miss.

type RouteEntry = { readonly method: string; readonly path: string };

const SPECIAL = /[.+?^$()[\]|\\]/g;

/** One segment of a route path: `:name`, `:name{pattern}`, `*` or literal text. */
const segmentPattern = (segment: string): string => {
  const param = /^:[A-Za-z0-9_]+(?:\{(.*)\})?$/s.exec(segment);
  if (param) return param[1] === undefined ? "[^/]+" : `(?:${param[1]})`;
  return segment
    .split("*")
    .map((part) => part.replace(SPECIAL, "\\$&"))
    .join(".*");
};

/** A Hono route path (`/tasks/:id`, `/x/:n{[0-9]+}`, `/a/:b?`, `/files/*`) as an anchored RegExp. */
export const routePattern = (path: string): RegExp => {
  const out = path
    .split("/")
    .slice(1)
    .map((segment) =>
      // An optional segment (`:b?`) takes the slash before it along.
      segment.startsWith(":") && segment.endsWith("?")
        ? `(?:/${segmentPattern(segment.slice(0, -1))})?`
        : `/${segmentPattern(segment)}`,
    )
    .join("");
  // Strict, as Hono routes by default: `/tasks/` is not `/tasks`.
  return new RegExp(`^${out}$`);
};

/** The methods routed for `path`, sorted, with HEAD wherever GET is; [] when none is. */
export const allowedMethods = (routes: readonly RouteEntry[], path: string): string[] => {
  const found = new Set<string>();
  for (const r of routes) {
    // "ALL" entries are middleware (`app.use`), which answer nothing by themselves.
    if (r.method === "ALL" || found.has(r.method)) continue;
    if (routePattern(r.path).test(path)) found.add(r.method);
  }
  if (found.has("GET")) found.add("HEAD");
  return [...found].sort();
};
