// Sessions of a machine not heard from within a few sync intervals show as unknown since the last
// contact, through every face (service lists, fleet status), and come back when sync does.
import { afterEach, expect, it } from "vitest";
import type { Service } from "../src/service/index.ts";
import { UNKNOWN_AFTER_MS } from "../src/service/silence.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import type { SyncTransport } from "../src/sync/transport.ts";
import { createMemoryTransport } from "./support/memory-transport.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

/** One sync round of `from` with the peer at `url`, on `from`'s clock. */
const syncFrom = (from: TempClaire, transport: SyncTransport, url: string) =>
  syncPeer(
    { service: from.service, transport, now: () => from.clock.now, batchSize: 100, sleep: async () => {} },
    { url },
  );

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
  const round = () => syncFrom(b, createMemoryTransport(nodes), "mem://a");
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
  await syncFrom(b, createMemoryTransport(nodes), "mem://a");
  const page = must(b.service.listSessions({ project: "P", limit: 1 }));
  expect(page).toMatchObject({ total: 2 });
  expect(page.sessions).toHaveLength(1);
  expect(must(b.service.listSessions({ state: ["unknown"] })).total).toBe(0);
  b.clock.now += UNKNOWN_AFTER_MS + 1_000;
  expect(must(b.service.listSessions({ state: ["unknown"] })).total).toBe(3);
  expect(must(b.service.listSessions({ state: ["working"] })).total).toBe(0);
});

it("a machine heard of only through a relay turns unknown when the relay loses it, and back when it returns", async () => {
  // A line a - b - c: a syncs with b only, b with c. c runs a session.
  const [a, b, c] = ["a", "b", "c"].map((machineName) => createTempClaire({ machineName }));
  open.push(a!, b!, c!);
  const session = { machineId: c!.machineId, sessionId: "cccc1111-0000-4000-8000-000000000001" };
  must(c!.service.observeSession(c!.human, session, { cwd: "/w", state: "working" }));
  const nodes = new Map<string, Service>([
    ["mem://b", b!.service],
    ["mem://c", c!.service],
  ]);
  const transport = createMemoryTransport(nodes);
  const round = (from: TempClaire, url: string) => syncFrom(from, transport, url);
  const later = (ms: number) => {
    for (const n of [a!, b!, c!]) n.clock.now += ms;
  };
  const shown = (n: TempClaire) => must(n.service.getSession(session.sessionId));

  expect((await round(b!, "mem://c")).ok).toBe(true);
  expect((await round(a!, "mem://b")).ok).toBe(true);
  expect(shown(a!).state).toBe("working");

  // c stays in touch with b, and a with b: c's session is still working on a after minutes.
  for (let i = 0; i < 4; i++) {
    later(60_000);
    expect((await round(b!, "mem://c")).ok).toBe(true);
    expect((await round(a!, "mem://b")).ok).toBe(true);
  }
  expect(shown(a!).state).toBe("working");
  const lastContact = new Date(b!.clock.now).toISOString();

  // c goes away: b cannot reach it, a still reaches b.
  nodes.delete("mem://c");
  later(UNKNOWN_AFTER_MS + 1_000);
  expect((await round(b!, "mem://c")).ok).toBe(false);
  expect((await round(a!, "mem://b")).ok).toBe(true);
  expect(shown(b!)).toMatchObject({ state: "unknown", stateSince: lastContact });
  expect(shown(a!)).toMatchObject({ state: "unknown", stateSince: lastContact });
  expect(a!.service.fleetStatus().sessions.byState).toMatchObject({ working: 0, unknown: 1 });
  // b is a's own peer and answers: not unknown.
  must(
    b!.service.observeSession(
      b!.human,
      { machineId: b!.machineId, sessionId: "bbbb1111-0000-4000-8000-000000000001" },
      { state: "working" },
    ),
  );
  expect((await round(a!, "mem://b")).ok).toBe(true);
  expect(must(a!.service.getSession("bbbb1111")).state).toBe("working");

  // c comes back.
  nodes.set("mem://c", c!.service);
  expect((await round(b!, "mem://c")).ok).toBe(true);
  expect((await round(a!, "mem://b")).ok).toBe(true);
  expect(shown(a!).state).toBe("working");
});

it("a peer that does not answer /sync/contacts (an older Claire) still syncs", async () => {
  const a = createTempClaire({ machineName: "a" });
  const b = createTempClaire({ machineName: "b" });
  open.push(a, b);
  must(b.service.createProject(b.human, { name: "P" }));
  const transport = createMemoryTransport(new Map([["mem://b", b.service]]), {
    decide: (_peer, op) => (op === "contacts" ? "drop" : "ok"),
  });
  const r = await syncFrom(a, transport, "mem://b");
  expect(r).toMatchObject({ ok: true, error: null });
  expect(a.service.listProjects().map((p) => p.name)).toEqual(["P"]);
});

it("a peer's malformed or foreign contact report changes nothing, and never names this machine", async () => {
  const a = createTempClaire({ machineName: "a" });
  const b = createTempClaire({ machineName: "b" });
  open.push(a, b);
  const other = "0e0e0e0e-0000-4000-8000-000000000001";
  const reports: unknown[] = [
    { protocol: 1, machineId: b.machineId, contacts: [{ machineId: "not-a-uuid", agoMs: 5 }] },
    { protocol: 1, machineId: b.machineId, contacts: [{ machineId: other, agoMs: -1 }] },
    { protocol: 1, machineId: b.machineId, contacts: [{ machineId: other, agoMs: 5 }], extra: true },
    { protocol: 1, machineId: a.machineId, contacts: [{ machineId: other, agoMs: 5 }] },
    "<html>not json</html>",
    { protocol: 1, machineId: b.machineId, contacts: [{ machineId: a.machineId, agoMs: 0 }] },
  ];
  const rows = () => a.store.db.prepare("SELECT machine_id, heard_ms FROM machine_contacts").all();
  for (const report of reports) {
    const transport = {
      ...createMemoryTransport(new Map([["mem://b", b.service]])),
      getContacts: async () => report,
    };
    const r = await syncFrom(a, transport, "mem://b");
    expect(r.ok).toBe(true);
    expect(rows()).toEqual([]);
  }
  // A well-formed one is taken, as a time in this machine's clock.
  const transport = {
    ...createMemoryTransport(new Map([["mem://b", b.service]])),
    getContacts: async () => ({
      protocol: 1,
      machineId: b.machineId,
      contacts: [{ machineId: other, agoMs: 5_000 }],
    }),
  };
  await syncFrom(a, transport, "mem://b");
  expect(rows()).toEqual([{ machine_id: other, heard_ms: a.clock.now - 5_000 }]);
});
