// The sync model: 2-5 real Claires (real store and service on SQLite files) wired by an in-memory
// transport with faults, driven by generated commands: writes of every kind, sync rounds along the
// links of a random topology (a line A-B-C has no A-C link), partitions, dropped requests, lost
// responses, pushes delivered twice, replayed or reordered, clock skew within max drift, restarts.
// After healing (rounds along every link until nothing moves) every node must hold the same events
// and the same projections.
//
// `puller: "since-hlc"` swaps the real seq-cursor pull for the seed's `since=<hlc>` one, which
// loses events that reach a peer late with an older HLC; the same property must catch that.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { WireEvent } from "../../src/domain/events.ts";
import { SESSION_STATES } from "../../src/domain/session.ts";
import { TASK_STATUSES } from "../../src/domain/task.ts";
import type { Service } from "../../src/service/index.ts";
import { backupDatabase, restoreDatabase } from "../../src/store/backup.ts";
import { diffDumps, dumpProjections } from "../../src/store/dump.ts";
import { checkProjections } from "../../src/store/rebuild.ts";
import { syncPeer } from "../../src/sync/sync-peer.ts";
import type { SyncTransport } from "../../src/sync/transport.ts";
import { compareVectors } from "../../src/sync/verify.ts";
import { createMemoryTransport, type Delivery, pushReply } from "./memory-transport.ts";
import { createTempClaire, type TempClaire, tempDir } from "./temp-claire.ts";

export const MAX_DRIFT_MS = 300_000;
/** Every node's clock is within this of true time, so two nodes differ by less than max drift. */
export const MAX_SKEW_MS = 90_000;
const START_MS = Date.UTC(2026, 10, 23, 12, 0, 0);

export type Puller = "seq" | "since-hlc";

export type Command =
  | {
      readonly k: "write";
      readonly node: number;
      readonly op: number;
      readonly pick: number;
      readonly x: number;
    }
  | { readonly k: "round"; readonly link: number; readonly reverse: boolean }
  | { readonly k: "together"; readonly rounds: readonly { link: number; reverse: boolean }[] }
  | { readonly k: "cut"; readonly link: number }
  | { readonly k: "mend"; readonly link: number }
  | {
      readonly k: "faults";
      readonly drop: number;
      readonly lose: number;
      readonly dup: number;
      readonly reorder: boolean;
    }
  | { readonly k: "tick"; readonly ms: number }
  | { readonly k: "skew"; readonly node: number; readonly ms: number }
  | { readonly k: "restart"; readonly node: number }
  | { readonly k: "backup"; readonly node: number }
  | { readonly k: "restore"; readonly node: number }
  | { readonly k: "replay"; readonly pick: number };

export type Scenario = {
  readonly n: number;
  readonly topology: "line" | "star" | "ring" | "tree";
  readonly parents: readonly number[];
  readonly extra: readonly (readonly [number, number])[];
  readonly skews: readonly number[];
  readonly batch: number;
  readonly seed: number;
  readonly commands: readonly Command[];
};

const writeCmd = fc.record({
  k: fc.constant("write" as const),
  node: fc.nat(4),
  op: fc.nat(10),
  pick: fc.nat(50),
  x: fc.nat(1000),
});
const roundCmd = fc.record({ k: fc.constant("round" as const), link: fc.nat(9), reverse: fc.boolean() });

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 14, arbitrary: writeCmd },
  { weight: 8, arbitrary: roundCmd },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("together" as const),
      rounds: fc.array(fc.record({ link: fc.nat(9), reverse: fc.boolean() }), { minLength: 2, maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("cut" as const), link: fc.nat(9) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("mend" as const), link: fc.nat(9) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("faults" as const),
      drop: fc.integer({ min: 0, max: 30 }),
      lose: fc.integer({ min: 0, max: 30 }),
      dup: fc.integer({ min: 0, max: 30 }),
      reorder: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("skew" as const),
      node: fc.nat(4),
      ms: fc.integer({ min: -MAX_SKEW_MS, max: MAX_SKEW_MS }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("restart" as const), node: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("replay" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("backup" as const), node: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("restore" as const), node: fc.nat(4) }) },
);

export const scenarioArb = (maxCommands = 150): fc.Arbitrary<Scenario> =>
  fc.record({
    n: fc.integer({ min: 2, max: 5 }),
    topology: fc.constantFrom("line", "star", "ring", "tree"),
    parents: fc.array(fc.nat(4), { minLength: 5, maxLength: 5 }),
    extra: fc.array(fc.tuple(fc.nat(4), fc.nat(4)), { maxLength: 2 }),
    skews: fc.array(fc.integer({ min: -MAX_SKEW_MS, max: MAX_SKEW_MS }), { minLength: 5, maxLength: 5 }),
    batch: fc.integer({ min: 1, max: 8 }),
    seed: fc.integer(),
    commands: fc.array(commandArb, { minLength: 10, maxLength: maxCommands, size: "max" }),
  });

/** The links of a topology: undirected pairs, no duplicates, connected. */
export const linksOf = (s: Pick<Scenario, "n" | "topology" | "parents" | "extra">): [number, number][] => {
  const set = new Map<string, [number, number]>();
  const add = (a: number, b: number) => {
    if (a === b) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    set.set(`${x}-${y}`, [x, y]);
  };
  for (let i = 1; i < s.n; i++) {
    if (s.topology === "line" || s.topology === "ring") add(i - 1, i);
    else if (s.topology === "star") add(0, i);
    else add(i, s.parents[i - 1]! % i);
  }
  if (s.topology === "ring" && s.n > 2) add(s.n - 1, 0);
  if (s.topology === "tree") for (const [a, b] of s.extra) add(a % s.n, b % s.n);
  return [...set.values()];
};

/** mulberry32: fault decisions repeat exactly for a given scenario seed. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

type Node = {
  readonly name: string;
  readonly url: string;
  readonly dir: string;
  readonly machineId: string;
  c: TempClaire;
  skew: number;
};

type Counts = { moved: number; ok: boolean };

const ids = (db: TempClaire["store"]["db"], sql: string, ...args: unknown[]): string[] =>
  (db.prepare(sql).all(...args) as { id: string }[]).map((r) => r.id);

const EVENT_COLUMNS = "id, hlc, machine_id, epoch, origin_seq, actor_kind, actor_id, type, entity_id, data";

export const createWorld = (s: Scenario, puller: Puller) => {
  const rng = prng(s.seed);
  const links = linksOf(s);
  const cut = new Set<string>();
  let faults = { drop: 0, lose: 0, dup: 0, reorder: false };
  let now = START_MS;
  const services = new Map<string, Service>();
  const posted: { to: string; body: unknown[] }[] = [];
  const hlcCursors = new Map<string, string>();
  const hlcPushed = new Map<string, number>();
  const nodes: Node[] = [];

  const open = (dir: string, machineId: string, name: string) =>
    createTempClaire({ dir, machineId, machineName: name, maxDriftMs: MAX_DRIFT_MS, now: START_MS });

  for (let i = 0; i < s.n; i++) {
    const name = String.fromCharCode(97 + i);
    const dir = tempDir("claire-model-");
    const machineId = randomUUID();
    const c = open(dir, machineId, name);
    const node: Node = { name, url: `mem://${name}`, dir, machineId, c, skew: s.skews[i]! };
    nodes.push(node);
    services.set(node.url, c.service);
  }
  const setClocks = () => {
    for (const nd of nodes) nd.c.clock.now = now + nd.skew;
  };
  setClocks();
  for (const nd of nodes) {
    nd.c.service.announceMachine({ kind: "machine", id: nd.machineId });
    nd.c.service.observeSession(
      { kind: "session", id: `s-${nd.name}` },
      { machineId: nd.machineId, sessionId: `s-${nd.name}` },
      { cwd: `/repo/${nd.name}`, state: "working" },
    );
  }

  const byUrl = (url: string) => nodes.findIndex((nd) => nd.url === url);
  const linkKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  const decide =
    (from: number) =>
    (peerUrl: string): Delivery => {
      if (cut.has(linkKey(from, byUrl(peerUrl)))) return "drop";
      const r = rng() * 100;
      if (r < faults.drop) return "drop";
      if (r < faults.drop + faults.lose) return "lose";
      if (r < faults.drop + faults.lose + faults.dup) return "duplicate";
      return "ok";
    };
  const transports: SyncTransport[] = nodes.map((_, i) =>
    createMemoryTransport(services, {
      decide: decide(i),
      reorder: <T>(xs: T[]) => (faults.reorder ? shuffle(xs) : xs),
      onPost: (to, body) => {
        posted.push({ to, body: [...body] });
        if (posted.length > 60) posted.shift();
      },
    }),
  );

  const seqRound = async (from: number, to: number): Promise<Counts> => {
    const f = nodes[from]!;
    const r = await syncPeer(
      {
        service: f.c.service,
        transport: transports[from]!,
        now: () => f.c.clock.now,
        batchSize: s.batch,
        sleep: async () => {},
        random: rng,
        attempts: 3,
      },
      { url: nodes[to]!.url },
    );
    const moved = r.pulled.accepted + r.pulled.quarantined + r.pushed.accepted + r.pushed.quarantined;
    return { moved, ok: r.ok };
  };

  // The seed's puller: GET ...?since=<hlc>, events with a greater HLC in HLC order, the cursor
  // being the greatest HLC seen from that peer. Push as the real pusher does (own events by seq).
  const hlcRound = async (from: number, to: number): Promise<Counts> => {
    const f = nodes[from]!;
    const t = nodes[to]!;
    const gate = decide(from);
    const key = `${from}>${to}`;
    let moved = 0;
    for (let pages = 0; pages < 1000; pages++) {
      const d = gate(t.url);
      if (d === "drop") return { moved, ok: false };
      const since = hlcCursors.get(key) ?? "";
      const page = (t.c.store.q.events.page(0, Number.MAX_SAFE_INTEGER) as (WireEvent & { seq: number })[])
        .filter((e) => e.hlc > since)
        .sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0))
        .slice(0, s.batch)
        .map(({ seq: _s, applied: _a, ...w }: WireEvent & { seq: number; applied?: boolean }) => w);
      if (d === "lose") return { moved, ok: false };
      if (page.length === 0) break;
      const r = f.c.service.ingestEvents(JSON.parse(JSON.stringify(page)), t.url);
      moved += r.accepted + r.quarantined;
      hlcCursors.set(key, page[page.length - 1]!.hlc);
      if (page.length < s.batch) break;
    }
    const pushedTo = hlcPushed.get(key) ?? 0;
    const own = f.c.store.q.events
      .page(pushedTo, Number.MAX_SAFE_INTEGER)
      .filter((e) => e.machineId === f.machineId);
    const last = f.c.store.q.events.counts().maxSeq;
    if (own.length > 0) {
      const d = gate(t.url);
      if (d === "drop") return { moved, ok: false };
      const r = pushReply(
        t.c.service,
        own.map(({ seq: _s, applied: _a, ...w }) => w),
      );
      moved += r.accepted + r.quarantined;
      if (d === "lose") return { moved, ok: false };
    }
    hlcPushed.set(key, last);
    return { moved, ok: true };
  };

  const round = (from: number, to: number) => {
    setClocks();
    return puller === "seq" ? seqRound(from, to) : hlcRound(from, to);
  };

  const linkRound = (link: number, reverse: boolean) => {
    const [a, b] = links[link % links.length]!;
    return reverse ? round(b, a) : round(a, b);
  };

  const write = (cmd: Extract<Command, { k: "write" }>) => {
    const nd = nodes[cmd.node % nodes.length]!;
    setClocks();
    const { service, store, human } = nd.c;
    const db = store.db;
    const pickOf = (xs: readonly string[]) => (xs.length === 0 ? null : xs[cmd.pick % xs.length]!);
    const task = () => pickOf(ids(db, "SELECT id FROM tasks WHERE title IS NOT NULL ORDER BY id"));
    const session = () => pickOf(ids(db, "SELECT id FROM sessions WHERE machine_id IS NOT NULL ORDER BY id"));
    const labels = ["red", "green", "blue"].filter((_, i) => (cmd.x >> i) & 1);
    const ownSession = `${nd.machineId}/s-${nd.name}`;
    // Operations on a task need one: the first write on a node makes a project, then tasks.
    const hasProject = ids(db, "SELECT id FROM projects WHERE name IS NOT NULL LIMIT 1").length > 0;
    const op = !hasProject ? 0 : [2, 3, 4, 5, 8, 10].includes(cmd.op) && task() === null ? 1 : cmd.op;
    switch (op) {
      case 0:
        return service.createProject(human, { name: `p-${nd.name}-${cmd.x}` });
      case 1: {
        const project = pickOf(ids(db, "SELECT id FROM projects WHERE name IS NOT NULL ORDER BY id"));
        if (!project) return service.createProject(human, { name: `p-${nd.name}-${cmd.x}` });
        const dep = cmd.x % 3 === 0 ? task() : null;
        return service.createTask(human, {
          projectId: project,
          title: `t-${nd.name}-${cmd.x}`,
          labels,
          ...(dep && { dependsOn: [dep] }),
        });
      }
      case 2: {
        const t = task();
        return t && service.changeTaskStatus(human, t, TASK_STATUSES[cmd.x % TASK_STATUSES.length]);
      }
      case 3: {
        const t = task();
        if (!t) return null;
        return cmd.x % 2 === 0
          ? service.updateTask(human, t, { title: `renamed-${nd.name}-${cmd.x}`, addLabels: labels })
          : service.updateTask(human, t, {
              removeLabels: ["red", "green", "blue"].slice(0, 1 + (cmd.x % 3)),
            });
      }
      case 4: {
        const t = task();
        const se = session();
        return t && se && service.assignTask(human, { taskId: t, session: se });
      }
      case 5: {
        const t = task();
        return (
          t && service.claimTask({ kind: "session", id: ownSession }, { taskId: t, session: ownSession })
        );
      }
      case 6: {
        const se = session();
        const targets = [
          "all",
          `machine:${nodes[cmd.x % nodes.length]!.machineId}`,
          se ? `session:${se}` : "all",
        ];
        return service.sendMessage(human, {
          to: targets[cmd.x % 3]!,
          body: `hello ${cmd.x} from ${nd.name}`,
        });
      }
      case 7:
        return service.observeSession(
          { kind: "session", id: ownSession },
          { machineId: nd.machineId, sessionId: `s-${nd.name}` },
          { state: SESSION_STATES[cmd.x % SESSION_STATES.length], title: `title ${cmd.x}` },
        );
      case 8: {
        const t = task();
        return service.postUpdate(human, { text: `progress ${cmd.x}`, ...(t && { taskId: t }) });
      }
      case 9: {
        const name = ["ops", "dev"][cmd.x % 2]!;
        const existing = service.getGroup(name);
        return existing.ok
          ? service.editGroup(human, name, { addMembers: [ownSession] })
          : service.createGroup(human, { name, rules: [`machine:${nd.machineId}`] });
      }
      default: {
        const t = task();
        return t && service.unassignTask(human, t);
      }
    }
  };

  const restart = (i: number) => {
    const nd = nodes[i % nodes.length]!;
    nd.c.close();
    nd.c = open(nd.dir, nd.machineId, nd.name);
    services.set(nd.url, nd.c.service);
    setClocks();
  };

  const stats = { writes: 0, refused: 0, restores: 0 };
  const backups = new Map<number, string>();
  let backupCount = 0;
  const run = async (cmd: Command): Promise<void> => {
    switch (cmd.k) {
      case "write": {
        const r = write(cmd);
        if (typeof r === "object" && r?.ok) stats.writes++;
        else stats.refused++;
        return;
      }
      case "round":
        await linkRound(cmd.link, cmd.reverse);
        return;
      case "together":
        // Rounds interleave at every await (one page or push at a time), as concurrent peers do.
        await Promise.all(cmd.rounds.map((r) => linkRound(r.link, r.reverse)));
        return;
      case "cut":
      case "mend": {
        const [a, b] = links[cmd.link % links.length]!;
        if (cmd.k === "cut") cut.add(linkKey(a, b));
        else cut.delete(linkKey(a, b));
        return;
      }
      case "faults":
        faults = { drop: cmd.drop, lose: cmd.lose, dup: cmd.dup, reorder: cmd.reorder };
        return;
      case "tick":
        now += cmd.ms;
        setClocks();
        return;
      case "skew":
        nodes[cmd.node % nodes.length]!.skew = cmd.ms;
        setClocks();
        return;
      case "restart":
        restart(cmd.node);
        return;
      case "backup": {
        const i = cmd.node % nodes.length;
        const nd = nodes[i]!;
        const path = join(nd.dir, `backup-${++backupCount}.db`);
        const r = await backupDatabase(nd.c.store.path, path);
        if (!r.ok) throw new Error(r.error.message);
        backups.set(i, path);
        return;
      }
      case "restore": {
        // The node loses everything since its last backup; peers still have part of it.
        const i = cmd.node % nodes.length;
        const nd = nodes[i]!;
        const backup = backups.get(i);
        if (!backup) return;
        nd.c.close();
        const r = restoreDatabase({
          backup,
          dbPath: join(nd.dir, "claire.db"),
          machineId: nd.machineId,
          now: () => now,
          newLogId: randomUUID,
        });
        if (!r.ok) throw new Error(r.error.message);
        stats.restores++;
        restart(i);
        return;
      }
      case "replay": {
        // An old push arrives again, late, possibly at a node that has moved on since.
        const p = posted[cmd.pick % Math.max(1, posted.length)];
        const target = p && services.get(p.to);
        if (p && target) pushReply(target, JSON.parse(JSON.stringify(p.body)));
        return;
      }
    }
  };

  /** Faults off, partitions mended, then rounds along every link both ways until nothing moves. */
  const heal = async (): Promise<number> => {
    cut.clear();
    faults = { drop: 0, lose: 0, dup: 0, reorder: false };
    const limit = 2 * nodes.length + 4;
    for (let pass = 1; pass <= limit; pass++) {
      let moved = 0;
      let allOk = true;
      for (const [a, b] of links) {
        for (const [x, y] of [
          [a, b],
          [b, a],
        ] as const) {
          const r = await round(x, y);
          moved += r.moved;
          allOk &&= r.ok;
        }
      }
      if (moved === 0 && allOk) return pass;
    }
    throw new Error(`the nodes did not settle within ${limit} passes over every link`);
  };

  /** Throws naming the first difference; returns the number of events each node holds. */
  const check = (): number => {
    const first = nodes[0]!;
    const events = (nd: Node) =>
      nd.c.store.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY id`).all() as { id: string }[];
    const reference = events(first);
    const refIds = new Set(reference.map((e) => e.id));
    for (const nd of nodes) {
      const counts = nd.c.store.q.events.counts();
      if (counts.rejected > 0) {
        const why = nd.c.store.q.events.rejected(3).map((r) => r.reason);
        throw new Error(`node ${nd.name} rejected ${counts.rejected} honest events: ${why.join("; ")}`);
      }
      if (counts.quarantined > 0) throw new Error(`node ${nd.name} quarantined events within max drift`);
      if (nd === first) continue;
      const mine = events(nd);
      const mineIds = new Set(mine.map((e) => e.id));
      const missing = reference.filter((e) => !mineIds.has(e.id)).length;
      const extra = mine.filter((e) => !refIds.has(e.id)).length;
      if (missing + extra > 0)
        throw new Error(
          `event sets differ: node ${nd.name} lacks ${missing} of node ${first.name}'s events and has ${extra} it lacks (links ${JSON.stringify(links)})`,
        );
      if (JSON.stringify(mine) !== JSON.stringify(reference))
        throw new Error(`node ${nd.name} holds an event whose content differs from node ${first.name}'s`);
      const diffs = diffDumps(dumpProjections(first.c.store.db), dumpProjections(nd.c.store.db), 3);
      if (diffs.length > 0)
        throw new Error(`projections differ between ${first.name} and ${nd.name}: ${JSON.stringify(diffs)}`);
      const gaps = compareVectors(
        first.c.service.syncSummary().vector,
        nd.c.service.syncSummary().vector,
        nd.name,
      );
      if (gaps.length > 0) throw new Error(`summaries differ: ${gaps.join("; ")}`);
    }
    const replay = checkProjections(nodes[nodes.length - 1]!.c.store.db);
    if (replay.differences.length > 0)
      throw new Error(`projections differ from a replay: ${JSON.stringify(replay.differences.slice(0, 3))}`);
    return reference.length;
  };

  const close = () => {
    for (const nd of nodes) {
      nd.c.close();
      rmSync(nd.dir, { recursive: true, force: true });
    }
  };

  return { nodes, links, stats, run, heal, check, close };
};

/** One scenario, start to finish: commands, heal, check. Throws on divergence. */
export const runScenario = async (s: Scenario, puller: Puller): Promise<number> => {
  const w = createWorld(s, puller);
  try {
    for (const cmd of s.commands) await w.run(cmd);
    await w.heal();
    return w.check();
  } finally {
    w.close();
  }
};
