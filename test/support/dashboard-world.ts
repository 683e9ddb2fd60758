// A small fleet for the dashboard suites: this machine ("laptop") and a peer ("buildbox") whose
// sessions arrive through a real sync round (in memory), projects and tasks in every column, an
// assignment, a claim, dependencies, notes, a group, messages with deliveries, and a refused event.
import type { Actor } from "../../src/domain/actor.ts";
import type { Project } from "../../src/domain/project.ts";
import type { SessionFacts } from "../../src/domain/session.ts";
import type { SessionRef } from "../../src/domain/session-ref.ts";
import type { Task } from "../../src/domain/task.ts";
import { createApp } from "../../src/http/app.ts";
import type { AuthDeps } from "../../src/http/middleware/auth.ts";
import type { ChangeFeed } from "../../src/runtime/change-feed.ts";
import { syncPeer } from "../../src/sync/sync-peer.ts";
import { createMemoryTransport } from "./memory-transport.ts";
import { createTempClaire, must, type TempClaire } from "./temp-claire.ts";

export type DashboardWorld = {
  readonly laptop: TempClaire;
  readonly buildbox: TempClaire;
  readonly project: Project;
  readonly tasks: { readonly todo: Task; readonly doing: Task; readonly blocked: Task; readonly done: Task };
  readonly sessions: {
    readonly working: SessionRef;
    readonly waiting: SessionRef;
    readonly ended: SessionRef;
    readonly remote: SessionRef;
  };
  readonly groupName: string;
  /** Pulls buildbox's new events into laptop (one sync round). */
  readonly sync: () => Promise<void>;
  readonly close: () => void;
};

const sid = (n: number) => `${String(n).repeat(8)}-aaaa-4bbb-8ccc-00000000000${n}`;

const facts = (
  cwd: string,
  state: SessionFacts["state"],
  extra: Partial<SessionFacts> = {},
): SessionFacts => ({
  cwd,
  state,
  gitBranch: "main",
  title: `work in ${cwd.split("/").pop()}`,
  firstActivity: "2026-11-23T10:00:00.000Z",
  lastActivity: "2026-11-23T11:59:00.000Z",
  tokens: { input: 1200, output: 3400, cacheCreation: 0, cacheRead: 50_000 },
  costUsd: 0.42,
  model: "claude-opus-4",
  ...extra,
});

export const createDashboardWorld = async (): Promise<DashboardWorld> => {
  const laptop = createTempClaire({ machineName: "laptop" });
  const buildbox = createTempClaire({ machineName: "buildbox", now: laptop.clock.now });
  const machineActor = (c: TempClaire): Actor => ({ kind: "machine", id: c.machineId });
  laptop.service.announceMachine(machineActor(laptop));
  buildbox.service.announceMachine(machineActor(buildbox));
  const local = (n: number): SessionRef => ({ machineId: laptop.machineId, sessionId: sid(n) });
  const sessions = {
    working: local(1),
    waiting: local(2),
    ended: local(3),
    remote: { machineId: buildbox.machineId, sessionId: sid(4) },
  };
  const me = machineActor(laptop);
  must(laptop.service.observeSession(me, sessions.working, facts("/work/api", "working")));
  must(
    laptop.service.observeSession(
      me,
      sessions.waiting,
      facts("/work/web", "waiting", { stateReason: "permission to run npm test" }),
    ),
  );
  must(laptop.service.observeSession(me, sessions.ended, facts("/work/old", "ended")));
  must(buildbox.service.observeSession(machineActor(buildbox), sessions.remote, facts("/srv/ci", "idle")));

  const h = laptop.human;
  const project = must(laptop.service.createProject(h, { name: "apollo", description: "Moon shot" }));
  const task = (title: string, more: Record<string, unknown> = {}) =>
    must(laptop.service.createTask(h, { projectId: project.id, title, ...more }));
  const todo = task("Write the migration", { priority: "high", labels: ["db"] });
  const doing = task("Wire the API");
  const blocked = task("Backfill the data", { dependsOn: [todo.id] });
  const done = task("Pick a name");
  must(laptop.service.changeTaskStatus(h, doing.id, "in_progress"));
  must(laptop.service.changeTaskStatus(h, blocked.id, "blocked"));
  must(laptop.service.changeTaskStatus(h, done.id, "done"));
  must(
    laptop.service.assignTask(h, { taskId: doing.id, session: `${sessions.working.machineId}/${sid(1)}` }),
  );
  must(
    laptop.service.postUpdate(
      { kind: "session", id: sid(1) },
      { taskId: doing.id, kind: "progress", text: "routes wired, tests next" },
    ),
  );
  const groupName = "backend";
  must(
    laptop.service.createGroup(h, { name: groupName, description: "API work", rules: ["cwd:/work/api/**"] }),
  );
  must(laptop.service.sendMessage(h, { to: `group:${groupName}`, body: "freeze merges until 5pm" }));
  must(laptop.service.sendMessage(h, { to: `session:${sid(2)}`, body: "please answer the prompt" }));
  // A refused event: a push whose data breaks its type's schema.
  laptop.service.ingestEvents([{ id: "not-a-uuid" }], "push");

  const transport = createMemoryTransport(new Map([["mem://buildbox", buildbox.service]]));
  const sync = async () => {
    await syncPeer(
      {
        service: laptop.service,
        transport,
        now: () => laptop.clock.now,
        batchSize: 500,
        sleep: async () => {},
      },
      { url: "mem://buildbox" },
    );
  };
  await sync();
  return {
    laptop,
    buildbox,
    project,
    tasks: { todo, doing, blocked, done },
    sessions,
    groupName,
    sync,
    close: () => {
      laptop.close();
      buildbox.close();
    },
  };
};

/** A change feed the test fires by hand (serve polls the database; tests say when). */
export const manualChanges = (): ChangeFeed & { fire: () => void } => {
  const listeners = new Set<() => void>();
  return {
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    stop: () => listeners.clear(),
    fire: () => {
      for (const l of [...listeners]) l();
    },
  };
};

export const dashboardApp = (world: DashboardWorld, opts: { changes?: ChangeFeed; auth?: AuthDeps } = {}) =>
  createApp({
    service: world.laptop.service,
    changes: opts.changes ?? null,
    ...(opts.auth && { auth: opts.auth }),
    version: "test",
  });

/** A loopback GET as a browser sends it. */
export const get = (app: ReturnType<typeof createApp>, path: string, headers: Record<string, string> = {}) =>
  app.request(path, { headers: { host: "127.0.0.1:8765", ...headers } });

/** A same-origin form post, as a browser sends it (urlencoded), through htmx when asked. */
export const post = (
  app: ReturnType<typeof createApp>,
  path: string,
  form: Record<string, string>,
  opts: { htmx?: boolean; headers?: Record<string, string> } = {},
) =>
  app.request(path, {
    method: "POST",
    headers: {
      host: "127.0.0.1:8765",
      origin: "http://127.0.0.1:8765",
      "content-type": "application/x-www-form-urlencoded",
      ...(opts.htmx && { "hx-request": "true", "hx-current-url": "http://127.0.0.1:8765/" }),
      ...opts.headers,
    },
    body: new URLSearchParams(form).toString(),
  });
