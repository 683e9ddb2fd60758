// Gathers the files of the sessions a scan touched (main transcript plus subagents) into facts.
import type { PriceOverrides } from "./prices.ts";
import { type FileScanState, owningSessionId, type TranscriptKind } from "./scan-state.ts";
import { type SessionFacts, sessionFactsOf } from "./session-facts.ts";

export interface FileOwner {
  configDir: string;
  kind: TranscriptKind;
  sessionId: string | null;
}

/** Sessions are keyed by config dir and id: two config dirs may hold the same session id. */
export const sessionKey = (configDir: string, sessionId: string): string => `${configDir}\u0000${sessionId}`;

/** Facts for each wanted session that still has a main transcript, by session key. */
export const assembleSessions = (
  wanted: ReadonlySet<string>,
  files: ReadonlyMap<string, FileOwner>,
  load: (path: string) => FileScanState | undefined,
  overrides?: PriceOverrides,
): Map<string, SessionFacts> => {
  if (wanted.size === 0) return new Map();
  const groups = new Map<string, { main: string[]; subagents: string[] }>();
  for (const [path, f] of files) {
    if (f.sessionId === null) continue;
    const key = sessionKey(f.configDir, f.sessionId);
    if (!wanted.has(key)) continue;
    const group = groups.get(key) ?? { main: [], subagents: [] };
    (f.kind === "main" ? group.main : group.subagents).push(path);
    groups.set(key, group);
  }
  const facts = new Map<string, SessionFacts>();
  for (const [key, group] of groups) {
    // Subagent files alone wait for their main transcript. Two main files with one id (a session
    // moved between projects) resolve to the one active last.
    const mains = group.main.map(load).filter((s) => s !== undefined);
    if (mains.length === 0) continue;
    const main = mains.reduce((a, b) => ((b.agg.lastActivityMs ?? 0) > (a.agg.lastActivityMs ?? 0) ? b : a));
    const subagents = group.subagents.map(load).filter((s) => s !== undefined);
    const files = {
      sessionId: owningSessionId(main) as string,
      configDir: main.configDir,
      transcriptPath: main.path,
      main: main.agg,
      subagents: subagents.map((s) => s.agg),
    };
    facts.set(key, sessionFactsOf(files, overrides));
  }
  return facts;
};
