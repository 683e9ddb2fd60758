// The dashboard's place in the app: every path outside /api/. Its module (views, assets) loads on
// the first such request, so the CLI's in-process app never pays for it; a server that follows the
// database (serve) loads it at once.
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import type { DashboardDeps } from "./index.tsx";

export const dashboardEntry = (deps: DashboardDeps) => {
  let loaded: Promise<Hono> | null = null;
  const load = () => {
    loaded ??= import("./index.tsx").then((m) => m.createDashboard(deps).app as unknown as Hono);
    return loaded;
  };
  // A failure here is reported by the first page request (it awaits the same promise).
  if (deps.changes) load().catch(() => {});
  return new Hono<AppEnv>().all("*", async (c, next) => {
    if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return next();
    const app = await load();
    return app.fetch(c.req.raw, c.env);
  });
};
