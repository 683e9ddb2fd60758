// From what the sources say about one session (transcripts, liveness, the command lister) to the
// fields a `session.observed` event carries (src/domain/session.ts), privacy setting applied.
import type { SessionFacts as DomainFacts } from "../domain/session.ts";
import type { CommandSession } from "./command-source.ts";
import type { LiveSignal } from "./liveness.ts";
import type { SessionFacts as TranscriptFacts } from "./session-facts.ts";

export type { DomainFacts };

/** What every source knows about one session at one refresh. */
export interface SessionSources {
  /** The session's transcript facts, one per config dir holding a copy. */
  transcripts: readonly TranscriptFacts[];
  /** The believed liveness signal (see pickSignal), if any source says the session runs. */
  live: LiveSignal | undefined;
  command: CommandSession | undefined;
  /** Its main transcript disappeared in this refresh. */
  transcriptRemoved: boolean;
}

const cut = (s: string | null | undefined, max: number): string | null | undefined =>
  typeof s === "string" ? s.slice(0, max) : s;

// Floating sums of per-model costs: a stable, readable value in events.
const roundUsd = (usd: number | null): number | null => (usd === null ? null : Math.round(usd * 1e9) / 1e9);

/** The event fields of a transcript's facts (the rest, like per-model tokens, stay local). */
export const transcriptToDomain = (f: TranscriptFacts): DomainFacts => ({
  cwd: cut(f.cwd, 4096),
  gitBranch: cut(f.gitBranch, 512),
  version: cut(f.version, 64),
  title: cut(f.title, 500),
  model: cut(f.model, 200),
  transcriptPath: cut(f.transcriptPath, 4096),
  firstActivity: f.firstActivity,
  lastActivity: f.lastActivity,
  userMessages: f.userMessages,
  assistantMessages: f.assistantMessages,
  // Integers in events; a usage line with a fractional count must not make the session unrecordable.
  tokens: {
    input: Math.round(f.tokens.input),
    output: Math.round(f.tokens.output),
    cacheCreation: Math.round(f.tokens.cacheCreation),
    cacheRead: Math.round(f.tokens.cacheRead),
  },
  costUsd: roundUsd(f.costUsd),
});

const commandToDomain = (c: CommandSession): DomainFacts => ({
  cwd: c.cwd,
  gitBranch: c.gitBranch,
  version: c.version,
  title: c.title,
  model: c.model,
  transcriptPath: c.transcriptPath,
  firstActivity: c.firstActivity,
  lastActivity: c.lastActivity,
  userMessages: c.userMessages ?? undefined,
  assistantMessages: c.assistantMessages ?? undefined,
  tokens: c.tokens ?? undefined,
  costUsd: c.costUsd,
});

/** Copies the fields `from` knows (not null, not undefined) over `into`. */
const overlay = (into: DomainFacts, from: DomainFacts): void => {
  for (const [k, v] of Object.entries(from)) {
    if (v !== null && v !== undefined) (into as Record<string, unknown>)[k] = v;
  }
};

/** The copy active last, when a session's transcript sits in several config dirs. */
export const latestTranscript = (copies: readonly TranscriptFacts[]): TranscriptFacts | undefined =>
  copies.reduce<TranscriptFacts | undefined>(
    (best, f) => (best === undefined || (f.lastActivity ?? "") > (best.lastActivity ?? "") ? f : best),
    undefined,
  );

/**
 * The facts to record for a session. Fields no source knows are left out, so what was recorded
 * before stays (a removed transcript keeps its history; only the state changes).
 */
export const composeFacts = (s: SessionSources, shareTitles: boolean): DomainFacts => {
  const facts: DomainFacts = {};
  if (s.command) overlay(facts, commandToDomain(s.command));
  const transcript = latestTranscript(s.transcripts);
  if (transcript) overlay(facts, transcriptToDomain(transcript));
  const live = s.live !== undefined && s.live.state !== "ended" ? s.live : undefined;
  if (live) {
    // A signal that does not know (a hook's: null) says nothing: the directory the hooks recorded
    // for a session whose transcript is out of sight must not be erased by every scan.
    if (live.cwd !== null) facts.cwd ??= live.cwd;
    if (live.version !== null) facts.version ??= live.version;
    facts.state = live.state;
    facts.stateReason = live.stateReason;
    facts.pid = live.pid;
  } else if (s.command?.state && !s.live) {
    facts.state = s.command.state;
    facts.stateReason = s.command.stateReason ?? null;
    facts.pid = s.command.state === "ended" ? null : (s.command.pid ?? null);
  } else {
    facts.state = "ended";
    facts.stateReason = s.live?.stateReason ?? (s.transcriptRemoved ? "transcript removed" : null);
    facts.pid = null;
  }
  if (transcript || (s.live && s.live.source !== "command")) facts.source = "claude";
  else if (s.command) facts.source = "command";
  // sessions.share_titles = false: titles (which may be a first prompt) never go into an event.
  if (!shareTitles && ("title" in facts || transcript || s.command)) facts.title = null;
  for (const k of Object.keys(facts) as (keyof DomainFacts)[]) if (facts[k] === undefined) delete facts[k];
  return facts;
};

/** The fields of `next` that differ from `prev` (everything when there is no `prev`). */
export const diffFacts = (prev: DomainFacts | undefined, next: DomainFacts): DomainFacts => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined) continue;
    const before = prev?.[k as keyof DomainFacts];
    if (before === undefined || JSON.stringify(v) !== JSON.stringify(before)) out[k] = v;
  }
  return out as DomainFacts;
};
