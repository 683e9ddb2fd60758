// The public per-session view: a main transcript's aggregate plus its subagents', priced.
import { estimateCost, type PriceOverrides } from "./prices.ts";
import type { SessionAggregate } from "./session-aggregate.ts";
import { type ModelTokens, modelEntry, type TokenCounts, totalTokens } from "./usage-ledger.ts";

export type TitleSourceName = "custom-title" | "ai-title" | "summary" | "first-prompt";

export interface SessionFacts {
  sessionId: string;
  configDir: string;
  transcriptPath: string;
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  title: string | null;
  titleSource: TitleSourceName | null;
  model: string | null;
  /** ISO 8601 (UTC), from the lines' own timestamps, subagents included. */
  firstActivity: string | null;
  lastActivity: string | null;
  /** Prompts a person typed in the main conversation (not tool results, commands or subagent turns). */
  userMessages: number;
  /** API responses in the main conversation, each counted once however many lines it spans. */
  assistantMessages: number;
  /** Subagents included: their API calls are billed to the session that started them. */
  tokens: TokenCounts;
  tokensByModel: Record<string, ModelTokens>;
  /** Estimated USD; null when a model with tokens has no price (see prices.ts). */
  costUsd: number | null;
  /** Lines that could not be read: malformed JSON and lines over the size cap. */
  badLines: number;
}

/** Latest custom title, else latest AI title, else the latest summary, else the first prompt. */
export const titleOf = (
  agg: SessionAggregate,
): { title: string | null; titleSource: TitleSourceName | null } => {
  if (agg.customTitle !== null) return { title: agg.customTitle, titleSource: "custom-title" };
  if (agg.aiTitle !== null) return { title: agg.aiTitle, titleSource: "ai-title" };
  if (agg.summary !== null) return { title: agg.summary, titleSource: "summary" };
  if (agg.firstPrompt !== null) return { title: agg.firstPrompt, titleSource: "first-prompt" };
  return { title: null, titleSource: null };
};

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const pick = (values: (number | null)[], better: (a: number, b: number) => boolean): number | null =>
  values.reduce<number | null>(
    (best, v) => (v !== null && (best === null || better(v, best)) ? v : best),
    null,
  );

const mergeTokens = (aggs: readonly SessionAggregate[]): Record<string, ModelTokens> => {
  const merged: Record<string, ModelTokens> = {};
  for (const agg of aggs) {
    for (const [model, t] of Object.entries(agg.tokensByModel)) {
      const into = modelEntry(merged, model);
      into.input += t.input;
      into.output += t.output;
      into.cacheCreation += t.cacheCreation;
      into.cacheRead += t.cacheRead;
      into.cacheCreation1h += t.cacheCreation1h;
    }
  }
  return merged;
};

export interface SessionFiles {
  sessionId: string;
  configDir: string;
  transcriptPath: string;
  main: SessionAggregate;
  subagents: readonly SessionAggregate[];
}

export const sessionFactsOf = (files: SessionFiles, overrides: PriceOverrides = {}): SessionFacts => {
  const { main } = files;
  const all = [main, ...files.subagents];
  const tokensByModel = mergeTokens(all);
  return {
    sessionId: files.sessionId,
    configDir: files.configDir,
    transcriptPath: files.transcriptPath,
    cwd: main.cwd,
    gitBranch: main.gitBranch,
    version: main.version,
    ...titleOf(main),
    model: main.model,
    firstActivity: iso(
      pick(
        all.map((a) => a.firstActivityMs),
        (a, b) => a < b,
      ),
    ),
    lastActivity: iso(
      pick(
        all.map((a) => a.lastActivityMs),
        (a, b) => a > b,
      ),
    ),
    userMessages: main.userMessages,
    assistantMessages: main.assistantMessages,
    tokens: totalTokens(tokensByModel),
    tokensByModel,
    costUsd: estimateCost(tokensByModel, overrides).costUsd,
    badLines: all.reduce((n, a) => n + a.badLines + a.oversizedLines, 0),
  };
};
