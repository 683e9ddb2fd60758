// Claims across machines: concurrent claims on one task, synced, converge on one owner (the
// earliest claim on the epoch), and each losing session hears of it in its inbox from the machine
// that hosts it, with a deterministic id (so it is made once, and duplicates would merge). A
// person's reassignment afterwards starts a new epoch and wins everywhere.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { Assignment } from "../src/domain/assignment.ts";
import { claimLostNoticeId } from "../src/service/claim-notices.ts";
import type { Service } from "../src/service/index.ts";
import { dumpProjections } from "../src/store/dump.ts";
import { syncPeer } from "../src/sync/sync-peer.ts";
import { createMemoryTransport } from "./support/memory-transport.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

const open: TempClaire[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const as = (id: string) => ({ kind: "session" as const, id });

const fleet = (names: readonly string[]) => {
  const nodes = names.map((name) => {
    const c = createTempClaire({ machineName: name });
    open.push(c);
    // What `claire serve` does on start: other machines learn this one's name.
    c.service.announceMachine({ kind: "machine", id: c.machineId });
    return c;
  });
  const services = new Map<string, Service>(names.map((n, i) => [`mem://${n}`, nodes[i]!.service]));
  const transport = createMemoryTransport(services);
  const round = (from: number, to: number) =>
    syncPeer(
      {
        service: nodes[from]!.service,
        transport,
        now: () => nodes[from]!.clock.now,
        batchSize: 50,
        sleep: async () => {},
      },
      { url: `mem://${names[to]}` },
    );
  /** Rounds between every pair, both ways, until nothing moves. */
  const heal = async () => {
    for (let pass = 0; pass < 10; pass++) {
      let moved = 0;
      for (let i = 0; i < nodes.length; i++)
        for (let j = 0; j < nodes.length; j++) {
          if (i === j) continue;
          const r = await round(i, j);
          expect(r.ok, r.error ?? "").toBe(true);
          moved += r.pulled.accepted + r.pushed.accepted;
        }
      if (moved === 0) return;
    }
    throw new Error("the nodes did not settle");
  };
  return { nodes, heal, round };
};

const register = (c: TempClaire, sessionId: string) =>
  must(c.service.hookEvent(as(sessionId), { event: "SessionStart", sessionId, cwd: "/work" }));

const ownerKey = (c: TempClaire, taskId: string) => {
  const o = must(c.service.getTask(taskId)).owner;
  return o ? `${o.session.machineId}/${o.session.sessionId}` : null;
};

describe("claims across machines", () => {
  it("two machines claim one task at once; after sync both agree, the loser is told, a person's reassignment wins", async () => {
    const { nodes, heal } = fleet(["alpha", "beta"]);
    const [a, b] = nodes as [TempClaire, TempClaire];
    const p = must(a.service.createProject(a.human, { name: "P" }));
    const t = must(a.service.createTask(a.human, { projectId: p.id, title: "the one task" }));
    await heal();
    register(a, "agent-a");
    register(b, "agent-b");

    // beta's clock is behind: its claim, made later in real time, carries the earlier HLC.
    a.clock.now = T0 + 10_000;
    b.clock.now = T0 + 5_000;
    const claimA = must(a.service.claimTask(as("agent-a"), { taskId: t.id, session: "agent-a" })).assignment!;
    const claimB = must(b.service.claimTask(as("agent-b"), { taskId: t.id, session: "agent-b" })).assignment!;
    // Each machine, alone, believes its own claim owns the task.
    expect(ownerKey(a, t.id)).toBe(`${a.machineId}/agent-a`);
    expect(ownerKey(b, t.id)).toBe(`${b.machineId}/agent-b`);

    await heal();
    for (const c of [a, b]) expect(ownerKey(c, t.id)).toBe(`${b.machineId}/agent-b`);
    expect(dumpProjections(a.store.db)).toEqual(dumpProjections(b.store.db));

    // The losing session's inbox (on the machine that hosts it) has the notice, once.
    const inbox = must(a.service.inbox("agent-a"));
    expect(inbox.map((i) => i.message.id)).toEqual([claimLostNoticeId(claimA.id)]);
    expect(inbox[0]!.message.body).toContain(`session agent-b on machine "beta" claimed it first`);
    expect(inbox[0]!.message.sender).toEqual({ kind: "machine", id: a.machineId });
    expect(must(b.service.inbox("agent-b"))).toEqual([]);
    // Every machine holds the notice; only alpha has a delivery for it.
    const onB = must(b.service.getMessage(claimLostNoticeId(claimA.id)));
    expect(onB.deliveries.map((d) => d.session)).toEqual([{ machineId: a.machineId, sessionId: "agent-a" }]);
    expect(b.store.q.messages.hlcOf(claimLostNoticeId(claimB.id))).toBeNull();

    // A person on beta gives the task to the loser: a new epoch, which wins on every machine.
    b.clock.now += 60_000;
    a.clock.now += 60_000;
    must(
      b.service.assignTask(
        { kind: "human", id: "carol@beta" },
        { taskId: t.id, session: `${a.machineId}/agent-a` },
      ),
    );
    await heal();
    for (const c of [a, b]) {
      const task = must(c.service.getTask(t.id));
      expect(task.owner).toMatchObject({
        session: { machineId: a.machineId, sessionId: "agent-a" },
        via: "assigned",
      });
    }
    // The earlier winner is told its claim is gone, by its own machine (beta).
    const notice = must(b.service.inbox("agent-b"));
    expect(notice.map((i) => i.message.id)).toEqual([claimLostNoticeId(claimB.id)]);
    expect(notice[0]!.message.body).toContain("assigned to session agent-a");
    expect(notice[0]!.message.body).toContain("by human:carol@beta");
    // A claim on the old epoch from a machine that had not heard of the reassignment loses too.
    expect(dumpProjections(a.store.db)).toEqual(dumpProjections(b.store.db));
    expect(must(a.service.inbox("agent-a", { all: true }))).toHaveLength(1);
  });

  it("a stale claim on an old epoch loses to the person's assignment it never saw", async () => {
    const { nodes, heal } = fleet(["alpha", "beta"]);
    const [a, b] = nodes as [TempClaire, TempClaire];
    const p = must(a.service.createProject(a.human, { name: "P" }));
    const t = must(a.service.createTask(a.human, { projectId: p.id, title: "t" }));
    register(a, "worker");
    await heal();
    register(b, "late");
    a.clock.now = T0 + 20_000;
    must(a.service.assignTask(a.human, { taskId: t.id, session: "worker" }));
    b.clock.now = T0 + 30_000; // later HLC, but on the epoch before the assignment
    const stale = must(b.service.claimTask(as("late"), { taskId: t.id, session: "late" })).assignment!;
    await heal();
    for (const c of [a, b]) expect(ownerKey(c, t.id)).toBe(`${a.machineId}/worker`);
    expect(must(b.service.inbox("late")).map((i) => i.message.id)).toEqual([claimLostNoticeId(stale.id)]);
  });

  it("a claim a person then makes official (assigned to the same session) is not lost: no notice", async () => {
    const { nodes } = fleet(["alpha"]);
    const [a] = nodes as [TempClaire];
    const p = must(a.service.createProject(a.human, { name: "P" }));
    const t = must(a.service.createTask(a.human, { projectId: p.id, title: "t" }));
    register(a, "worker");
    must(a.service.claimTask(as("worker"), { taskId: t.id, session: "worker" }));
    a.clock.now = T0 + 10_000;
    must(a.service.assignTask(a.human, { taskId: t.id, session: "worker" }));
    expect(ownerKey(a, t.id)).toBe(`${a.machineId}/worker`);
    expect(must(a.service.inbox("worker"))).toEqual([]);
  });

  it("any number of concurrent claims on three machines: one owner everywhere, one notice per losing claim", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ node: fc.nat(2), offset: fc.integer({ min: -60_000, max: 60_000 }) }), {
          minLength: 2,
          maxLength: 6,
        }),
        fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { maxLength: 4 }),
        async (claims, partialRounds) => {
          const { nodes, heal, round } = fleet(["n0", "n1", "n2"]);
          try {
            const p = must(nodes[0]!.service.createProject(nodes[0]!.human, { name: "P" }));
            const t = must(nodes[0]!.service.createTask(nodes[0]!.human, { projectId: p.id, title: "t" }));
            await heal();
            const made: { node: number; claim: Assignment }[] = [];
            for (const [i, c] of claims.entries()) {
              const nd = nodes[c.node]!;
              const sid = `agent-${i}`;
              register(nd, sid);
              nd.clock.now = T0 + 120_000 + c.offset;
              // A claim is refused when this machine already knows an owner: only claims made
              // before hearing of another reach the log.
              const r = nd.service.claimTask(as(sid), { taskId: t.id, session: sid });
              if (r.ok) made.push({ node: c.node, claim: r.value.assignment! });
              const link = partialRounds[i];
              if (link && link[0] !== link[1]) await round(link[0], link[1]);
            }
            await heal();
            const owners = new Set(nodes.map((nd) => ownerKey(nd, t.id)));
            expect(owners.size).toBe(1);
            // The owner is the earliest claim (HLC, then id) among those made.
            const earliest = nodes[0]!.store.db
              .prepare(
                "SELECT id FROM assignments WHERE task_id = ? AND via = 'claimed' ORDER BY hlc, id LIMIT 1",
              )
              .pluck()
              .get(t.id) as string;
            const current = must(nodes[0]!.service.listAssignments({ task: t.id, current: true }));
            expect(current.map((x) => x.id)).toEqual([earliest]);
            for (const { node, claim } of made) {
              const noticeId = claimLostNoticeId(claim.id);
              const isWinner = claim.id === earliest;
              for (const nd of nodes) expect(nd.store.q.messages.hlcOf(noticeId) !== null).toBe(!isWinner);
              const inbox = must(nodes[node]!.service.inbox(claim.session.sessionId));
              expect(inbox.map((i) => i.message.id)).toEqual(isWinner ? [] : [noticeId]);
            }
            const d0 = dumpProjections(nodes[0]!.store.db);
            for (const nd of nodes.slice(1)) expect(dumpProjections(nd.store.db)).toEqual(d0);
          } finally {
            for (const nd of nodes) {
              nd.close();
              open.splice(open.indexOf(nd), 1);
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
