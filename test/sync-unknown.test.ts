// Sessions of a machine not heard from within a few sync intervals show as unknown since the last
// contact, through every face (service lists, fleet status), and come back when sync does.
import { afterEach, expect, it } from "vitest";
import type { Service } from "../src/service/index.ts";
import { UNKNOWN_AFTER_MS } from "../src/service/silence.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import { createMemoryTransport } from "./support/memory-transport.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

const open: TempClaire[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

it("shows a silent machine's running sessions as unknown since the last contact", async () => {
  const a = createTempClaire({ machineName: "a" });
  const b = createTempClaire({ machineName: "b" });
  open.push(a, b);
  const session = { machineId: a.machineId, sessionId: "aaaa1111-0000-4000-8000-000000000001" };
  must(a.service.observeSession(a.human, session, { cwd: "/w", state: "working" }));
  const nodes = new Map<string, Service>([["mem://a", a.service]]);
  const round = () =>
    syncPeer(
      {
        service: b.service,
        transport: createMemoryTransport(nodes),
        now: () => b.clock.now,
        batchSize: 100,
        sleep: async () => {},
      },
      { url: "mem://a" },
    );
  expect((await round()).ok).toBe(true);
  const contact = new Date(b.clock.now).toISOString();
  expect(must(b.service.getSession(session.sessionId)).state).toBe("working");
  expect(b.service.fleetStatus().sessions.byState.working).toBe(1);

  b.clock.now += UNKNOWN_AFTER_MS + 1_000;
  const silent = must(b.service.getSession(session.sessionId));
  expect(silent).toMatchObject({ state: "unknown", stateSince: contact });
  expect(must(b.service.listSessions({})).sessions[0]?.state).toBe("unknown");
  expect(b.service.fleetStatus().sessions.byState).toMatchObject({ working: 0, unknown: 1 });
  // On its own machine the session is still plainly working.
  expect(must(a.service.getSession(session.sessionId)).state).toBe("working");

  expect((await round()).ok).toBe(true);
  expect(must(b.service.getSession(session.sessionId)).state).toBe("working");
});

it("finds a silent machine's sessions by their shown state, and pages a project's sessions with the right total", async () => {
  const a = createTempClaire({ machineName: "a" });
  const b = createTempClaire({ machineName: "b" });
  open.push(a, b);
  const ids = [
    "aaaa0000-0000-4000-8000-000000000001",
    "aaaa0000-0000-4000-8000-000000000002",
    "aaaa0000-0000-4000-8000-000000000003",
  ];
  for (const sessionId of ids) {
    must(
      a.service.observeSession(
        a.human,
        { machineId: a.machineId, sessionId },
        { cwd: "/w", state: "working" },
      ),
    );
  }
  const p = must(a.service.createProject(a.human, { name: "P" }));
  for (const sessionId of ids.slice(0, 2)) {
    const t = must(a.service.createTask(a.human, { projectId: p.id, title: sessionId }));
    must(a.service.assignTask(a.human, { taskId: t.id, session: sessionId }));
  }
  const nodes = new Map<string, Service>([["mem://a", a.service]]);
  await syncPeer(
    {
      service: b.service,
      transport: createMemoryTransport(nodes),
      now: () => b.clock.now,
      batchSize: 100,
      sleep: async () => {},
    },
    { url: "mem://a" },
  );
  const page = must(b.service.listSessions({ project: "P", limit: 1 }));
  expect(page).toMatchObject({ total: 2 });
  expect(page.sessions).toHaveLength(1);
  expect(must(b.service.listSessions({ state: ["unknown"] })).total).toBe(0);
  b.clock.now += UNKNOWN_AFTER_MS + 1_000;
  expect(must(b.service.listSessions({ state: ["unknown"] })).total).toBe(3);
  expect(must(b.service.listSessions({ state: ["working"] })).total).toBe(0);
});
