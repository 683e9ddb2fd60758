// Everything of the Hono app around its /api/v1 routes: problem bodies for every error, Host
// allowlist and same-origin checks, body size limit, request logs, the OpenAPI document, the
// dashboard. app.ts puts every route in it (the server); a process that answers one command
// in-process puts in the route groups the command calls (routes/by-path.ts).
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Schema } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import type { ChangeFeed } from "../runtime/change-feed.ts";
import { OriginSlotTakenError, type Service } from "../service/index.ts";
import type { SessionRefresher } from "../sessions/refresher.ts";
import { ACTOR_HEADER, actorFromHeader, DEFAULT_API_ACTOR } from "./actor.ts";
import { allowedMethods } from "./allowed-methods.ts";
import { dashboardEntry } from "./dashboard/entry.ts";
import type { AppEnv, SyncControl } from "./env.ts";
import { type AuthDeps, bearerAuth } from "./middleware/auth.ts";
import { jsonBodies } from "./middleware/content-type.ts";
import { hostAllowlist, sameOriginWrites } from "./middleware/host-check.ts";
import { requestLog } from "./middleware/request-log.ts";
import { unreadBodies } from "./middleware/unread-bodies.ts";
import { type ProblemStatus, problem } from "./problem.ts";

export const API_VERSION = "1";
export const MAX_BODY_BYTES = 1024 * 1024;

export type AppDeps = {
  readonly service: Service;
  readonly allowedHosts?: readonly string[];
  readonly log?: Logger | undefined;
  readonly version?: string;
  readonly sessions?: SessionRefresher | null;
  readonly sync?: SyncControl | null;
  readonly changes?: ChangeFeed | null;
  /** Bearer-token check for API and sync requests (off loopback, or always when configured). */
  readonly auth?: AuthDeps;
  /**
   * In-process (a CLI command with no server): a fault is this process's own, thrown on to the
   * command, which says what it was; "see the server log" would point at a log that does not exist.
   */
  readonly rethrowFaults?: boolean;
  /**
   * True once the database file this server opened was removed or replaced under it: writes are
   * refused from then on (503), never acknowledged into a file no one can open again.
   */
  readonly databaseGone?: () => boolean;
};

const problemJson = { "content-type": "application/problem+json" };

/** What a validation refusal calls the part of the request it refused ("json" reads as "malformed"). */
const TARGET_NAMES: Readonly<Record<string, string>> = {
  json: "request body",
  query: "query",
  param: "path",
  form: "form",
  header: "header",
};

export const createAppShell = <S extends Schema, B extends string>(
  deps: AppDeps,
  routes: OpenAPIHono<AppEnv, S, B>,
) => {
  const app = new OpenAPIHono<AppEnv>({
    // Route validation failures (wrong types, unknown or missing fields) become 422 problems.
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({
          path: i.path.map(String).join("."),
          message: i.message,
        }));
        return c.json(
          problem(
            422,
            `invalid ${TARGET_NAMES[result.target] ?? result.target}: ${errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ")}`,
            errors,
            "validation",
          ),
          422,
          problemJson,
        );
      }
    },
  });

  app.use("*", requestLog(deps.log));
  app.use("*", unreadBodies());
  app.use("*", hostAllowlist(deps.allowedHosts ?? []));
  app.use("*", sameOriginWrites());
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(problem(413, `request body is larger than ${MAX_BODY_BYTES} bytes`), 413, problemJson),
    }),
  );
  app.use("/api/*", jsonBodies());
  if (deps.auth) app.use("/api/*", bearerAuth(deps.auth));
  app.use("*", async (c, next) => {
    if (deps.databaseGone && c.req.method !== "GET" && c.req.method !== "HEAD" && deps.databaseGone())
      return c.json(
        problem(503, "the database file was removed or replaced under this server; it is stopping"),
        503,
        problemJson,
      );
    c.set("service", deps.service);
    // A header that names no actor is refused, not read as "human:api": a write must not be
    // attributed to someone other than the caller said.
    const said = c.req.header(ACTOR_HEADER);
    const actor = said === undefined || said === "" ? DEFAULT_API_ACTOR : actorFromHeader(said);
    if (actor === null)
      return c.json(
        problem(
          422,
          `${ACTOR_HEADER} must be <kind>:<id>, such as human:alice@laptop or session:<id>`,
          [{ path: ACTOR_HEADER, message: "not an actor" }],
          "validation",
        ),
        422,
        problemJson,
      );
    c.set("actor", actor);
    c.set("version", deps.version ?? "0.0.0");
    c.set("sessions", deps.sessions ?? null);
    c.set("sync", deps.sync ?? null);
    c.set("changes", deps.changes ?? null);
    await next();
    // A write landed: let peers hear of it soon (push is an optimisation; pull still converges).
    if (c.req.method !== "GET" && c.res.status < 300 && !c.req.path.startsWith("/api/v1/sync/"))
      deps.sync?.nudge();
  });

  const routed = app.route("/api/v1", routes);

  // Requests from other machines (all, with auth.require = "always") carry a token; loopback ones
  // need none: both are listed, so a client generator offers the header without demanding it.
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "a token from `claire token create` on the serving machine",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    security: [{ bearer: [] }, {}],
    info: {
      title: "Claire API",
      version: deps.version ?? "0.0.0",
      description:
        "Local-first project manager for a fleet of Claude Code sessions. Errors are RFC 9457 problem bodies.",
    },
  });

  app.route("/", dashboardEntry(deps));

  app.notFound((c) => {
    const allowed = allowedMethods(app.routes, c.req.path);
    if (allowed.length === 0)
      return c.json(problem(404, `no route for ${c.req.method} ${c.req.path}`), 404, problemJson);
    return c.json(problem(405, `${c.req.path} answers ${allowed.join(", ")}, not ${c.req.method}`), 405, {
      ...problemJson,
      allow: allowed.join(", "),
    });
  });
  app.onError((e, c) => {
    if (e instanceof HTTPException) {
      const status = e.status as ProblemStatus;
      const detail =
        status === 400
          ? "malformed JSON in the request body"
          : status === 415
            ? "send the body as application/json"
            : e.message;
      return c.json(problem(status, detail), status, problemJson);
    }
    if (e instanceof OriginSlotTakenError) {
      deps.log?.error({ err: e }, "origin slot taken: a clone of this machine is writing");
      return c.json(problem(409, e.message, [], "machine-id-clone"), 409, problemJson);
    }
    if (deps.rethrowFaults) throw e;
    deps.log?.error({ err: e, path: c.req.path, method: c.req.method }, "internal error");
    return c.json(problem(500, "internal error; see the server log"), 500, problemJson);
  });
  return routed;
};
