// The Claude Code sessions of `claire demo`'s story (demo-fleet.ts): which machine hosts each,
// where it works, its model, state and size, and the facts its host reports about it.
import { randomUUID } from "node:crypto";
import type { SessionFacts, SessionState } from "../domain/session.ts";
import type { Service } from "../service/index.ts";
import { costOf, priceFor } from "../sessions/prices.ts";

const MIN = 60_000;

/** A machine of the story: its name, identity and groups, and the service of its own Claire. */
export type DemoMachine = {
  readonly name: string;
  readonly machineId: string;
  readonly groups: readonly string[];
  readonly service: Service;
};

export type SessionPlan = {
  key: string;
  machine: DemoMachine;
  sessionId: string;
  cwd: string;
  branch: string;
  title: string;
  model: string;
  state: SessionState;
  stateReason: string | null;
  startedAgoMin: number;
  lastAgoMin: number;
  /** Tokens in thousands: input, output, cache write, cache read. */
  ktokens: [number, number, number, number];
  turns: number;
};

const tokensOf = (k: SessionPlan["ktokens"], share = 1) => ({
  input: Math.round(k[0] * 1000 * share),
  output: Math.round(k[1] * 1000 * share),
  cacheCreation: Math.round(k[2] * 1000 * share),
  cacheRead: Math.round(k[3] * 1000 * share),
});

/** What the host reports: `final` is where the session is now, else the moment it started. */
export const factsFor = (p: SessionPlan, end: number, final: boolean): SessionFacts => {
  const share = final ? 1 : 0.05;
  const tokens = tokensOf(p.ktokens, share);
  const price = priceFor(p.model);
  const first = end - p.startedAgoMin * MIN;
  const state: SessionState = final ? p.state : "working";
  return {
    cwd: p.cwd,
    gitBranch: p.branch,
    version: "2.1.330",
    title: p.title,
    model: p.model,
    transcriptPath: `${p.cwd.startsWith("/home/ml") ? "/home/ml" : p.cwd.startsWith("/srv") ? "/home/ci" : "/home/ana"}/.claude/projects/${p.cwd.replaceAll("/", "-")}/${p.sessionId}.jsonl`,
    source: "startup",
    firstActivity: new Date(first).toISOString(),
    lastActivity: new Date(final ? end - p.lastAgoMin * MIN : first + MIN).toISOString(),
    userMessages: Math.max(1, Math.round(p.turns * share)),
    assistantMessages: Math.max(1, Math.round(p.turns * 3 * share)),
    tokens,
    costUsd: price ? Math.round(costOf(tokens, price) * 10_000) / 10_000 : null,
    state,
    stateReason: final ? p.stateReason : null,
  };
};

/** The sessions each machine hosts, in every state (times in minutes before the story's end). */
export const planDemoSessions = (ws: DemoMachine, build: DemoMachine, gpu: DemoMachine) => {
  const plan = (
    machine: DemoMachine,
    cwd: string,
    branch: string,
    title: string,
    model: string,
    state: SessionState,
    stateReason: string | null,
    [startedAgoMin, lastAgoMin]: [number, number],
    ktokens: SessionPlan["ktokens"],
    turns: number,
  ): SessionPlan => {
    const sessionId = randomUUID();
    return {
      key: `${machine.machineId}/${sessionId}`,
      machine,
      sessionId,
      cwd,
      branch,
      title,
      model,
      state,
      stateReason,
      startedAgoMin,
      lastAgoMin,
      ktokens,
      turns,
    };
  };
  const src = "/home/ana/src";
  const opus = "claude-opus-4-5";
  const sonnet = "claude-sonnet-4-5";
  const haiku = "claude-haiku-4-5";
  const sessions = {
    payments: plan(
      ws,
      `${src}/payments-api`,
      "stripe-migration",
      "Migrate charges to PaymentIntents",
      opus,
      "working",
      null,
      [590, 0.2],
      [182, 96, 410, 5_800],
      41,
    ),
    webhooks: plan(
      ws,
      `${src}/payments-api`,
      "webhook-retries",
      "Idempotent webhook retries",
      sonnet,
      "waiting",
      "permission: Bash(npm run db:migrate)",
      [560, 3],
      [64, 38, 150, 1_900],
      18,
    ),
    mobile: plan(
      ws,
      `${src}/mobile-app`,
      "offline-sync",
      "Offline queue for the mobile app",
      sonnet,
      "idle",
      null,
      [585, 55],
      [120, 71, 260, 3_300],
      33,
    ),
    docs: plan(
      ws,
      `${src}/payments-api`,
      "main",
      "Write the API changelog",
      haiku,
      "ended",
      null,
      [580, 300],
      [30, 22, 60, 400],
      9,
    ),
    ci: plan(
      build,
      "/srv/ci/runner-images",
      "arm64",
      "Build arm64 runner images",
      sonnet,
      "working",
      null,
      [575, 0.5],
      [88, 51, 190, 2_600],
      22,
    ),
    flaky: plan(
      build,
      "/srv/ci/payments-api",
      "main",
      "Hunt the flaky checkout test",
      opus,
      "waiting",
      "input: which seed reproduces it?",
      [550, 6],
      [140, 63, 300, 4_100],
      27,
    ),
    cache: plan(
      build,
      "/srv/ci/build-cache",
      "main",
      "Shared build cache on S3",
      sonnet,
      "ended",
      null,
      [570, 200],
      [51, 40, 110, 1_200],
      14,
    ),
    ranker: plan(
      gpu,
      "/home/ml/search-ranker",
      "ltr-v2",
      "Train the learning-to-rank model",
      opus,
      "working",
      null,
      [595, 1],
      [230, 120, 520, 7_700],
      52,
    ),
    evals: plan(
      gpu,
      "/home/ml/search-ranker",
      "eval-harness",
      "Offline evaluation harness",
      sonnet,
      "idle",
      null,
      [565, 120],
      [97, 58, 210, 2_400],
      25,
    ),
    notebook: plan(
      gpu,
      "/home/ml/notebooks",
      "main",
      "Clean up feature notebooks",
      haiku,
      "ended",
      null,
      [598, 420],
      [22, 15, 40, 300],
      7,
    ),
  };
  return sessions;
};
