// Bad requests for every /api/v1 route and the 4xx each must get. Generic ones are derived from the
// route's success case and its OpenAPI operation (foreign Host, cross-origin write, huge body,
// wrong content type, malformed JSON, unknown, missing and mistyped fields, unknown query
// parameters, unknown ids); the rest are written out per route (conflicts, invalid transitions,
// cycles, unknown references).
import { type ApiCall, SUCCESS_CASES } from "./api-cases.ts";
import type { ApiFixtures } from "./api-fixtures.ts";
import { validateJson } from "./api-json-schema.ts";
import { type OpenApiDocument, operationOf, splitRouteKey } from "./api-openapi.ts";

export type BadRequest = {
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string goes out as is; anything else as JSON. */
  readonly body?: unknown;
  readonly method?: string;
};

export type BadCase = {
  readonly name: string;
  readonly route: string;
  readonly status: 400 | 403 | 404 | 409 | 413 | 415 | 422;
  /** The problem type's last segment, when it matters. */
  readonly kind?: string;
  readonly request: (f: ApiFixtures) => BadRequest;
};

export const MAX_BODY_BYTES = 1024 * 1024;
const V = "/api/v1";
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const UNKNOWN_ID = "ffffffff";

type Schema = Record<string, unknown>;

const bodySchema = (doc: OpenApiDocument, route: string): Schema | undefined =>
  operationOf(doc, route)?.requestBody?.content["application/json"]?.schema as Schema | undefined;

/** A value the property's schema (as published) rejects. */
const wrongValue = (schema: unknown, doc: OpenApiDocument): unknown =>
  [{ wrong: true }, 42, "x", [], true, null].find((v) => validateJson(schema, v, doc).length > 0);

/** The success path with one `:param` of the template replaced. */
const withParam = (template: string, successPath: string, param: string, value: string): string => {
  const t = template.split("/");
  const s = successPath.split("/");
  return t.map((seg, i) => (seg === `:${param}` ? encodeURIComponent(value) : s[i])).join("/");
};

export const genericBadCases = (doc: OpenApiDocument): BadCase[] => {
  const cases: BadCase[] = [];
  for (const [route, success] of Object.entries(SUCCESS_CASES)) {
    const { method, path: template } = splitRouteKey(route);
    const call = (f: ApiFixtures): ApiCall => success.call(f);
    const add = (name: string, status: BadCase["status"], request: BadCase["request"], kind?: string) =>
      cases.push({ name: `${route}: ${name}`, route, status, request, ...(kind && { kind }) });

    add("foreign Host", 403, (f) => ({ ...call(f), headers: { host: "evil.example" } }), "host-not-allowed");
    add("Host with a foreign name on a loopback port", 403, (f) => ({
      ...call(f),
      headers: { host: "attacker.test:8765" },
    }));
    if (WRITES.has(method)) {
      add(
        "cross-origin write",
        403,
        (f) => ({ ...call(f), headers: { origin: "http://evil.example" } }),
        "cross-origin",
      );
      add("cross-site fetch metadata", 403, (f) => ({
        ...call(f),
        headers: { "sec-fetch-site": "cross-site" },
      }));
      add("body over 1 MiB", 413, (f) => ({ ...call(f), body: `{"x":"${"a".repeat(MAX_BODY_BYTES)}"}` }));
      add("text/plain body", 415, (f) => ({
        ...call(f),
        headers: { "content-type": "text/plain" },
        body: JSON.stringify(call(f).body ?? {}),
      }));
      add("form body", 415, (f) => ({
        ...call(f),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "a=1",
      }));
    }

    const schema = bodySchema(doc, route);
    if (schema) {
      add("malformed JSON", 400, (f) => ({ ...call(f), body: '{"oops": ' }));
      add("JSON with a trailing comma", 400, (f) => ({ ...call(f), body: "{,}" }));
      add("empty body", 400, (f) => ({ ...call(f), body: "" }));
      add(
        "JSON array instead of an object",
        422,
        (f) => ({ ...call(f), body: [call(f).body] }),
        "validation",
      );
      add("JSON null", 422, (f) => ({ ...call(f), body: "null" }), "validation");
      add(
        "unknown field",
        422,
        (f) => ({ ...call(f), body: { ...(call(f).body as object), sneaky: 1 } }),
        "validation",
      );
      for (const key of (schema.required as string[] | undefined) ?? []) {
        add(
          `missing ${key}`,
          422,
          (f) => {
            const { [key]: _, ...rest } = call(f).body as Record<string, unknown>;
            return { ...call(f), body: rest };
          },
          "validation",
        );
      }
      for (const [key, prop] of Object.entries((schema.properties as Schema | undefined) ?? {})) {
        const wrong = wrongValue(prop, doc);
        add(
          `${key} of the wrong type (${JSON.stringify(wrong)})`,
          422,
          (f) => ({
            ...call(f),
            body: { ...(call(f).body as object), [key]: wrong },
          }),
          "validation",
        );
      }
    }

    const params = operationOf(doc, route)?.parameters ?? [];
    const queryParams = params.filter((p) => p.in === "query");
    if (queryParams.length > 0) {
      add(
        "unknown query parameter",
        422,
        (f) => ({ ...call(f), query: { ...call(f).query, bogus: "1" } }),
        "validation",
      );
    }
    for (const q of queryParams) {
      if (q.name === "limit")
        add("limit=0", 422, (f) => ({ ...call(f), query: { ...call(f).query, limit: "0" } }));
      if (q.name === "limit")
        add("limit=abc", 422, (f) => ({ ...call(f), query: { ...call(f).query, limit: "abc" } }));
      if (q.name === "offset")
        add("offset=-1", 422, (f) => ({ ...call(f), query: { ...call(f).query, offset: "-1" } }));
      if (q.required) {
        add(
          `missing required ${q.name}`,
          422,
          (f) => {
            const { [q.name]: _, ...rest } = call(f).query ?? {};
            return { ...call(f), query: rest };
          },
          "validation",
        );
      }
    }
    for (const p of params.filter((x) => x.in === "path")) {
      add(
        `unknown ${p.name}`,
        404,
        (f) => ({ ...call(f), path: withParam(template, call(f).path, p.name, UNKNOWN_ID) }),
        "not-found",
      );
      add(`over-long ${p.name}`, 422, (f) => ({
        ...call(f),
        path: withParam(template, call(f).path, p.name, "a".repeat(400)),
      }));
    }
  }
  return cases;
};

/** Bad requests that pass validation and fail on the facts: each names its route and outcome. */
export const SEMANTIC_BAD_CASES: readonly BadCase[] = [
  {
    name: "hook event of a kind Claire does not handle",
    route: "POST /api/v1/agent/hook",
    status: 422,
    kind: "validation",
    request: () => ({ path: `${V}/agent/hook`, body: { event: "PreToolUse", sessionId: "s" } }),
  },
  {
    name: "hook for a session id with a slash",
    route: "POST /api/v1/agent/hook",
    status: 422,
    request: () => ({ path: `${V}/agent/hook`, body: { event: "Stop", sessionId: "a/b" } }),
  },
  {
    name: "hook asking for more than 10,000 characters",
    route: "POST /api/v1/agent/hook",
    status: 422,
    request: () => ({
      path: `${V}/agent/hook`,
      body: { event: "SessionStart", sessionId: "s", budget: 10_001 },
    }),
  },
  {
    name: "mark delivered a message not in the inbox",
    route: "POST /api/v1/agent/delivered",
    status: 404,
    request: (f) => ({
      path: `${V}/agent/delivered`,
      body: { session: f.sessions.s1.sessionId, messages: ["abcdef12"] },
    }),
  },
  {
    name: "mark delivered for an unknown session",
    route: "POST /api/v1/agent/delivered",
    status: 404,
    request: () => ({ path: `${V}/agent/delivered`, body: { session: "no-such-session", messages: "all" } }),
  },
  {
    name: "register a session id with spaces",
    route: "POST /api/v1/agent/sessions",
    status: 422,
    request: () => ({ path: `${V}/agent/sessions`, body: { sessionId: "two words" } }),
  },
  {
    name: "whoami of an unknown session",
    route: "GET /api/v1/agent/whoami",
    status: 404,
    request: () => ({ path: `${V}/agent/whoami`, query: { session: "no-such-session" } }),
  },
  {
    name: "complete a finished task",
    route: "POST /api/v1/agent/complete",
    status: 409,
    request: (f) => ({
      path: `${V}/agent/complete`,
      body: { session: f.sessions.s1.sessionId, taskId: f.tasks.done.id },
    }),
  },
  {
    name: "complete a task another session owns",
    route: "POST /api/v1/agent/complete",
    status: 409,
    kind: "conflict",
    request: (f) => ({
      path: `${V}/agent/complete`,
      body: { session: f.sessions.s1.sessionId, taskId: f.tasks.history.id },
    }),
  },
  {
    name: "complete with a NUL in the summary",
    route: "POST /api/v1/agent/complete",
    status: 422,
    request: (f) => ({
      path: `${V}/agent/complete`,
      body: { session: f.sessions.s4.sessionId, taskId: f.tasks.toComplete.id, summary: "a\u0000b" },
    }),
  },
  {
    name: "refresh option of the wrong type",
    route: "POST /api/v1/sessions/refresh",
    status: 422,
    request: () => ({ path: `${V}/sessions/refresh`, body: { agents: "yes" } }),
  },
  {
    name: "duplicate project name",
    route: "POST /api/v1/projects",
    status: 409,
    kind: "conflict",
    request: (f) => ({ path: `${V}/projects`, body: { name: f.projects.main.name } }),
  },
  {
    name: "control characters in a project name",
    route: "POST /api/v1/projects",
    status: 422,
    request: () => ({ path: `${V}/projects`, body: { name: "a\u0007b" } }),
  },
  {
    name: "unarchive an active project",
    route: "POST /api/v1/projects/:id/unarchive",
    status: 409,
    request: (f) => ({ path: `${V}/projects/${f.projects.main.id}/unarchive` }),
  },
  {
    name: "rename to an existing name",
    route: "PATCH /api/v1/projects/:id",
    status: 409,
    request: (f) => ({ path: `${V}/projects/${f.projects.toEdit.id}`, body: { name: f.projects.main.name } }),
  },
  {
    name: "empty project change",
    route: "PATCH /api/v1/projects/:id",
    status: 422,
    request: (f) => ({ path: `${V}/projects/${f.projects.toEdit.id}`, body: {} }),
  },
  {
    name: "task in an unknown project",
    route: "POST /api/v1/tasks",
    status: 404,
    kind: "not-found",
    request: () => ({ path: `${V}/tasks`, body: { projectId: "no-such-project", title: "x" } }),
  },
  {
    name: "task in an archived project",
    route: "POST /api/v1/tasks",
    status: 409,
    request: (f) => ({ path: `${V}/tasks`, body: { projectId: f.projects.archived.id, title: "x" } }),
  },
  {
    name: "task depending on an unknown task",
    route: "POST /api/v1/tasks",
    status: 404,
    request: (f) => ({
      path: `${V}/tasks`,
      body: { projectId: f.projects.main.id, title: "x", dependsOn: ["abcdef12"] },
    }),
  },
  {
    name: "label with a space",
    route: "POST /api/v1/tasks",
    status: 422,
    request: (f) => ({
      path: `${V}/tasks`,
      body: { projectId: f.projects.main.id, title: "x", labels: ["a b"] },
    }),
  },
  {
    name: "task list limit over 1000",
    route: "GET /api/v1/tasks",
    status: 422,
    request: () => ({ path: `${V}/tasks`, query: { limit: "1001" } }),
  },
  {
    name: "unknown status in the filter",
    route: "GET /api/v1/tasks",
    status: 422,
    request: () => ({ path: `${V}/tasks`, query: { status: "todo,paused" } }),
  },
  {
    name: "tasks of an unknown session",
    route: "GET /api/v1/tasks",
    status: 404,
    request: () => ({ path: `${V}/tasks`, query: { session: "no-such-session" } }),
  },
  {
    name: "ready queue of an unknown project",
    route: "GET /api/v1/tasks/ready",
    status: 404,
    request: () => ({ path: `${V}/tasks/ready`, query: { project: "nope" } }),
  },
  {
    name: "next for an unknown session",
    route: "POST /api/v1/tasks/next",
    status: 404,
    request: () => ({ path: `${V}/tasks/next`, body: { session: "no-such-session", claim: true } }),
  },
  {
    name: "claim given as a string",
    route: "POST /api/v1/tasks/next",
    status: 422,
    request: (f) => ({ path: `${V}/tasks/next`, body: { session: f.sessions.s3.sessionId, claim: "yes" } }),
  },
  {
    name: "ambiguous id prefix",
    route: "GET /api/v1/tasks/:id",
    status: 409,
    kind: "ambiguous-id",
    request: (f) => ({ path: `${V}/tasks/${f.tasks.plain.id.slice(0, 6)}` }),
  },
  {
    name: "id that is not hex",
    route: "GET /api/v1/tasks/:id",
    status: 404,
    request: () => ({ path: `${V}/tasks/${encodeURIComponent("'; DROP TABLE tasks; --")}` }),
  },
  {
    name: "empty task change",
    route: "PATCH /api/v1/tasks/:id",
    status: 422,
    request: (f) => ({ path: `${V}/tasks/${f.tasks.toEdit.id}`, body: {} }),
  },
  {
    name: "label both added and removed",
    route: "PATCH /api/v1/tasks/:id",
    status: 422,
    request: (f) => ({
      path: `${V}/tasks/${f.tasks.toEdit.id}`,
      body: { addLabels: ["a"], removeLabels: ["a"] },
    }),
  },
  {
    name: "move a task to an unknown project",
    route: "PATCH /api/v1/tasks/:id",
    status: 404,
    request: (f) => ({ path: `${V}/tasks/${f.tasks.toEdit.id}`, body: { projectId: "nowhere" } }),
  },
  {
    name: "done task straight to in_progress",
    route: "POST /api/v1/tasks/:id/status",
    status: 409,
    kind: "invalid-transition",
    request: (f) => ({ path: `${V}/tasks/${f.tasks.done.id}/status`, body: { status: "in_progress" } }),
  },
  {
    name: "unknown status",
    route: "POST /api/v1/tasks/:id/status",
    status: 422,
    request: (f) => ({ path: `${V}/tasks/${f.tasks.toMove.id}/status`, body: { status: "paused" } }),
  },
  {
    name: "dependency cycle",
    route: "POST /api/v1/tasks/:id/dependencies",
    status: 409,
    kind: "dependency-cycle",
    request: (f) => ({
      path: `${V}/tasks/${f.tasks.base.id}/dependencies`,
      body: { dependsOn: f.tasks.dependent.id },
    }),
  },
  {
    name: "depend on itself",
    route: "POST /api/v1/tasks/:id/dependencies",
    status: 409,
    kind: "dependency-cycle",
    request: (f) => ({
      path: `${V}/tasks/${f.tasks.base.id}/dependencies`,
      body: { dependsOn: f.tasks.base.id },
    }),
  },
  {
    name: "dependency already there",
    route: "POST /api/v1/tasks/:id/dependencies",
    status: 409,
    kind: "conflict",
    request: (f) => ({
      path: `${V}/tasks/${f.tasks.dependent.id}/dependencies`,
      body: { dependsOn: f.tasks.base.id },
    }),
  },
  {
    name: "remove a dependency that is not there",
    route: "DELETE /api/v1/tasks/:id/dependencies/:dep",
    status: 404,
    request: (f) => ({ path: `${V}/tasks/${f.tasks.plain.id}/dependencies/${f.tasks.base.id}` }),
  },
  {
    name: "timeline limit over 5000",
    route: "GET /api/v1/tasks/:id/timeline",
    status: 422,
    request: (f) => ({ path: `${V}/tasks/${f.tasks.history.id}/timeline`, query: { limit: "5001" } }),
  },
  {
    name: "assign a finished task",
    route: "POST /api/v1/assignments",
    status: 409,
    request: (f) => ({
      path: `${V}/assignments`,
      body: { taskId: f.tasks.done.id, session: f.sessions.s1.sessionId },
    }),
  },
  {
    name: "assign to an unknown session",
    route: "POST /api/v1/assignments",
    status: 404,
    request: (f) => ({
      path: `${V}/assignments`,
      body: { taskId: f.tasks.toAssign.id, session: "no-such-session" },
    }),
  },
  {
    name: "assign again to the same session",
    route: "POST /api/v1/assignments",
    status: 409,
    request: (f) => ({
      path: `${V}/assignments`,
      body: { taskId: f.assignment.taskId, session: f.sessions.s1.sessionId },
    }),
  },
  {
    name: "assign to the LIKE wildcard '%' (not a session prefix)",
    route: "POST /api/v1/assignments",
    status: 404,
    request: (f) => ({ path: `${V}/assignments`, body: { taskId: f.tasks.toAssign.id, session: "%" } }),
  },
  {
    name: "assign to a blank session",
    route: "POST /api/v1/assignments",
    status: 404,
    request: (f) => ({ path: `${V}/assignments`, body: { taskId: f.tasks.toAssign.id, session: "  " } }),
  },
  {
    name: "assignments of an unknown task",
    route: "GET /api/v1/assignments",
    status: 404,
    request: () => ({ path: `${V}/assignments`, query: { task: "abcdef12" } }),
  },
  {
    name: "current=maybe",
    route: "GET /api/v1/assignments",
    status: 422,
    request: () => ({ path: `${V}/assignments`, query: { current: "maybe" } }),
  },
  {
    name: "assignment already in that state",
    route: "PATCH /api/v1/assignments/:id",
    status: 409,
    request: (f) => ({ path: `${V}/assignments/${f.assignment.id}`, body: { state: "active" } }),
  },
  {
    name: "unknown assignment state",
    route: "PATCH /api/v1/assignments/:id",
    status: 422,
    request: (f) => ({ path: `${V}/assignments/${f.assignment.id}`, body: { state: "paused" } }),
  },
  {
    name: "unassign a task without owner",
    route: "POST /api/v1/tasks/:id/unassign",
    status: 409,
    request: (f) => ({ path: `${V}/tasks/${f.tasks.plain.id}/unassign` }),
  },
  {
    name: "claim a task another session owns",
    route: "POST /api/v1/claims",
    status: 409,
    request: (f) => ({
      path: `${V}/claims`,
      body: { taskId: f.tasks.history.id, session: f.sessions.s1.sessionId },
    }),
  },
  {
    name: "claim a finished task",
    route: "POST /api/v1/claims",
    status: 409,
    request: (f) => ({
      path: `${V}/claims`,
      body: { taskId: f.tasks.done.id, session: f.sessions.s4.sessionId },
    }),
  },
  {
    name: "unknown session state",
    route: "GET /api/v1/sessions",
    status: 422,
    request: () => ({ path: `${V}/sessions`, query: { state: "sleepy" } }),
  },
  {
    name: "sessions of an unknown machine",
    route: "GET /api/v1/sessions",
    status: 404,
    request: () => ({ path: `${V}/sessions`, query: { machine: "no-such-machine" } }),
  },
  {
    name: "group name with spaces",
    route: "POST /api/v1/groups",
    status: 422,
    request: () => ({ path: `${V}/groups`, body: { name: "Back End" } }),
  },
  {
    name: "group rule of an unknown kind",
    route: "POST /api/v1/groups",
    status: 422,
    request: () => ({ path: `${V}/groups`, body: { name: "rules", rules: ["planet:mars"] } }),
  },
  {
    name: "duplicate group",
    route: "POST /api/v1/groups",
    status: 409,
    request: (f) => ({ path: `${V}/groups`, body: { name: f.group.name } }),
  },
  {
    name: "group member that is no session",
    route: "POST /api/v1/groups",
    status: 404,
    request: () => ({ path: `${V}/groups`, body: { name: "ghosts", members: ["no-such-session"] } }),
  },
  {
    name: "empty group change",
    route: "PATCH /api/v1/groups/:id",
    status: 422,
    request: (f) => ({ path: `${V}/groups/${f.group.id}`, body: {} }),
  },
  {
    name: "update about nothing",
    route: "POST /api/v1/updates",
    status: 422,
    request: () => ({ path: `${V}/updates`, body: { text: "orphan" } }),
  },
  {
    name: "blank update",
    route: "POST /api/v1/updates",
    status: 422,
    request: (f) => ({ path: `${V}/updates`, body: { taskId: f.tasks.plain.id, text: "   " } }),
  },
  {
    name: "update whose task and project disagree",
    route: "POST /api/v1/updates",
    status: 422,
    request: (f) => ({
      path: `${V}/updates`,
      body: { taskId: f.tasks.plain.id, projectId: f.projects.toEdit.id, text: "x" },
    }),
  },
  {
    name: "since that is not a time",
    route: "GET /api/v1/updates",
    status: 422,
    request: () => ({ path: `${V}/updates`, query: { since: "yesterday" } }),
  },
  {
    name: "message to an unknown group",
    route: "POST /api/v1/messages",
    status: 404,
    request: () => ({ path: `${V}/messages`, body: { to: "group:nobody", body: "hi" } }),
  },
  {
    name: "message to an unknown kind of target",
    route: "POST /api/v1/messages",
    status: 422,
    request: () => ({ path: `${V}/messages`, body: { to: "planet:mars", body: "hi" } }),
  },
  {
    name: "empty message",
    route: "POST /api/v1/messages",
    status: 422,
    request: () => ({ path: `${V}/messages`, body: { to: "all", body: " " } }),
  },
  {
    name: "message with a NUL",
    route: "POST /api/v1/messages",
    status: 422,
    request: () => ({ path: `${V}/messages`, body: { to: "all", body: "a\u0000b" } }),
  },
  {
    name: "broadcast to one session",
    route: "POST /api/v1/broadcast",
    status: 422,
    kind: "validation",
    request: (f) => ({
      path: `${V}/broadcast`,
      body: { to: `session:${f.sessions.s1.sessionId}`, body: "hi" },
    }),
  },
  {
    name: "broadcast to a bare session id",
    route: "POST /api/v1/broadcast",
    status: 422,
    request: (f) => ({ path: `${V}/broadcast`, body: { to: f.sessions.s1.sessionId, body: "hi" } }),
  },
  {
    name: "broadcast to an unknown machine",
    route: "POST /api/v1/broadcast",
    status: 404,
    request: () => ({ path: `${V}/broadcast`, body: { to: "machine:atlantis", body: "hi" } }),
  },
  {
    name: "push an empty batch",
    route: "POST /api/v1/sync/events",
    status: 422,
    request: () => ({ path: `${V}/sync/events`, body: { events: [] } }),
  },
  {
    name: "push more events than one batch may hold",
    route: "POST /api/v1/sync/events",
    status: 422,
    request: () => ({ path: `${V}/sync/events`, body: { events: Array.from({ length: 5001 }, () => ({})) } }),
  },
  {
    name: "sync with a peer named by an empty string",
    route: "POST /api/v1/sync/run",
    status: 422,
    request: () => ({ path: `${V}/sync/run`, body: { peer: "  " } }),
  },
  {
    name: "sync with a peer that is not in claire.toml",
    route: "POST /api/v1/sync/run",
    status: 404,
    request: () => ({ path: `${V}/sync/run`, body: { peer: "http://127.0.0.1:9" } }),
  },
  {
    name: "verify against a peer that is not in claire.toml",
    route: "GET /api/v1/sync/verify",
    status: 404,
    request: () => ({ path: `${V}/sync/verify`, query: { peer: "laptop" } }),
  },
  {
    name: "inbox of an unknown session",
    route: "GET /api/v1/inbox",
    status: 404,
    request: () => ({ path: `${V}/inbox`, query: { session: "no-such-session" } }),
  },
  {
    name: "acknowledge a message not in the inbox",
    route: "POST /api/v1/inbox/ack",
    status: 404,
    request: (f) => ({
      path: `${V}/inbox/ack`,
      body: { session: f.sessions.s1.sessionId, messages: ["abcdef12"] },
    }),
  },
  {
    name: "acknowledge an empty list",
    route: "POST /api/v1/inbox/ack",
    status: 422,
    request: (f) => ({ path: `${V}/inbox/ack`, body: { session: f.sessions.s1.sessionId, messages: [] } }),
  },
  {
    name: "acknowledge 'some'",
    route: "POST /api/v1/inbox/ack",
    status: 422,
    request: (f) => ({
      path: `${V}/inbox/ack`,
      body: { session: f.sessions.s1.sessionId, messages: "some" },
    }),
  },
];
