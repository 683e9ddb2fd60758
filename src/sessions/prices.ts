// Bundled, dated Claude price table (USD per million tokens) and the per-model cost estimate.
import type { ModelTokens, TokenCounts } from "./usage-ledger.ts";

/**
 * Taken from the model catalog baked into Claude Code 2.1.330 (the CLI this repository pins), which
 * matches Anthropic's published list prices on this date. Not applied: long-prompt surcharges
 * (1M-context requests, Haiku 5.5 above 100k prompt tokens), batch discounts and the US-only
 * inference multiplier, so estimates for such traffic are low. Users correct rates in claire.toml.
 */
export const PRICES_AS_OF = "2026-11-23";

export interface ModelPrice {
  input: number;
  output: number;
  /** 5-minute cache write. */
  cacheWrite: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** From claire.toml: `[prices."claude-opus-4-5"] input = 5` and so on; keys are plain model-id prefixes. */
export type PriceOverrides = Readonly<Record<string, Partial<ModelPrice>>>;

type Rates = readonly [input: number, output: number, write5m: number, write1h: number, read: number];
const OPUS_LEGACY: Rates = [15, 75, 18.75, 30, 1.5];
const OPUS_4_5: Rates = [5, 25, 6.25, 10, 0.5];
const SONNET: Rates = [3, 15, 3.75, 6, 0.3];
const TIER_10_50: Rates = [10, 50, 12.5, 20, 1];
const TIER_10_50_READ_025: Rates = [10, 50, 12.5, 20, 0.25];
const TIER_8_40: Rates = [8, 40, 10, 16, 0.2];

const RATES: Readonly<Record<string, Rates>> = {
  "claude-opus-5-5": [4, 20, 5, 8, 0.2],
  "claude-opus-5": OPUS_4_5,
  "claude-opus-4-8": OPUS_4_5,
  "claude-opus-4-7": OPUS_4_5,
  "claude-opus-4-6": OPUS_4_5,
  "claude-opus-4-5": OPUS_4_5,
  "claude-opus-4-1": OPUS_LEGACY,
  "claude-opus-4-0": OPUS_LEGACY,
  "claude-opus-4": OPUS_LEGACY,
  "claude-3-opus": OPUS_LEGACY,
  "claude-sonnet-5-5": [2, 10, 2.5, 4, 0.1],
  "claude-sonnet-5": [2, 10, 2.5, 4, 0.2],
  "claude-sonnet-4-6": SONNET,
  "claude-sonnet-4-5": SONNET,
  "claude-sonnet-4-0": SONNET,
  "claude-sonnet-4": SONNET,
  "claude-3-7-sonnet": SONNET,
  "claude-3-5-sonnet": SONNET,
  "claude-3-sonnet": SONNET,
  "claude-haiku-5-5": [0.1, 0.5, 0.125, 0.2, 0.01],
  "claude-haiku-4-5": [1, 5, 1.25, 2, 0.1],
  "claude-3-5-haiku": [0.8, 4, 1, 1.6, 0.08],
  "claude-3-haiku": [0.25, 1.25, 0.3, 0.5, 0.03],
  "claude-fable-5-2": TIER_8_40,
  "claude-fable-5-1": TIER_10_50_READ_025,
  "claude-fable-5": TIER_10_50,
  "claude-mythos-5-2": TIER_8_40,
  "claude-mythos-5-1": TIER_10_50_READ_025,
  "claude-mythos-5": TIER_10_50,
};

export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = Object.fromEntries(
  Object.entries(RATES).map(([prefix, [input, output, cacheWrite, cacheWrite1h, cacheRead]]) => [
    prefix,
    { input, output, cacheWrite, cacheWrite1h, cacheRead },
  ]),
);

/**
 * Whether `prefix` names `id`: the rest must start a new part (a date, `@` or `[1m]`), and not be
 * a minor version, so "claude-opus-4" prices "claude-opus-4-20250514" but not "claude-opus-4-9".
 */
const prefixNames = (prefix: string, id: string): boolean => {
  if (!id.startsWith(prefix)) return false;
  const rest = id.slice(prefix.length);
  return rest === "" || (/^[-@:[]/.test(rest) && !/^-\d{1,2}(?!\d)/.test(rest));
};

const longestPrefix = (keys: Iterable<string>, id: string, names: typeof prefixNames): string | null => {
  let best: string | null = null;
  for (const key of keys) {
    if (names(key.toLowerCase(), id) && (best === null || key.length > best.length)) best = key;
  }
  return best;
};

/** Bedrock and Vertex ids wrap the model name ("us.anthropic.claude-…-v1:0", "claude-…@date"). */
const canonicalId = (model: string): string => {
  const id = model.toLowerCase();
  const at = id.indexOf("claude-");
  return at > 0 ? id.slice(at) : id;
};

/** The rates for a model, overrides winning field by field; null when neither knows the model. */
export const priceFor = (model: string, overrides: PriceOverrides = {}): ModelPrice | null => {
  const id = canonicalId(model);
  const baseKey = longestPrefix(Object.keys(PRICE_TABLE), id, prefixNames);
  // A user's key is a plain prefix: "claude-opus" reprices the whole family, as written.
  const overrideKey = longestPrefix(Object.keys(overrides), id, (key, model) => model.startsWith(key));
  const base = baseKey === null ? undefined : PRICE_TABLE[baseKey];
  const over = overrideKey === null ? {} : (overrides[overrideKey] ?? {});
  const input = over.input ?? base?.input;
  const output = over.output ?? base?.output;
  if (input === undefined || output === undefined) return null;
  // For a model only the user priced, Anthropic's usual cache multipliers fill the gaps.
  return {
    input,
    output,
    cacheWrite: over.cacheWrite ?? base?.cacheWrite ?? input * 1.25,
    cacheWrite1h: over.cacheWrite1h ?? base?.cacheWrite1h ?? input * 2,
    cacheRead: over.cacheRead ?? base?.cacheRead ?? input * 0.1,
  };
};

export interface CostEstimate {
  /** Sum over every model, or null as soon as one model with tokens has no price. */
  costUsd: number | null;
  costKnown: boolean;
  /** Sum over the models that have a price (a lower bound when costKnown is false). */
  knownUsd: number;
  byModel: Record<string, number | null>;
  unknownModels: string[];
}

type Tokens = TokenCounts & Partial<Pick<ModelTokens, "cacheCreation1h">>;

export const costOf = (t: Tokens, p: ModelPrice): number => {
  const oneHour = Math.min(t.cacheCreation1h ?? 0, t.cacheCreation);
  const perMillion =
    t.input * p.input +
    t.output * p.output +
    (t.cacheCreation - oneHour) * p.cacheWrite +
    oneHour * p.cacheWrite1h +
    t.cacheRead * p.cacheRead;
  return perMillion / 1_000_000;
};

export const estimateCost = (
  tokensByModel: Readonly<Record<string, Tokens>>,
  overrides: PriceOverrides = {},
): CostEstimate => {
  const byModel: Record<string, number | null> = {};
  const unknownModels: string[] = [];
  let knownUsd = 0;
  for (const [model, tokens] of Object.entries(tokensByModel)) {
    const empty = tokens.input + tokens.output + tokens.cacheCreation + tokens.cacheRead === 0;
    const price = priceFor(model, overrides);
    const cost = empty ? 0 : price === null ? null : costOf(tokens, price);
    Object.defineProperty(byModel, model, { value: cost, enumerable: true, writable: true });
    if (cost === null) unknownModels.push(model);
    else knownUsd += cost;
  }
  const costKnown = unknownModels.length === 0;
  return { costUsd: costKnown ? knownUsd : null, costKnown, knownUsd, byModel, unknownModels };
};
