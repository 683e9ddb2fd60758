// Price lookup by model-id prefix, overrides, and the per-model cost estimate.
import { describe, expect, it } from "vitest";
import { estimateCost, PRICE_TABLE, PRICES_AS_OF, priceFor } from "./prices.ts";

const M = 1_000_000;
const tokens = (input: number, output = 0, cacheCreation = 0, cacheRead = 0, cacheCreation1h = 0) => ({
  input,
  output,
  cacheCreation,
  cacheRead,
  cacheCreation1h,
});

describe("priceFor", () => {
  it("is dated and covers every family", () => {
    expect(PRICES_AS_OF).toMatch(/^2026-\d\d-\d\d$/);
    for (const id of [
      "claude-opus-4-5",
      "claude-sonnet-4-5",
      "claude-haiku-4-5",
      "claude-3-5-haiku",
      "claude-3-opus",
    ]) {
      expect(PRICE_TABLE[id]).toBeDefined();
    }
  });

  it("matches by the longest prefix, dated and provider-wrapped ids included", () => {
    expect(priceFor("claude-opus-4-5-20251101")?.input).toBe(5);
    expect(priceFor("claude-opus-4-20250514")?.input).toBe(15);
    expect(priceFor("claude-opus-4-1-20250805")?.output).toBe(75);
    expect(priceFor("claude-sonnet-4-5-20250929[1m]")?.cacheRead).toBe(0.3);
    expect(priceFor("us.anthropic.claude-haiku-4-5-20251001-v1:0")?.input).toBe(1);
    expect(priceFor("claude-3-5-sonnet@20241022")?.output).toBe(15);
    expect(priceFor("claude-3-5-haiku-20241022")?.cacheWrite).toBe(1);
    expect(priceFor("claude-haiku-5-5")?.input).toBe(0.1);
  });

  it("does not guess for a minor version it does not know, nor for other vendors", () => {
    expect(priceFor("claude-opus-4-9")).toBeNull();
    expect(priceFor("gpt-5")).toBeNull();
    expect(priceFor("unknown")).toBeNull();
  });

  it("applies overrides field by field, the longest override prefix winning", () => {
    const overrides = { "claude-opus": { cacheRead: 9 }, "claude-opus-4-5": { input: 4 } };
    expect(priceFor("claude-opus-4-5-20251101", overrides)).toEqual({
      input: 4,
      output: 25,
      cacheWrite: 6.25,
      cacheWrite1h: 10,
      cacheRead: 0.5,
    });
    expect(priceFor("claude-opus-4-1", overrides)?.cacheRead).toBe(9);
  });

  it("prices a model only the user knows, filling cache rates with the usual multipliers", () => {
    expect(priceFor("my-proxy-model", { "my-proxy": { input: 2, output: 8 } })).toEqual({
      input: 2,
      output: 8,
      cacheWrite: 2.5,
      cacheWrite1h: 4,
      cacheRead: 0.2,
    });
    expect(priceFor("my-proxy-model", { "my-proxy": { input: 2 } })).toBeNull();
  });
});

describe("estimateCost", () => {
  it("prices each model at its own rates, 1-hour cache writes at their own rate", () => {
    const est = estimateCost({
      "claude-opus-4-5-20251101": tokens(M, M, 2 * M, 10 * M, M),
      "claude-haiku-4-5-20251001": tokens(M, M),
    });
    // opus 4.5: 5 + 25 + 1M*6.25 + 1M*10 + 10M*0.5 = 51.25; haiku 4.5: 1 + 5 = 6
    expect(est.byModel["claude-opus-4-5-20251101"]).toBeCloseTo(51.25, 10);
    expect(est.byModel["claude-haiku-4-5-20251001"]).toBeCloseTo(6, 10);
    expect(est).toMatchObject({ costKnown: true, unknownModels: [] });
    expect(est.costUsd).toBeCloseTo(57.25, 10);
  });

  it("uses an override for one model and the table for the other", () => {
    const est = estimateCost(
      { "claude-sonnet-4-5": tokens(M, M), "claude-haiku-4-5": tokens(M, M) },
      { "claude-sonnet-4-5": { input: 1, output: 1 } },
    );
    expect(est.byModel["claude-sonnet-4-5"]).toBeCloseTo(2, 10);
    expect(est.costUsd).toBeCloseTo(8, 10);
  });

  it("says so when a model has no price: that part is null, the total is null, the rest is known", () => {
    const est = estimateCost({ "claude-sonnet-4-5": tokens(M), "mystery-1": tokens(5), unknown: tokens(0) });
    expect(est).toMatchObject({ costUsd: null, costKnown: false, unknownModels: ["mystery-1"] });
    expect(est.byModel).toEqual({ "claude-sonnet-4-5": 3, "mystery-1": null, unknown: 0 });
    expect(est.knownUsd).toBe(3);
  });

  it("costs nothing without tokens", () => {
    expect(estimateCost({})).toMatchObject({ costUsd: 0, costKnown: true });
  });
});
