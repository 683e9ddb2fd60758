// Permissive parse of one Claude Code transcript line into the few facts Claire keeps; never throws.
import {
  REDUCE_MIN_BYTES,
  REDUCE_MIN_CHARS,
  type ReducedLine,
  reduceLine,
  reduceLineBytes,
} from "./line-reducer.ts";
import { promptFromContent } from "./prompt-text.ts";
import type { QuoteIndex } from "./quote-index.ts";

/** Fields most lines carry; anything of the wrong type reads as absent. */
export interface LineMeta {
  readonly sessionId: string | null;
  readonly cwd: string | null;
  readonly gitBranch: string | null;
  readonly version: string | null;
  /** Milliseconds since the epoch, or null when absent or unparseable. */
  readonly timestamp: number | null;
  /** Subagent (Task tool) traffic: older versions write it into the main transcript. */
  readonly isSidechain: boolean;
  readonly agentId: string | null;
}

export interface LineUsage {
  readonly input: number;
  readonly output: number;
  readonly cacheCreation: number;
  readonly cacheRead: number;
  /** The part of cacheCreation written to the 1-hour cache, which is priced higher. */
  readonly cacheCreation1h: number;
}

export type TitleSource = "custom-title" | "ai-title" | "summary";

export type TranscriptLine =
  | { readonly kind: "blank" }
  | { readonly kind: "bad" }
  /** prompt: the person's text, or null for tool results, commands, meta and compaction lines. */
  | { readonly kind: "user"; readonly meta: LineMeta; readonly prompt: string | null }
  | {
      readonly kind: "assistant";
      readonly meta: LineMeta;
      readonly messageId: string | null;
      readonly requestId: string | null;
      /** Set on lines a fork copied from the session that made (and paid for) the request. */
      readonly requestSessionId: string | null;
      readonly model: string | null;
      readonly usage: LineUsage | null;
    }
  /** title "" means the title was cleared (Claude Code writes an empty custom title on reset). */
  | { readonly kind: "title"; readonly meta: LineMeta; readonly source: TitleSource; readonly title: string }
  /** Valid JSON of a type Claire does not interpret (system, progress, snapshots, future types). */
  | { readonly kind: "other"; readonly meta: LineMeta; readonly type: string | null };

type Json = Record<string, unknown>;

// Model names become map keys and event fields; a longer one is not a real model id.
const MODEL_MAX_CHARS = 200;

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
/**
 * A token count one API response could have. Beyond a billion it is a damaged line, ignored like
 * any other bad value: summed, it would push the session's totals past what can be recorded and
 * the whole session would be refused.
 */
const MAX_TOKENS_PER_RESPONSE = 1e9;
const count = (v: unknown): number =>
  typeof v === "number" && Number.isFinite(v) && v > 0 && v <= MAX_TOKENS_PER_RESPONSE ? v : 0;
const obj = (v: unknown): Json | null =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : null;

const timestampOf = (v: unknown): number | null => {
  if (typeof v !== "string" && typeof v !== "number") return null;
  const ms = typeof v === "number" ? v : Date.parse(v);
  // Beyond this a Date cannot be made from it (and no transcript line was written then).
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : null;
};

const metaOf = (j: Json): LineMeta => ({
  sessionId: str(j.sessionId),
  cwd: str(j.cwd),
  gitBranch: str(j.gitBranch),
  version: str(j.version),
  timestamp: timestampOf(j.timestamp),
  isSidechain: j.isSidechain === true,
  agentId: str(j.agentId),
});

const usageOf = (v: unknown): LineUsage | null => {
  const u = obj(v);
  if (u === null) return null;
  const cacheCreation = count(u.cache_creation_input_tokens);
  const oneHour = count(obj(u.cache_creation)?.ephemeral_1h_input_tokens);
  return {
    input: count(u.input_tokens),
    output: count(u.output_tokens),
    cacheCreation,
    cacheRead: count(u.cache_read_input_tokens),
    cacheCreation1h: Math.min(oneHour, cacheCreation),
  };
};

const userLine = (j: Json, meta: LineMeta): TranscriptLine => {
  // Meta lines (caveats, expanded skills) and compaction summaries are written by Claude Code.
  const generated = j.isMeta === true || j.isCompactSummary === true || j.isVisibleInTranscriptOnly === true;
  const prompt = generated ? null : promptFromContent(obj(j.message)?.content);
  return { kind: "user", meta, prompt };
};

const assistantLine = (j: Json, meta: LineMeta): TranscriptLine => {
  const message = obj(j.message);
  return {
    kind: "assistant",
    meta,
    messageId: str(message?.id),
    requestId: str(j.requestId),
    requestSessionId: str(j.requestSessionId),
    model: str(message?.model)?.slice(0, MODEL_MAX_CHARS) ?? null,
    usage: usageOf(message?.usage),
  };
};

const titleLine = (source: TitleSource, value: unknown, meta: LineMeta): TranscriptLine =>
  typeof value === "string"
    ? { kind: "title", meta, source, title: value }
    : { kind: "other", meta, type: source };

/** Classifies one line (without its "\n"). Malformed JSON and non-objects are "bad". */
export const parseTranscriptLine = (text: string): TranscriptLine => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trim() === "" ? { kind: "blank" } : { kind: "bad" };
  }
  const j = obj(value);
  if (j === null) return { kind: "bad" };
  const meta = metaOf(j);
  const type = str(j.type);
  switch (type) {
    case "user":
      return userLine(j, meta);
    case "assistant":
      return assistantLine(j, meta);
    case "custom-title":
      return titleLine("custom-title", j.customTitle, meta);
    case "ai-title":
      return titleLine("ai-title", j.aiTitle, meta);
    case "summary":
      return titleLine("summary", j.summary, meta);
    default:
      return { kind: "other", meta, type };
  }
};

/**
 * parseTranscriptLine, faster on long lines: long strings Claire never reads are blanked first
 * (line-reducer.ts). The result is the same, except that such a string holding an invalid JSON
 * escape no longer makes its line "bad". A user line whose content text was blanked, and which
 * is not a tool result, is parsed whole (its prompt text matters).
 */
export const parseTranscriptLineFast = (text: string): TranscriptLine => {
  if (text.length < REDUCE_MIN_CHARS) return parseTranscriptLine(text);
  const reduced = reduceLine(text);
  if (reduced === null) return parseTranscriptLine(text);
  return parseReduced(reduced, () => text);
};

const parseReduced = (reduced: ReducedLine, whole: () => string): TranscriptLine => {
  const line = parseTranscriptLine(reduced.text);
  if (line.kind === "bad") return parseTranscriptLine(whole());
  if (line.kind === "user" && reduced.blankedInContent && !reduced.toolResult)
    return parseTranscriptLine(whole());
  return line;
};

/**
 * parseTranscriptLineFast for the bytes buf[start, end) of a line (UTF-8, without its "\n"). A
 * line in the quote index's buffer is reduced from its bytes (reduceLineBytes), so most of it is
 * never decoded; any other line is decoded first.
 */
export const parseTranscriptLineBytes = (
  buf: Buffer,
  start: number,
  end: number,
  index: QuoteIndex | null,
): TranscriptLine => {
  if (index === null || buf.buffer !== index.buffer.buffer || buf.byteOffset !== index.buffer.byteOffset)
    return parseTranscriptLineFast(buf.toString("utf8", start, end));
  if (end - start < REDUCE_MIN_BYTES) return parseTranscriptLine(buf.toString("utf8", start, end));
  const reduced = reduceLineBytes(buf, start, end, index);
  const whole = () => buf.toString("utf8", start, end);
  return reduced === null ? parseTranscriptLine(whole()) : parseReduced(reduced, whole);
};
