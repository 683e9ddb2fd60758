// Headers for the dashboard's pages: a Content-Security-Policy that allows only this origin's
// scripts and styles (no inline code, no eval), no framing, no MIME sniffing, same-origin referrers.
import type { MiddlewareHandler } from "hono";

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const pageSecurityHeaders = (): MiddlewareHandler => async (c, next) => {
  await next();
  c.res.headers.set("content-security-policy", PAGE_CSP);
  c.res.headers.set("x-content-type-options", "nosniff");
  c.res.headers.set("x-frame-options", "DENY");
  c.res.headers.set("referrer-policy", "same-origin");
};
