// One successful call per /api/v1 route, keyed by Hono's method and path. The route suite runs
// them all over real HTTP; the bad-input and fuzz suites start from them.
import type { ApiFixtures } from "./api-fixtures.ts";

export type ApiCall = {
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
};

export type SuccessCase = {
  readonly status: 200 | 201;
  readonly call: (f: ApiFixtures) => ApiCall;
  /** Checks beyond the schema: that the call did what it says. */
  readonly expect?: (body: unknown, f: ApiFixtures) => void;
};

const V = "/api/v1";
const enc = encodeURIComponent;

const check = (cond: boolean, what: string) => {
  if (!cond) throw new Error(`expected ${what}`);
};
const asRecord = (v: unknown) => v as Record<string, unknown>;
const asList = (v: unknown) => v as Record<string, unknown>[];

export const SUCCESS_CASES: Readonly<Record<string, SuccessCase>> = {
  // projects
  "POST /api/v1/projects": {
    status: 201,
    call: () => ({ path: `${V}/projects`, body: { name: "artemis", description: "back to the moon" } }),
    expect: (b) => check(asRecord(b).name === "artemis", "the new project's name"),
  },
  "GET /api/v1/projects": {
    status: 200,
    call: () => ({ path: `${V}/projects`, query: { archived: "true" } }),
    expect: (b) =>
      check(
        asList(b).some((p) => p.name === "vostok"),
        "archived projects when asked",
      ),
  },
  "GET /api/v1/projects/:id": {
    status: 200,
    call: (f) => ({ path: `${V}/projects/${f.projects.main.name}` }),
    expect: (b, f) => check(asRecord(b).id === f.projects.main.id, "the project found by name"),
  },
  "PATCH /api/v1/projects/:id": {
    status: 200,
    call: (f) => ({ path: `${V}/projects/${f.projects.toEdit.handle}`, body: { description: "edited" } }),
  },
  "POST /api/v1/projects/:id/archive": {
    status: 200,
    call: (f) => ({ path: `${V}/projects/${f.projects.toArchive.id}/archive` }),
    expect: (b) => check(asRecord(b).archived === true, "an archived project"),
  },
  "POST /api/v1/projects/:id/unarchive": {
    status: 200,
    call: (f) => ({ path: `${V}/projects/${f.projects.archived.id}/unarchive` }),
    expect: (b) => check(asRecord(b).archived === false, "an active project"),
  },
  // tasks
  "POST /api/v1/tasks": {
    status: 201,
    call: (f) => ({
      path: `${V}/tasks`,
      body: {
        projectId: f.projects.main.name,
        title: "write the docs",
        priority: "high",
        labels: ["docs"],
        dependsOn: [f.tasks.base.handle],
      },
    }),
    expect: (b, f) => check(asRecord(b).dependsOn?.toString() === f.tasks.base.id, "the dependency resolved"),
  },
  "GET /api/v1/tasks": {
    status: 200,
    call: (f) => ({
      path: `${V}/tasks`,
      query: {
        project: f.projects.main.id,
        status: "todo,in_progress",
        label: "api",
        limit: "5",
        offset: "0",
      },
    }),
    expect: (b) => check(asRecord(b).total === 2 && asRecord(b).limit === 5, "two tasks labelled api"),
  },
  "GET /api/v1/tasks/ready": {
    status: 200,
    call: (f) => ({ path: `${V}/tasks/ready`, query: { project: f.projects.main.id } }),
    expect: (b) => check(asList(b).length > 0, "a non-empty ready queue"),
  },
  "POST /api/v1/tasks/next": {
    status: 200,
    call: (f) => ({
      path: `${V}/tasks/next`,
      body: { session: f.sessions.s3.sessionId, claim: true, project: f.projects.forNext.id },
    }),
    expect: (b) => check(asRecord(b).claimed === true, "a claimed task"),
  },
  "GET /api/v1/tasks/:id": {
    status: 200,
    call: (f) => ({ path: `${V}/tasks/${f.tasks.plain.handle}` }),
  },
  "PATCH /api/v1/tasks/:id": {
    status: 200,
    call: (f) => ({
      path: `${V}/tasks/${f.tasks.toEdit.id}`,
      body: { title: "edited", priority: "low", addLabels: ["x"] },
    }),
    expect: (b) => check(asRecord(b).title === "edited", "the new title"),
  },
  "POST /api/v1/tasks/:id/status": {
    status: 200,
    call: (f) => ({ path: `${V}/tasks/${f.tasks.toMove.id}/status`, body: { status: "in_progress" } }),
    expect: (b) => check(asRecord(b).status === "in_progress", "the new status"),
  },
  "POST /api/v1/tasks/:id/dependencies": {
    status: 201,
    call: (f) => ({
      path: `${V}/tasks/${f.tasks.toDepend.id}/dependencies`,
      body: { dependsOn: f.tasks.base.handle },
    }),
  },
  "DELETE /api/v1/tasks/:id/dependencies/:dep": {
    status: 200,
    call: (f) => ({ path: `${V}/tasks/${f.tasks.dependent.id}/dependencies/${f.tasks.base.handle}` }),
    expect: (b) => check((asRecord(b).dependsOn as unknown[]).length === 0, "no dependency left"),
  },
  "GET /api/v1/tasks/:id/timeline": {
    status: 200,
    call: (f) => ({ path: `${V}/tasks/${f.tasks.history.id}/timeline` }),
    expect: (b) => {
      const types = asList(b).map((e) => e.type);
      check(types[0] === "task.created", "the creation first");
      check(types.includes("assignment.state_changed"), "the assignment's state change");
      check(types.includes("task.dependency_added"), "the dependency");
    },
  },
  // assignments and claims
  "POST /api/v1/assignments": {
    status: 201,
    call: (f) => ({
      path: `${V}/assignments`,
      body: { taskId: f.tasks.toAssign.id, session: f.sessions.s2.sessionId },
    }),
    expect: (b) => check(asRecord(asRecord(b).assignment).via === "assigned", "an assignment"),
  },
  "GET /api/v1/assignments": {
    status: 200,
    call: (f) => ({ path: `${V}/assignments`, query: { session: f.sessions.s1.sessionId, current: "true" } }),
    expect: (b) => check(asList(b).length > 0, "the session's current assignments"),
  },
  "PATCH /api/v1/assignments/:id": {
    status: 200,
    call: (f) => ({ path: `${V}/assignments/${f.assignment.handle}`, body: { state: "accepted" } }),
    expect: (b) => check(asRecord(b).state === "accepted", "the new state"),
  },
  "POST /api/v1/tasks/:id/unassign": {
    status: 200,
    call: (f) => ({ path: `${V}/tasks/${f.tasks.toUnassign.id}/unassign` }),
    expect: (b) => check(asRecord(b).assignment === null, "no assignment"),
  },
  "POST /api/v1/claims": {
    status: 201,
    call: (f) => ({
      path: `${V}/claims`,
      body: { taskId: f.tasks.toClaim.handle, session: f.sessions.s4.sessionId },
    }),
    expect: (b) => check(asRecord(asRecord(b).assignment).via === "claimed", "a claim"),
  },
  // sessions
  "GET /api/v1/sessions": {
    status: 200,
    call: (f) => ({
      path: `${V}/sessions`,
      query: { machine: f.machineId, state: "idle,working", cwd: "/w", limit: "10" },
    }),
    expect: (b) => check(asRecord(b).total === 4, "all four sessions"),
  },
  "GET /api/v1/sessions/:id": {
    status: 200,
    call: (f) => ({ path: `${V}/sessions/${enc(`${f.machineId}/${f.sessions.s1.sessionId}`)}` }),
    expect: (b, f) => check(asRecord(b).sessionId === f.sessions.s1.sessionId, "the session by its key"),
  },
  "POST /api/v1/sessions/refresh": {
    status: 200,
    call: () => ({ path: `${V}/sessions/refresh`, body: { agents: false } }),
    expect: (b) =>
      check(
        asRecord(b).changed === 0 && (asRecord(b).errors as string[]).length === 1,
        "a refresh report naming the missing Claude config dir",
      ),
  },
  // groups
  "POST /api/v1/groups": {
    status: 201,
    call: (f) => ({
      path: `${V}/groups`,
      body: { name: "frontend", rules: ["cwd:/w/web/**"], members: [f.sessions.s2.sessionId] },
    }),
  },
  "GET /api/v1/groups": { status: 200, call: () => ({ path: `${V}/groups` }) },
  "GET /api/v1/groups/:id": {
    status: 200,
    call: (f) => ({ path: `${V}/groups/${f.group.name}` }),
    expect: (b, f) => check(asRecord(b).id === f.group.id, "the group found by name"),
  },
  "PATCH /api/v1/groups/:id": {
    status: 200,
    call: (f) => ({
      path: `${V}/groups/${f.group.id}`,
      body: {
        description: "server side",
        addRules: [`project:${f.projects.main.name}`],
        addMembers: [f.sessions.s3.sessionId],
      },
    }),
  },
  // updates
  "POST /api/v1/updates": {
    status: 201,
    call: (f) => ({
      path: `${V}/updates`,
      body: { taskId: f.tasks.plain.id, text: "started", kind: "progress" },
    }),
  },
  "GET /api/v1/updates": {
    status: 200,
    call: (f) => ({
      path: `${V}/updates`,
      query: { task: f.tasks.history.id, since: "2020-01-01T00:00:00Z", limit: "10" },
    }),
    expect: (b) => check(asList(b).length === 1, "the one update"),
  },
  // messages
  "POST /api/v1/messages": {
    status: 201,
    call: (f) => ({
      path: `${V}/messages`,
      body: { to: `session:${f.sessions.s1.sessionId}`, body: "please rebase" },
    }),
    expect: (b) => check(asRecord(b).localTargets === 1, "one local target"),
  },
  "GET /api/v1/messages": { status: 200, call: () => ({ path: `${V}/messages`, query: { limit: "10" } }) },
  "GET /api/v1/messages/:id": { status: 200, call: (f) => ({ path: `${V}/messages/${f.message.handle}` }) },
  "POST /api/v1/broadcast": {
    status: 201,
    call: () => ({ path: `${V}/broadcast`, body: { to: "group:backend", body: "deploy freeze" } }),
  },
  "GET /api/v1/inbox": {
    status: 200,
    call: (f) => ({ path: `${V}/inbox`, query: { session: f.sessions.s1.sessionId, all: "true" } }),
    expect: (b, f) =>
      check(
        asList(b).some((i) => asRecord(i.message).id === f.message.id),
        "the broadcast",
      ),
  },
  "POST /api/v1/inbox/ack": {
    status: 200,
    call: (f) => ({ path: `${V}/inbox/ack`, body: { session: f.sessions.s2.sessionId, messages: "all" } }),
    expect: (b) =>
      check(
        asList(b).every((i) => asRecord(i.delivery).state === "acknowledged"),
        "acknowledged",
      ),
  },
  // status
  "GET /api/v1/status": { status: 200, call: () => ({ path: `${V}/status` }) },
  "GET /api/v1/machines": {
    status: 200,
    call: () => ({ path: `${V}/machines` }),
    expect: (b) => check(asList(b)[0]?.isLocal === true, "this machine first"),
  },
  "GET /api/v1/health": {
    status: 200,
    call: () => ({ path: `${V}/health` }),
    expect: (b, f) => check(asRecord(b).ok === true && asRecord(b).machineId === f.machineId, "this machine"),
  },
  // sync
  "GET /api/v1/sync/events": {
    status: 200,
    call: () => ({ path: `${V}/sync/events`, query: { after: "0", limit: "5" } }),
    expect: (b) => {
      const page = asRecord(b);
      check(
        asList(page.events).length === 5 && page.hasMore === true,
        "a first page of five events with more to come",
      );
      check(
        page.nextAfter === (asList(page.events)[4] as unknown as { seq?: number })?.seq ||
          typeof page.nextAfter === "number",
        "a cursor",
      );
    },
  },
  "POST /api/v1/sync/events": {
    status: 200,
    call: (f) => ({ path: `${V}/sync/events`, body: { events: [f.wireEvent] } }),
    expect: (b) =>
      check(
        asRecord(b).duplicate === 1 && asRecord(b).accepted === 0,
        "an event already held reported as a duplicate",
      ),
  },
  "GET /api/v1/sync/summary": {
    status: 200,
    call: () => ({ path: `${V}/sync/summary` }),
    expect: (b, f) => {
      const v = asList(asRecord(b).vector);
      check(
        v.length === 1 && v[0]?.machineId === f.machineId && v[0]?.contiguous === v[0]?.count,
        "one contiguous vector entry for this machine",
      );
    },
  },
  "GET /api/v1/auth": {
    status: 200,
    call: () => ({ path: `${V}/auth` }),
    expect: (b) => check(asRecord(b).token === "none", "no token sent, none judged"),
  },
  "GET /api/v1/sync/contacts": {
    status: 200,
    call: () => ({ path: `${V}/sync/contacts` }),
    expect: (b, f) =>
      check(
        asRecord(b).machineId === f.machineId && Array.isArray(asRecord(b).contacts),
        "this machine's id and its list of contacts",
      ),
  },
  "POST /api/v1/sync/run": {
    status: 200,
    call: () => ({ path: `${V}/sync/run`, body: {} }),
    expect: (b) => check(Array.isArray(asRecord(b).rounds), "a list of rounds"),
  },
  "GET /api/v1/sync/verify": {
    status: 200,
    call: () => ({ path: `${V}/sync/verify` }),
    expect: (b) => check(asRecord(b).equal === true, "no peers, nothing to differ"),
  },
  "GET /api/v1/sync/peers": {
    status: 200,
    call: () => ({ path: `${V}/sync/peers` }),
    expect: (b) => check(Array.isArray(b), "a list"),
  },
  // agent (hooks and the MCP server)
  "POST /api/v1/agent/hook": {
    status: 200,
    call: () => ({
      path: `${V}/agent/hook`,
      body: {
        event: "SessionStart",
        sessionId: "9a9a9a9a-hook-route",
        cwd: "/elsewhere/hooked",
        transcriptPath: "/cfg/projects/-elsewhere-hooked/9a9a9a9a-hook-route.jsonl",
        source: "startup",
        claudePid: 12345,
        budget: 9000,
      },
    }),
    expect: (b) => {
      check(asRecord(asRecord(b).session).sessionId === "9a9a9a9a-hook-route", "the registered session");
      check(String(asRecord(b).context).includes("session 9a9a9a9a"), "a briefing naming the session");
    },
  },
  "POST /api/v1/agent/delivered": {
    status: 200,
    call: (f) => ({
      path: `${V}/agent/delivered`,
      body: { session: f.sessions.s3.sessionId, messages: "all" },
    }),
    expect: (b) =>
      check(
        asList(b).length > 0 && asList(b).every((i) => asRecord(i.delivery).state === "delivered"),
        "delivered",
      ),
  },
  "POST /api/v1/agent/sessions": {
    status: 200,
    call: () => ({
      path: `${V}/agent/sessions`,
      body: { sessionId: "7b7b7b7b-mcp-route", cwd: "/elsewhere/mcp", pid: 4242 },
    }),
    expect: (b) =>
      check(asRecord(b).sessionId === "7b7b7b7b-mcp-route" && asRecord(b).pid === 4242, "the session"),
  },
  "GET /api/v1/agent/whoami": {
    status: 200,
    call: (f) => ({ path: `${V}/agent/whoami`, query: { session: f.sessions.s1.sessionId } }),
    expect: (b, f) =>
      check(
        asRecord(asRecord(b).session).sessionId === f.sessions.s1.sessionId,
        "the session itself (no successor)",
      ),
  },
  "POST /api/v1/agent/complete": {
    status: 200,
    call: (f) => ({
      path: `${V}/agent/complete`,
      body: { session: f.sessions.s4.sessionId, taskId: f.tasks.toComplete.handle, summary: "all done" },
    }),
    expect: (b) => {
      check(asRecord(asRecord(b).task).status === "done", "a finished task");
      check(asRecord(asRecord(b).update).kind === "done", "a done update");
    },
  },
  "GET /api/v1/openapi.json": {
    status: 200,
    call: () => ({ path: `${V}/openapi.json` }),
    expect: (b) => check(asRecord(b).openapi === "3.1.0", "an OpenAPI 3.1 document"),
  },
};

/** Routes deliberately absent from the OpenAPI document: the document itself. */
export const UNDOCUMENTED_ROUTES: ReadonlySet<string> = new Set(["GET /api/v1/openapi.json"]);

export const urlOf = (call: ApiCall): string => {
  const qs = new URLSearchParams(call.query ?? {}).toString();
  return qs ? `${call.path}?${qs}` : call.path;
};
