// Model test of peer-to-peer sync: random fleets of 2-5 real Claires (store + service on SQLite
// files) over an in-memory transport with faults; after healing, every node holds the same events
// and the same projections. The same model with the seed's `since=<hlc>` puller must fail: that
// proves the property catches the relay bug the seq cursor exists to avoid.
//
// CLAIRE_MODEL_RUNS=500 npx vitest run test/sync-model.test.ts   (more runs; CI runs the default)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linksOf, runScenario, type Scenario, scenarioArb } from "./support/sync-model.ts";

const RUNS = Number(process.env.CLAIRE_MODEL_RUNS ?? 150);
const SEED = process.env.CLAIRE_MODEL_SEED ? Number(process.env.CLAIRE_MODEL_SEED) : undefined;

const converges = (puller: "seq" | "since-hlc") =>
  fc.asyncProperty(scenarioArb(), async (s) => {
    await runScenario(s, puller);
  });

describe("sync model: any fleet, any faults, converges after healing", () => {
  it(
    `the seq-cursor puller converges (${RUNS} fleets)`,
    async () => {
      await fc.assert(converges("seq"), {
        numRuns: RUNS,
        ...(SEED !== undefined && { seed: SEED }),
        // Shrinking replays many fleets; a failure prints its seed and path for CLAIRE_MODEL_SEED.
        endOnFailure: process.env.CI !== undefined,
      });
    },
    Math.max(120_000, RUNS * 3_000),
  );

  it("a line A-B-C has no A-C link, and the generator produces one", () => {
    const line = linksOf({ n: 3, topology: "line", parents: [], extra: [] });
    expect(line).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const samples = fc.sample(scenarioArb(), { numRuns: 200, seed: 7 });
    const isLine = (s: Scenario) => s.n >= 3 && s.topology === "line";
    expect(samples.filter(isLine).length).toBeGreaterThan(10);
  });

  it("the seed's since=<hlc> puller is caught: the property finds a counterexample", async () => {
    const result = await fc.check(converges("since-hlc"), {
      numRuns: 300,
      seed: 20_261_123,
      endOnFailure: true,
    });
    expect(result.failed).toBe(true);
    // It fails on convergence itself (events lost in relay), not on some crash of the harness.
    const message = String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance);
    expect(message).toMatch(/event sets differ|projections differ|summaries differ/);
  }, 120_000);

  it("the relay case, deterministically: a late older-HLC event is lost by since=<hlc>, kept by seq", async () => {
    // A (clock behind) writes; B writes later and C pulls it; then B pulls A's older event.
    const s: Scenario = {
      n: 3,
      topology: "line",
      parents: [0, 0, 0, 0, 0],
      extra: [],
      skews: [-60_000, 0, 0, 0, 0],
      batch: 5,
      seed: 1,
      commands: [
        { k: "write", node: 0, op: 0, pick: 0, x: 1 },
        { k: "write", node: 1, op: 0, pick: 0, x: 2 },
        { k: "round", link: 1, reverse: true }, // C pulls from B
        { k: "round", link: 0, reverse: true }, // B pulls from A
      ],
    };
    await expect(runScenario(s, "seq")).resolves.toBeGreaterThan(0);
    await expect(runScenario(s, "since-hlc")).rejects.toThrow(/event sets differ/);
  });
});
