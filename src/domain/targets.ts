// Which sessions a message reaches: members at the message's HLC that had started before it.
// Pure, so every machine evaluating the same facts picks the same targets.
import { matchesGlob } from "./glob.ts";
import type { MessageTarget } from "./message.ts";

export type TargetCandidate = {
  readonly key: string;
  readonly machineId: string;
  readonly machineName: string | null;
  readonly cwd: string | null;
  readonly firstActivityMs: number | null;
  readonly endedBeforeMessage: boolean;
  /** Projects whose tasks this session owns. */
  readonly projects: readonly string[];
};

export type GroupFacts = {
  readonly rules: readonly string[];
  /** Explicit members with the stamp at which they were added. */
  readonly members: readonly { readonly key: string; readonly stamp: string }[];
};

export const matchesRule = (rule: string, s: TargetCandidate): boolean => {
  const i = rule.indexOf(":");
  const kind = rule.slice(0, i);
  const value = rule.slice(i + 1);
  switch (kind) {
    case "machine":
      return s.machineId === value || (s.machineName !== null && s.machineName === value);
    case "cwd":
      return s.cwd !== null && (matchesGlob(s.cwd, value) || s.cwd === value);
    case "project":
      return s.projects.includes(value);
    default:
      return false;
  }
};

export const isMessageTarget = (
  target: MessageTarget,
  messageStamp: string,
  messageMs: number,
  s: TargetCandidate,
  group: GroupFacts | null,
): boolean => {
  if (s.endedBeforeMessage) return false;
  if (s.firstActivityMs !== null && s.firstActivityMs > messageMs) return false;
  switch (target.kind) {
    case "session":
      return `${target.session.machineId}/${target.session.sessionId}` === s.key;
    case "machine":
      return target.machineId === s.machineId;
    case "all":
      return true;
    case "group":
      if (!group) return false;
      return (
        group.members.some((m) => m.key === s.key && m.stamp < messageStamp) ||
        group.rules.some((r) => matchesRule(r, s))
      );
  }
};
