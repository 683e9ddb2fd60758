// Dashboard figures (issue 6), on a fleet of 1,000 sessions (two machines), 20,000 tasks in ten
// projects of 2,000 and 50,000 progress notes, seeded through the store's batched append:
//   dashboard.fleet.p95 / .bytes   GET / (the fleet page) in process: server time p95 and HTML size,
//                                  against GET /api/v1/sessions?limit=1000 (the same sessions as JSON)
//   dashboard.board.p95 / .bytes   GET /projects/<id>?all=… (every column whole) with 2,000 tasks,
//                                  against the same tasks as JSON
//                                  (GET /api/v1/tasks, two pages of 1,000)
//   dashboard.sse.fanout           one change, 50 browsers following the fleet page over a real
//                                  loopback server: from the change feed noticing the change until
//                                  every stream has the changed sections, against one browser alone
//   dashboard.sse.latency          the same from the write itself (includes the feed's 200 ms poll)
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Actor } from "../src/domain/actor.ts";
import type { EventDraft } from "../src/domain/events.ts";
import { createIdGenerator } from "../src/domain/ids.ts";
import type { SessionState } from "../src/domain/session.ts";
import type { TaskStatus } from "../src/domain/task.ts";
import { createApp } from "../src/http/app.ts";
import { createChangeFeed } from "../src/runtime/change-feed.ts";
import type { Benchmark, Figure } from "./index.ts";
import { type FreshClaire, freshClaire } from "./support/fresh-claire.ts";
import { collectGarbage, median } from "./support/timing.ts";

type Sizes = {
  sessions: number;
  projects: number;
  tasksPerProject: number;
  updates: number;
  clients: number;
};

export const FULL: Sizes = {
  sessions: 1000,
  projects: 10,
  tasksPerProject: 2000,
  updates: 50_000,
  clients: 50,
};
const SMOKE: Sizes = { sessions: 20, projects: 2, tasksPerProject: 50, updates: 200, clients: 3 };

/** mulberry32: the same fleet every run. */
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

const WORDS =
  "the migration now passes on linux while the dashboard shows stale sessions until the hook installer lands and sync catches up".split(
    " ",
  );

type Seeded = { projectId: string; otherMachine: string; sessionKeys: string[] };

/** Appends the fleet through store.log.append, 1,000 drafts per transaction. */
export const seed = (c: FreshClaire, z: Sizes): Seeded => {
  const random = prng(6);
  const ids = createIdGenerator();
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const text = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const drafts: EventDraft[] = [];
  const flush = (force = false) => {
    while (drafts.length >= 1000 || (force && drafts.length > 0)) {
      const batch = drafts.splice(0, 1000);
      c.store.write(() => c.store.log.append(c.actor, batch));
    }
  };
  const push = (d: EventDraft) => {
    drafts.push(d);
    flush();
  };
  const local = c.store.machineId;
  const otherMachine = randomUUID();
  push({ type: "machine.announced", entityId: local, data: { name: "laptop", groups: [] } });
  push({ type: "machine.announced", entityId: otherMachine, data: { name: "buildbox", groups: [] } });
  // Sessions: a fifth on the second machine; about a third running.
  const states: SessionState[] = [
    "working",
    "waiting",
    "idle",
    "ended",
    "ended",
    "ended",
    "ended",
    "unknown",
  ];
  const sessionKeys: string[] = [];
  const running: { machineId: string; sessionId: string }[] = [];
  for (let i = 0; i < z.sessions; i++) {
    const machineId = i % 5 === 0 ? otherMachine : local;
    const sessionId = randomUUID();
    const state = pick(states);
    const at = new Date(Date.UTC(2026, 10, 23, 12) - i * 60_000).toISOString();
    sessionKeys.push(`${machineId}/${sessionId}`);
    if (state !== "ended") running.push({ machineId, sessionId });
    push({
      type: "session.observed",
      entityId: `${machineId}/${sessionId}`,
      data: {
        cwd: `/home/dev/src/repo-${i % 40}/pkg-${i % 7}`,
        gitBranch: i % 3 ? "main" : `feature/work-${i}`,
        title: text(6),
        model: "claude-sonnet-4-5",
        firstActivity: at,
        lastActivity: at,
        userMessages: 10 + (i % 50),
        assistantMessages: 20 + (i % 80),
        tokens: { input: 1000 * i, output: 300 * i, cacheCreation: 10 * i, cacheRead: 5000 * i },
        costUsd: i / 100,
        state,
      },
    });
  }
  // Projects of tasks in every status, a third depending on an earlier task.
  const statuses: TaskStatus[] = ["todo", "todo", "in_progress", "blocked", "done", "done", "cancelled"];
  const tasks: { id: string; projectId: string }[] = [];
  let projectId = "";
  for (let p = 0; p < z.projects; p++) {
    const pid = ids.newId();
    if (p === 0) projectId = pid;
    push({ type: "project.created", entityId: pid, data: { name: `project ${p}`, description: text(12) } });
    const mine: string[] = [];
    for (let t = 0; t < z.tasksPerProject; t++) {
      const id = ids.newId();
      const deps = mine.length > 0 && random() < 0.33 ? [pick(mine)] : [];
      push({
        type: "task.created",
        entityId: id,
        data: {
          projectId: pid,
          title: text(7),
          description: text(30),
          priority: pick(["low", "normal", "normal", "high", "urgent"] as const),
          status: "todo",
          labels: random() < 0.3 ? [pick(["db", "ui", "sync", "api"])] : [],
          dependsOn: deps,
        },
      });
      const status = pick(statuses);
      if (status !== "todo") push({ type: "task.status_changed", entityId: id, data: { status } });
      mine.push(id);
      tasks.push({ id, projectId: pid });
    }
  }
  // Each running session owns a task.
  running.forEach((session, i) => {
    const t = tasks[(i * 37) % tasks.length]!;
    push({ type: "task.assigned", entityId: t.id, data: { session } });
  });
  for (let u = 0; u < z.updates; u++) {
    const t = pick(tasks);
    push({
      type: "update.posted",
      entityId: ids.newId(),
      data: {
        kind: pick(["note", "progress", "progress", "blocker"] as const),
        text: text(8 + (u % 20)),
        taskId: t.id,
        projectId: t.projectId,
        session: null,
      },
    });
  }
  flush(true);
  return { projectId, otherMachine, sessionKeys };
};

const HOST = { host: "127.0.0.1:8765" };

/** p95 of server time over `runs` requests (after a warm-up), and the body size. */
const measure = async (app: ReturnType<typeof createApp>, paths: readonly string[], runs: number) => {
  let bytes = 0;
  for (let i = 0; i < 3; i++) for (const p of paths) await (await app.request(p, { headers: HOST })).text();
  const times: number[] = [];
  collectGarbage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = 0;
    for (const p of paths) {
      const r = await app.request(p, { headers: HOST });
      if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
      bytes += Buffer.byteLength(await r.text());
    }
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!,
    p50: median(times),
    bytes,
  };
};

/** Opens n live streams of the fleet page and resolves, per change, when each has the fragments. */
const followers = async (base: string, n: number) => {
  const html = await (await fetch(`${base}/`)).text();
  const live = /sse-connect="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
  const streams = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const ac = new AbortController();
      const res = await fetch(`${base}${live.replace(/__c=[^&]+/, `__c=bench-${i}-${randomUUID()}`)}`, {
        signal: ac.signal,
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let waiters: ((t: number) => void)[] = [];
      let ready: () => void = () => {};
      const isReady = new Promise<void>((ok) => {
        ready = ok;
      });
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            buffer += decoder.decode(value, { stream: true });
            let end = buffer.indexOf("\n\n");
            while (end >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              if (block.startsWith("event: ready")) ready();
              if (block.startsWith("event: fragments")) {
                const t = performance.now();
                for (const w of waiters) w(t);
                waiters = [];
              }
              end = buffer.indexOf("\n\n");
            }
          }
        } catch {}
      })();
      await isReady;
      return {
        next: () => new Promise<number>((ok) => waiters.push(ok)),
        close: () => ac.abort(),
      };
    }),
  );
  return streams;
};

/** Change feed poll interval of `claire serve` (runtime/change-feed.ts default). */
const FEED_MS = 200;

/**
 * One change seen by `clients` browsers of the fleet page, `rounds` times. Returns the medians of
 * (a) the fan-out: from the change feed noticing the change to the last browser having the
 * sections, and (b) the latency: from the write itself (made at a random point of the feed's poll
 * interval, as real writes are) to the last browser.
 */
const fanout = async (
  c: FreshClaire,
  seeded: Seeded,
  clients: number,
  rounds: number,
): Promise<{ fanout: number; latency: number }> => {
  const changes = createChangeFeed(c.store, FEED_MS);
  // Subscribed first, so it runs first on each change: the moment the feed noticed it.
  let noticed = 0;
  const unsubscribe = changes.subscribe(() => {
    noticed = performance.now();
  });
  const app = createApp({ service: c.service, changes });
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise((ok) => server.once("listening", ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const streams = await followers(base, clients);
  const actor: Actor = { kind: "machine", id: c.store.machineId };
  const local = seeded.sessionKeys.filter((k) => k.startsWith(c.store.machineId));
  const random = prng(7); // the same write moments for every browser count
  const spread: number[] = [];
  const latency: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      await new Promise((ok) => setTimeout(ok, random() * FEED_MS));
      const all = Promise.race([
        Promise.all(streams.map((s) => s.next())),
        new Promise<never>((_, fail) =>
          setTimeout(() => fail(new Error("a stream never got the change")), 30_000),
        ),
      ]);
      const key = local[r % local.length]!;
      const [machineId, sessionId] = key.split("/") as [string, string];
      const start = performance.now();
      // A session changes state: the fleet page's sections change for every browser.
      const state = r % 2 === 0 ? "waiting" : "working";
      const reason = `round ${r} of ${randomUUID().slice(0, 8)}`;
      const obs = c.service.observeSession(actor, { machineId, sessionId }, { state, stateReason: reason });
      if (!obs.ok || obs.value.changed.length === 0)
        throw new Error(`no change recorded: ${JSON.stringify(obs)}`);
      const last = Math.max(...(await all));
      spread.push(last - noticed);
      latency.push(last - start);
    }
  } finally {
    for (const s of streams) s.close();
    unsubscribe();
    changes.stop();
    await new Promise((ok) => server.close(ok));
  }
  return { fanout: median(spread), latency: median(latency) };
};

export const benchmarks: Benchmark[] = [
  {
    name: "dashboard",
    description:
      "fleet page and a 2,000-task board (p95, size) on 1,000 sessions, 20,000 tasks; SSE fan-out to 50",
    run: async ({ smoke, tmpDir, log }) => {
      const z = smoke ? SMOKE : FULL;
      const c = freshClaire(tmpDir);
      try {
        const started = performance.now();
        const seeded = seed(c, z);
        log(
          `seeded ${z.sessions} sessions, ${z.projects * z.tasksPerProject} tasks, ${z.updates} notes in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
        const app = createApp({ service: c.service });
        const runs = smoke ? 3 : 40;
        const fleet = await measure(app, ["/"], runs);
        const sessionsJson = await measure(app, [`/api/v1/sessions?limit=${z.sessions}`], runs);
        // Every column whole (`?all=`): the largest board a person can ask for, and the same 2,000
        // cards as before columns were cut at 200 by default.
        const wholeBoard = `/projects/${seeded.projectId}?${["todo", "in_progress", "blocked", "done", "cancelled"].map((s) => `all=${s}`).join("&")}`;
        const board = await measure(app, [wholeBoard], runs);
        const pages = Math.ceil(z.tasksPerProject / 1000);
        const tasksJson = await measure(
          app,
          Array.from(
            { length: pages },
            (_, i) => `/api/v1/tasks?project=${seeded.projectId}&limit=1000&offset=${i * 1000}`,
          ),
          runs,
        );
        log(
          `fleet p50 ${fleet.p50.toFixed(1)} p95 ${fleet.p95.toFixed(1)} ms, ${fleet.bytes} bytes; board p50 ${board.p50.toFixed(1)} p95 ${board.p95.toFixed(1)} ms, ${board.bytes} bytes`,
        );
        const rounds = smoke ? 2 : 20;
        const one = await fanout(c, seeded, 1, rounds);
        const many = await fanout(c, seeded, z.clients, rounds);
        log(
          `after the change is noticed: 1 client ${one.fanout.toFixed(1)} ms, ${z.clients} clients ${many.fanout.toFixed(1)} ms; ` +
            `from the write (poll ${FEED_MS} ms): ${one.latency.toFixed(1)} / ${many.latency.toFixed(1)} ms (medians of ${rounds})`,
        );
        const fig = (
          name: string,
          value: number,
          unit: string,
          baseline: number,
          baselineLabel: string,
          target?: number,
        ): Figure => ({
          name,
          value,
          unit,
          baseline,
          baselineLabel,
          better: "lower",
          ...(target !== undefined && { target }),
        });
        return [
          fig(
            "dashboard.fleet.p95",
            fleet.p95,
            "ms",
            sessionsJson.p95,
            "GET /api/v1/sessions (same sessions as JSON)",
            100,
          ),
          fig("dashboard.fleet.bytes", fleet.bytes, "bytes", sessionsJson.bytes, "the same sessions as JSON"),
          fig(
            "dashboard.board.p95",
            board.p95,
            "ms",
            tasksJson.p95,
            "GET /api/v1/tasks, the board's tasks as JSON",
            100,
          ),
          fig("dashboard.board.bytes", board.bytes, "bytes", tasksJson.bytes, "the same tasks as JSON"),
          fig("dashboard.sse.fanout", many.fanout, "ms", one.fanout, "the same change to one browser"),
          fig("dashboard.sse.latency", many.latency, "ms", one.latency, "the same, one browser"),
        ];
      } finally {
        c.close();
      }
    },
  },
];
