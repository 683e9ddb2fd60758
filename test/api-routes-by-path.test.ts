// The in-process API builds only the route groups a request needs (src/http/routes/by-path.ts):
// every route of the full app must be found through the table, for a path it serves, mounted
// exactly as the server mounts it; and a request of one kind must not build the others.
import { describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.ts";
import { createAppShell } from "../src/http/app-shell.ts";
import { routeKey, routesFor } from "../src/http/routes/by-path.ts";
import type { Service } from "../src/service/index.ts";
import { servedApiRoutes, splitRouteKey } from "./support/api-openapi.ts";

// Route lists only: no request reaches the service.
const deps = { service: {} as Service };
const OPENAPI = "GET /api/v1/openapi.json"; // the shell's own; its path gets every route (last test)
const full = servedApiRoutes(createApp(deps));
const routesOf = (served: string[]) => served.filter((r) => r !== OPENAPI);

/** A path the route serves: each `:param` filled in. */
const concrete = (honoPath: string) => honoPath.replace(/:[A-Za-z0-9_]+/g, "x1");

describe("route groups by path", () => {
  it("finds every route of the full app for a path it serves", async () => {
    expect(full.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const route of routesOf(full)) {
      const { path } = splitRouteKey(route);
      const key = routeKey(concrete(path));
      expect(key, `${route} has a group of its own, not every route`).not.toBe("*");
      const served = servedApiRoutes(createAppShell(deps, await routesFor(key)));
      if (!served.includes(route)) missing.push(`${route} (looked up as '${key}')`);
    }
    expect(missing).toEqual([]);
  });

  it("keeps the server's order of routes within a group (`/tasks/next` before `/tasks/:id`)", async () => {
    const served = servedApiRoutes(createAppShell(deps, await routesFor("tasks")));
    expect(routesOf(served)).toEqual(routesOf(full).filter((r) => served.includes(r)));
  });

  it("builds only the group a request needs", async () => {
    const served = servedApiRoutes(createAppShell(deps, await routesFor(routeKey("/api/v1/status?x=1"))));
    expect(routesOf(served).sort()).toEqual([
      "GET /api/v1/auth",
      "GET /api/v1/health",
      "GET /api/v1/machines",
      "GET /api/v1/status",
    ]);
  });

  it("gives every route for any other path: the OpenAPI document, the dashboard, unknown paths", async () => {
    for (const path of [
      "/api/v1/openapi.json",
      "/",
      "/api/v1/nope",
      "/api/v2/status",
      "/api/v1/constructor",
    ]) {
      expect(routeKey(path)).toBe("*");
    }
    expect(servedApiRoutes(createAppShell(deps, await routesFor("*")))).toEqual(full);
  });
});
