// The Hono app of `claire serve`: every /api/v1 route (chained, so the client is typed) in the app
// shell (middleware, errors, OpenAPI document, dashboard).
import { type AppDeps, createAppShell } from "./app-shell.ts";
import { apiRoutes } from "./routes/index.ts";

export { API_VERSION, type AppDeps, MAX_BODY_BYTES } from "./app-shell.ts";

export const createApp = (deps: AppDeps) => createAppShell(deps, apiRoutes);

export type App = ReturnType<typeof createApp>;
