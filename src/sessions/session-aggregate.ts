// Per-transcript aggregate (plain JSON, so it can be stored between scans) and the fold over lines.
import { normaliseTitle } from "./prompt-text.ts";
import type { LineMeta, TranscriptLine } from "./transcript-line.ts";
import { type CountedUsage, countUsage, type ModelTokens } from "./usage-ledger.ts";

/**
 * Bumped whenever the fold changes meaning: stored aggregates of another format are dropped and
 * their files read again from the start.
 */
export const AGGREGATE_FORMAT = 1;

export interface SessionAggregate {
  format: number;
  /** The first sessionId seen inside the file (subagent files carry their parent's). */
  sessionId: string | null;
  /** The first cwd: where the session was started, whatever the directory name encodes. */
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  customTitle: string | null;
  aiTitle: string | null;
  summary: string | null;
  firstPrompt: string | null;
  model: string | null;
  firstActivityMs: number | null;
  lastActivityMs: number | null;
  userMessages: number;
  assistantMessages: number;
  tokensByModel: Record<string, ModelTokens>;
  /** Recent usage keys, oldest first; a bounded window (see USAGE_WINDOW). */
  recentUsage: CountedUsage[];
  lines: number;
  badLines: number;
  skippedLines: number;
  oversizedLines: number;
}

// Claude Code writes this as the model of messages it makes up itself (errors, "No response requested").
const SYNTHETIC_MODEL = "<synthetic>";

export const emptyAggregate = (): SessionAggregate => ({
  format: AGGREGATE_FORMAT,
  sessionId: null,
  cwd: null,
  gitBranch: null,
  version: null,
  customTitle: null,
  aiTitle: null,
  summary: null,
  firstPrompt: null,
  model: null,
  firstActivityMs: null,
  lastActivityMs: null,
  userMessages: 0,
  assistantMessages: 0,
  tokensByModel: {},
  recentUsage: [],
  lines: 0,
  badLines: 0,
  skippedLines: 0,
  oversizedLines: 0,
});

export const cloneAggregate = (agg: SessionAggregate): SessionAggregate => structuredClone(agg);

/** Pure: the aggregate after one more line. */
export const foldLine = (agg: SessionAggregate, line: TranscriptLine): SessionAggregate =>
  applyLine(cloneAggregate(agg), line);

/** Pure: the aggregate after these lines (one copy, however many lines). */
export const foldLines = (agg: SessionAggregate, lines: Iterable<TranscriptLine>): SessionAggregate => {
  const next = cloneAggregate(agg);
  for (const line of lines) applyLine(next, line);
  return next;
};

/** Counts a line that was too long to parse (the reader never hands it over). */
export const applyOversizedLine = (agg: SessionAggregate): SessionAggregate => {
  agg.lines++;
  agg.oversizedLines++;
  return agg;
};

/** Mutates and returns `agg`: for callers that own a copy (the scanner folds thousands of lines). */
export const applyLine = (agg: SessionAggregate, line: TranscriptLine): SessionAggregate => {
  if (line.kind === "blank") return agg;
  agg.lines++;
  if (line.kind === "bad") {
    agg.badLines++;
    return agg;
  }
  applyMeta(agg, line.meta);
  switch (line.kind) {
    case "user":
      if (line.prompt !== null && !line.meta.isSidechain) {
        agg.userMessages++;
        agg.firstPrompt ??= normaliseTitle(line.prompt);
      }
      break;
    case "assistant":
      applyAssistant(agg, line);
      break;
    case "title": {
      const title = normaliseTitle(line.title);
      if (line.source === "custom-title") agg.customTitle = title;
      else if (line.source === "ai-title") agg.aiTitle = title;
      else if (title !== null) agg.summary = title;
      break;
    }
    case "other":
      agg.skippedLines++;
      break;
  }
  return agg;
};

const applyMeta = (agg: SessionAggregate, meta: LineMeta): void => {
  agg.sessionId ??= meta.sessionId;
  if (meta.cwd !== null && meta.cwd !== "") agg.cwd ??= meta.cwd;
  // Branch and version follow the session as it goes on (checkouts, resumes under a newer CLI).
  if (meta.gitBranch !== null && meta.gitBranch !== "") agg.gitBranch = meta.gitBranch;
  if (meta.version !== null) agg.version = meta.version;
  const ts = meta.timestamp;
  if (ts !== null) {
    if (agg.firstActivityMs === null || ts < agg.firstActivityMs) agg.firstActivityMs = ts;
    if (agg.lastActivityMs === null || ts > agg.lastActivityMs) agg.lastActivityMs = ts;
  }
};

const applyAssistant = (agg: SessionAggregate, line: TranscriptLine & { kind: "assistant" }): void => {
  if (line.model === SYNTHETIC_MODEL) return;
  const isNew = countUsage(agg, line);
  if (line.meta.isSidechain) return;
  if (line.model !== null) agg.model = line.model;
  if (isNew) agg.assistantMessages++;
};
