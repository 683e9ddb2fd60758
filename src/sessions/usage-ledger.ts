// Token counting for one transcript: usage summed per model, repeated lines of a response counted once.
import type { TranscriptLine } from "./transcript-line.ts";

export interface TokenCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

/** Per-model tokens; cacheCreation1h is the part of cacheCreation written to the 1-hour cache. */
export interface ModelTokens extends TokenCounts {
  cacheCreation1h: number;
}

/** [message.id:requestId, input, output, cacheCreation, cacheRead, cacheCreation1h] already counted. */
export type CountedUsage = [string, number, number, number, number, number];

export interface UsageLedger {
  tokensByModel: Record<string, ModelTokens>;
  /** Recent usage keys, oldest first; a bounded window (see USAGE_WINDOW). */
  recentUsage: CountedUsage[];
}

/**
 * One API response is written as several lines (one per content block) that repeat its usage,
 * sometimes as growing snapshots. They are adjacent in the file, so a short window of recent keys
 * catches them without the state growing with the session; a repeat further back than this would
 * be counted twice.
 */
export const USAGE_WINDOW = 64;

/** Model key for usage lines that name no model. */
export const UNKNOWN_MODEL = "unknown";

/** Adds what this line's usage holds beyond what its key already counted; true on a new key. */
export const countUsage = (agg: UsageLedger, line: TranscriptLine & { kind: "assistant" }): boolean => {
  // A fork starts with a copy of its origin's lines; their requests were billed to the origin.
  const copied = line.requestSessionId !== null && line.requestSessionId !== line.meta.sessionId;
  const u = copied ? null : line.usage;
  const now =
    u === null ? [0, 0, 0, 0, 0] : [u.input, u.output, u.cacheCreation, u.cacheRead, u.cacheCreation1h];
  const model = line.model ?? UNKNOWN_MODEL;
  if (line.messageId === null) {
    if (u !== null) addTokens(agg, model, now);
    return true;
  }
  // Without a requestId the message id alone still tells the repeated lines of one response apart.
  const key = `${line.messageId}:${line.requestId ?? ""}`;
  const seen = agg.recentUsage.find((e) => e[0] === key);
  if (seen === undefined) {
    if (u !== null) addTokens(agg, model, now);
    agg.recentUsage.push([key, now[0]!, now[1]!, now[2]!, now[3]!, now[4]!]);
    if (agg.recentUsage.length > USAGE_WINDOW) agg.recentUsage.shift();
    return true;
  }
  // Repeated lines may be growing snapshots of one response: count each field's maximum once.
  const delta = now.map((v, i) => Math.max(0, v - (seen[i + 1] as number)));
  for (let i = 0; i < 5; i++) seen[i + 1] = Math.max(seen[i + 1] as number, now[i]!);
  if (delta.some((n) => n > 0)) addTokens(agg, model, delta);
  return false;
};

const addTokens = (agg: UsageLedger, model: string, v: number[]): void => {
  const t = modelEntry(agg.tokensByModel, model);
  t.input += v[0]!;
  t.output += v[1]!;
  t.cacheCreation += v[2]!;
  t.cacheRead += v[3]!;
  t.cacheCreation1h += v[4]!;
};

// Model names come from files: "__proto__" or "constructor" must not reach Object.prototype.
export const modelEntry = (byModel: Record<string, ModelTokens>, model: string): ModelTokens => {
  if (Object.hasOwn(byModel, model)) return byModel[model]!;
  const value = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0, cacheCreation1h: 0 };
  Object.defineProperty(byModel, model, { value, enumerable: true, writable: true, configurable: true });
  return value;
};

/** Sum over models. */
export const totalTokens = (byModel: Record<string, TokenCounts>): TokenCounts => {
  const total = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
  for (const t of Object.values(byModel)) {
    total.input += t.input;
    total.output += t.output;
    total.cacheCreation += t.cacheCreation;
    total.cacheRead += t.cacheRead;
  }
  return total;
};
