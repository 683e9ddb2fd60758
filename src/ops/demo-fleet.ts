// The story `claire demo` tells: three machines (a workstation, a build box and a GPU box) with
// their Claude Code sessions, four projects, tasks in every status with labels, dependencies,
// assignments and claims, progress updates, and messages with their deliveries. Everything is
// done through the service layer of each machine, as people and agents would, and the machines
// exchange their events with ingestEvents, as sync does.
import type { Actor } from "../domain/actor.ts";
import type { Result } from "../domain/result.ts";
import type { SessionState } from "../domain/session.ts";
import { type DemoMachine, factsFor, planDemoSessions, type SessionPlan } from "./demo-sessions.ts";

export type { DemoMachine } from "./demo-sessions.ts";

export type DemoClock = { now: number };

const MIN = 60_000;

const must = <T>(r: Result<T, unknown>, what: string): T => {
  if (!r.ok) throw new Error(`demo: ${what} failed: ${JSON.stringify(r.error)}`);
  return r.value;
};

/** Every event `from` has that `to` may lack, ingested as a sync pull would. */
export const exchange = (from: DemoMachine, to: DemoMachine, after = 0): number => {
  let cursor = after;
  for (;;) {
    const page = from.service.eventsPage(cursor, 2000);
    if (page.events.length > 0) to.service.ingestEvents(page.events, `demo:${from.name}`);
    cursor = page.nextAfter;
    if (!page.hasMore) return cursor;
  }
};

/** Every machine gets every other machine's events (twice round, so relayed deliveries arrive too). */
export const syncAll = (machines: readonly DemoMachine[]): void => {
  for (let round = 0; round < 2; round++)
    for (const a of machines) for (const b of machines) if (a !== b) exchange(a, b);
};

export type DemoFleet = {
  readonly machines: readonly DemoMachine[];
  readonly sessions: readonly SessionPlan[];
  readonly projects: readonly string[];
  /** The task each working session is on, for the live activity after seeding. */
  readonly workingOn: ReadonlyMap<string, string>;
};

/**
 * Plays the story on the three machines over the working day before `end`. `clock.now` moves
 * forward as the story goes, up to `end`, which must not be in the future of the machine that
 * will show the result (or its events would wait in quarantine).
 */
export const seedDemoFleet = (
  machines: readonly [DemoMachine, DemoMachine, DemoMachine],
  clock: DemoClock,
  end: number,
): DemoFleet => {
  const [ws, build, gpu] = machines;
  const start = end - 600 * MIN;
  const human = (m: DemoMachine, who: string): Actor => ({ kind: "human", id: `${who}@${m.name}` });
  const ana = human(ws, "ana");
  const ben = human(build, "ben");
  const chen = human(gpu, "chen");

  const sessions = planDemoSessions(ws, build, gpu);
  const all = Object.values(sessions);
  const machineActor = (m: DemoMachine): Actor => ({ kind: "machine", id: m.machineId });
  const observe = (p: SessionPlan, final: boolean) =>
    must(
      p.machine.service.observeSession(
        machineActor(p.machine),
        { machineId: p.machine.machineId, sessionId: p.sessionId },
        factsFor(p, end, final),
      ),
      `observe session ${p.title}`,
    );
  // Session starts and ends happen between the story's steps, in time order, as hosts see them.
  const happenings = [
    ...all.map((p) => ({ ms: end - p.startedAgoMin * MIN, run: () => observe(p, false) })),
    ...all
      .filter((p) => p.state === "ended")
      .map((p) => ({ ms: end - p.lastAgoMin * MIN, run: () => observe(p, true) })),
  ].sort((a, b) => a.ms - b.ms);
  /** Moves the story to `ms` (never backwards), letting sessions start and end on the way. */
  const advance = (ms: number) => {
    while (happenings.length > 0 && happenings[0]!.ms <= ms) {
      const h = happenings.shift()!;
      clock.now = Math.max(clock.now, h.ms);
      h.run();
    }
    clock.now = Math.max(clock.now, ms);
  };
  const minute = (m: number) => start + m * MIN;

  advance(start);
  for (const m of machines) m.service.announceMachine(machineActor(m));

  // People set up the work, each on their own machine.
  advance(minute(10));
  const project = (m: DemoMachine, a: Actor, name: string, description: string) =>
    must(m.service.createProject(a, { name, description }), `project ${name}`);
  const payments = project(
    ws,
    ana,
    "Payments API",
    "Move every charge to Stripe PaymentIntents before the 3DS deadline.",
  );
  const mobile = project(ws, ana, "Mobile app 3.0", "Offline-first rewrite of the checkout flow.");
  const infra = project(
    build,
    ben,
    "CI runners",
    "Faster, cheaper CI: arm64 runners and a shared build cache.",
  );
  const search = project(gpu, chen, "Search ranking", "Learning-to-rank model for product search.");
  syncAll(machines);

  type TaskIn = {
    title: string;
    priority?: "low" | "normal" | "high" | "urgent";
    labels?: string[];
    dependsOn?: string[];
    description?: string;
  };
  const task = (m: DemoMachine, a: Actor, projectId: string, t: TaskIn) =>
    must(m.service.createTask(a, { projectId, ...t }), `task ${t.title}`);
  advance(minute(20));
  const schema = task(ws, ana, payments.id, {
    title: "Add payment_intents table and migration",
    priority: "high",
    labels: ["db", "migration"],
    description: "New table, backfill script, and a reversible migration.",
  });
  const charges = task(ws, ana, payments.id, {
    title: "Migrate charge creation to PaymentIntents",
    priority: "urgent",
    labels: ["stripe", "backend"],
    dependsOn: [schema.id],
  });
  const retries = task(ws, ana, payments.id, {
    title: "Make webhook handling idempotent",
    priority: "high",
    labels: ["stripe", "reliability"],
  });
  task(ws, ana, payments.id, {
    title: "3-D Secure challenge flow",
    priority: "high",
    labels: ["stripe", "frontend"],
    dependsOn: [charges.id],
  });
  const changelog = task(ws, ana, payments.id, { title: "Write the API changelog", labels: ["docs"] });
  const legacy = task(ws, ana, payments.id, {
    title: "Keep the legacy Charges endpoint alive",
    priority: "low",
    labels: ["backend"],
  });
  const queue = task(ws, ana, mobile.id, {
    title: "Offline request queue",
    priority: "high",
    labels: ["mobile", "sync"],
  });
  task(ws, ana, mobile.id, {
    title: "Conflict screen for edits made offline",
    labels: ["mobile", "ux"],
    dependsOn: [queue.id],
  });
  task(ws, ana, mobile.id, { title: "E2E tests on a flaky network", labels: ["mobile", "testing"] });
  const arm = task(build, ben, infra.id, {
    title: "Build arm64 runner images",
    priority: "high",
    labels: ["ci", "arm64"],
  });
  const cacheTask = task(build, ben, infra.id, {
    title: "Shared build cache on S3",
    labels: ["ci", "cache"],
  });
  const flakyTask = task(build, ben, infra.id, {
    title: "Fix the flaky checkout test",
    priority: "urgent",
    labels: ["ci", "flaky"],
  });
  task(build, ben, infra.id, {
    title: "Autoscale runners on queue depth",
    labels: ["ci"],
    dependsOn: [arm.id],
  });
  const features = task(gpu, chen, search.id, { title: "Feature pipeline v2", labels: ["ml", "data"] });
  const train = task(gpu, chen, search.id, {
    title: "Train LTR model on last quarter's clicks",
    priority: "high",
    labels: ["ml", "gpu"],
    dependsOn: [features.id],
  });
  const harness = task(gpu, chen, search.id, { title: "Offline evaluation harness", labels: ["ml", "eval"] });
  task(gpu, chen, search.id, {
    title: "A/B test plan with the search team",
    labels: ["ml", "experiment"],
    dependsOn: [train.id, harness.id],
  });
  syncAll(machines);

  advance(minute(30));
  must(
    ws.service.createGroup(ana, {
      name: "payments",
      description: "Every session working on the payments code",
      rules: ["cwd:/home/*/src/payments-api/**", "cwd:/srv/ci/payments-api/**"],
    }),
    "group payments",
  );
  must(
    gpu.service.createGroup(chen, {
      name: "ml",
      description: "Model training and evaluation",
      rules: [`machine:${gpu.machineId}`],
    }),
    "group ml",
  );
  syncAll(machines);

  // Work gets handed out: people assign across machines, agents claim on their own.
  const sessionActor = (p: SessionPlan): Actor => ({ kind: "session", id: p.sessionId });
  const assign = (m: DemoMachine, a: Actor, taskId: string, p: SessionPlan) =>
    must(m.service.assignTask(a, { taskId, session: p.key }), `assign ${taskId}`);
  const claim = (taskId: string, p: SessionPlan) =>
    must(p.machine.service.claimTask(sessionActor(p), { taskId, session: p.key }), `claim ${taskId}`);
  const status = (m: DemoMachine, a: Actor, taskId: string, s: string) =>
    must(m.service.changeTaskStatus(a, taskId, s), `status ${taskId} ${s}`);
  const update = (
    p: SessionPlan,
    kind: "note" | "progress" | "blocker" | "done",
    text: string,
    taskId: string,
  ) => must(p.machine.service.postUpdate(sessionActor(p), { kind, text, taskId, session: p.key }), "update");

  advance(minute(60));
  assign(ws, ana, schema.id, sessions.payments);
  assign(ws, ana, retries.id, sessions.webhooks);
  assign(ws, ana, changelog.id, sessions.docs);
  assign(ws, ana, queue.id, sessions.mobile);
  claim(arm.id, sessions.ci);
  claim(cacheTask.id, sessions.cache);
  claim(train.id, sessions.ranker);
  claim(harness.id, sessions.evals);
  syncAll(machines);
  // Ana hands the flaky payments test to the build box's session, across machines.
  assign(ws, ana, flakyTask.id, sessions.flaky);
  syncAll(machines);

  advance(minute(120));
  status(ws, ana, schema.id, "in_progress");
  update(
    sessions.payments,
    "progress",
    "payment_intents table and indexes drafted; migration is reversible",
    schema.id,
  );
  status(ws, ana, changelog.id, "in_progress");
  update(sessions.docs, "progress", "changelog drafted for the v2 endpoints", changelog.id);
  status(build, ben, cacheTask.id, "in_progress");
  status(gpu, chen, features.id, "in_progress");
  syncAll(machines);

  advance(minute(240));
  status(ws, ana, changelog.id, "done");
  update(sessions.docs, "done", "API changelog published in docs/changelog.md", changelog.id);
  status(build, ben, cacheTask.id, "done");
  update(sessions.cache, "done", "S3 cache live; cold builds 11m -> 4m", cacheTask.id);
  status(gpu, chen, features.id, "done");
  status(ws, ana, legacy.id, "cancelled");
  syncAll(machines);

  advance(minute(360));
  status(ws, ana, schema.id, "done");
  update(sessions.payments, "done", "migration merged and applied on staging", schema.id);
  assign(ws, ana, charges.id, sessions.payments);
  status(ws, ana, charges.id, "in_progress");
  status(ws, ana, queue.id, "in_progress");
  update(
    sessions.mobile,
    "progress",
    "queue persists to SQLite; replay on reconnect works in the simulator",
    queue.id,
  );
  status(build, ben, arm.id, "in_progress");
  status(build, ben, flakyTask.id, "in_progress");
  status(gpu, chen, train.id, "in_progress");
  status(gpu, chen, harness.id, "in_progress");
  update(sessions.evals, "progress", "NDCG@10 and MRR computed on the holdout set", harness.id);
  syncAll(machines);

  advance(minute(480));
  status(ws, ana, retries.id, "in_progress");
  update(sessions.ranker, "progress", "epoch 3/8: validation NDCG@10 0.412 -> 0.437", train.id);
  update(sessions.ci, "progress", "base image builds on arm64; node and python layers cached", arm.id);
  status(ws, ana, queue.id, "blocked");
  update(sessions.mobile, "blocker", "needs the API's idempotency keys before replay is safe", queue.id);
  syncAll(machines);

  // Messages: to one session, a group, a machine, everyone.
  advance(minute(510));
  const send = (m: DemoMachine, a: Actor, to: string, body: string) =>
    must(m.service.sendMessage(a, { to, body }), `message to ${to}`).message;
  const m1 = send(
    ws,
    ana,
    `session:${sessions.flaky.key}`,
    "The checkout test fails with seed 4711 on arm64 only; start there.",
  );
  const m2 = send(
    ws,
    ana,
    "group:payments",
    "Freeze merges to payments-api main until the migration lands on production.",
  );
  const m3 = send(
    build,
    ben,
    "all",
    "New arm64 runners are live; label jobs with runs-on: arm64 to try them.",
  );
  const m4 = send(
    gpu,
    chen,
    `machine:${gpu.machineId}`,
    "GPU maintenance at 18:00 UTC: checkpoint your runs before then.",
  );
  syncAll(machines);

  // The hosts deliver them: agents read some and acknowledge fewer.
  advance(minute(540));
  const deliver = (p: SessionPlan, ids: string[], ack: boolean) => {
    const a = sessionActor(p);
    must(p.machine.service.markDelivered(a, p.key, ids), "deliver");
    if (ack) must(p.machine.service.acknowledge(a, p.key, ids), "acknowledge");
  };
  deliver(sessions.flaky, [m1.id, m3.id], true);
  deliver(sessions.payments, [m2.id, m3.id], true);
  deliver(sessions.webhooks, [m2.id], false);
  deliver(sessions.ci, [m3.id], false);
  deliver(sessions.ranker, [m3.id, m4.id], true);
  update(
    sessions.flaky,
    "note",
    "reproduced with seed 4711: a race between the stub clock and the retry timer",
    flakyTask.id,
  );
  syncAll(machines);

  // Where every live session is now.
  advance(end - 2 * MIN);
  for (const p of all) if (p.state !== "ended") observe(p, true);
  advance(end);
  syncAll(machines);

  return {
    machines,
    sessions: all,
    projects: [payments.name, mobile.name, infra.name, search.name],
    workingOn: new Map([
      [sessions.payments.key, charges.id],
      [sessions.ci.key, arm.id],
      [sessions.ranker.key, train.id],
    ]),
  };
};

const LIVE_NOTES = [
  "tests green locally; pushing the branch",
  "refactored the retry loop; 3 call sites left",
  "benchmarked: p95 down from 180 ms to 120 ms",
  "found a missing index; adding it to the migration",
  "CI run started; waiting for the arm64 job",
  "rebased on main; resolving one conflict in the client",
  "checkpoint saved; validation loss still falling",
];

/**
 * One small change per call, on the machine that hosts it, as a running fleet makes them: a
 * working session's tokens and activity move on, now and then it posts a progress note, and the
 * waiting session gets its answer or asks again. Returns the machine that changed.
 */
export const createDemoActivity = (fleet: DemoFleet, clock: DemoClock) => {
  const working = fleet.sessions.filter((p) => p.state === "working");
  const toggling = fleet.sessions.find((p) => p.state === "waiting");
  let step = 0;
  return (nowMs: number): DemoMachine => {
    clock.now = Math.max(clock.now, nowMs);
    step++;
    if (toggling && step % 7 === 0) {
      const next: SessionState = step % 14 === 0 ? "waiting" : "working";
      const p = { ...toggling, state: next, lastAgoMin: 0 };
      toggling.machine.service.observeSession(
        { kind: "machine", id: toggling.machine.machineId },
        { machineId: toggling.machine.machineId, sessionId: toggling.sessionId },
        factsFor(p, clock.now, true),
      );
      return toggling.machine;
    }
    const p = working[step % working.length]!;
    p.ktokens = p.ktokens.map((k, i) => Math.round(k * 1.004 + [3, 2, 4, 40][i]!)) as SessionPlan["ktokens"];
    p.turns += 1;
    p.machine.service.observeSession(
      { kind: "machine", id: p.machine.machineId },
      { machineId: p.machine.machineId, sessionId: p.sessionId },
      factsFor({ ...p, lastAgoMin: 0 }, clock.now, true),
    );
    const taskId = fleet.workingOn.get(p.key);
    if (taskId && step % 5 === 0)
      p.machine.service.postUpdate(
        { kind: "session", id: p.sessionId },
        { kind: "progress", text: LIVE_NOTES[(step / 5) % LIVE_NOTES.length]!, taskId, session: p.key },
      );
    return p.machine;
  };
};
