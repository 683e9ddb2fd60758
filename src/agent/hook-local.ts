// What answers a hook's two API calls when no server runs: the service of this machine's database,
// called in this process. The other commands use the in-process HTTP app (src/cli/in-process.ts);
// a hook runs on every prompt of every session, and that app's Hono, middleware and route schemas
// cost it ~6 ms (of ~57) for two calls whose bodies the hook builds itself (docs/performance.md).
// The service validates the event as the route does and answers with the same values; its errors
// become the same problem statuses (http/problem.ts), so hook-run.ts cannot tell the two apart.
import "../cli/zod-without-jit.ts";
import type { ApiClient, ApiResponse } from "../cli/api-client.ts";
import { describeConfigError } from "../config/index.ts";
import { ActorSchema } from "../domain/actor.ts";
import type { ServiceError } from "../domain/errors.ts";
import { actorAccepted } from "../domain/fast-accept.ts";
import type { Result } from "../domain/result.ts";
import { serviceErrorToProblem } from "../http/problem.ts";
import { openLocalParts } from "../runtime/local-store.ts";
import { createHookService, type HookService } from "../service/hook-service.ts";

const answer = (r: Result<unknown, ServiceError>): ApiResponse => {
  if (r.ok) return { status: 200, body: r.value };
  const p = serviceErrorToProblem(r.error);
  return { status: p.status, body: p };
};

const refused = (status: number, detail: string): ApiResponse => ({ status, body: { status, detail } });

const isDelivered = (body: unknown): body is { session: string; messages: string[] | "all" } => {
  const b = body as { session?: unknown; messages?: unknown } | null;
  return (
    typeof b?.session === "string" &&
    (b.messages === "all" || (Array.isArray(b.messages) && b.messages.every((m) => typeof m === "string")))
  );
};

/** The two hook calls answered by `service` on behalf of `actor` ("session:<id>", as X-Claire-Actor). */
export const serviceHookApi = (
  service: HookService,
  actor: string,
  close: () => void = () => {},
): ApiClient => {
  const i = actor.indexOf(":");
  const given = { kind: actor.slice(0, i), id: actor.slice(i + 1) };
  // What the hook passes is checked by hand: the schema (and zod) only for anything else.
  const who = actorAccepted(given) ? { success: true as const, data: given } : ActorSchema.safeParse(given);
  if (i <= 0 || !who.success) throw new Error(`'${actor}' is not an actor (kind:id)`);
  return {
    mode: "in-process",
    url: "in-process:hook",
    call: async (method, path, opts = {}) => {
      if (opts.actor !== undefined && opts.actor !== actor)
        return refused(400, "the hook's API acts only as the hook's own session");
      if (method === "POST" && path === "/agent/hook") return answer(service.hookEvent(who.data, opts.body));
      if (method === "POST" && path === "/agent/delivered") {
        if (!isDelivered(opts.body))
          return refused(422, "invalid request body: expected {session, messages}");
        return answer(service.markDelivered(who.data, opts.body.session, opts.body.messages));
      }
      return refused(404, `${method} ${path} is not a call a hook makes`);
    },
    close,
  };
};

/** The hook's API on this machine's database (opened, and created on first use, as the CLI does). */
export const openLocalHookApi = (
  actor: string,
  env: Record<string, string | undefined> = process.env,
): ApiClient => {
  const opened = openLocalParts({ init: true, env });
  if (!opened.ok) throw new Error(describeConfigError(opened.error));
  const local = opened.value;
  try {
    const service = createHookService(local.deps);
    // As the in-process app does on opening: a machine that never ran a server gets its machines row.
    service.announceMachine({ kind: "machine", id: local.config.machineId });
    return serviceHookApi(service, actor, local.close);
  } catch (e) {
    local.close();
    throw e;
  }
};
