// Text formats shared by the views: numbers, money, times, labels for sessions and actors, URLs.
import type { Actor } from "../../../domain/actor.ts";
import type { Session, Tokens } from "../../../domain/session.ts";
import type { TaskStatus } from "../../../domain/task.ts";

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

export const fmtCount = (n: number): string => (n < 10_000 ? String(n) : compact.format(n));

export const totalTokens = (t: Tokens): number => t.input + t.output + t.cacheCreation + t.cacheRead;

export const fmtUsd = (n: number | null): string =>
  n === null ? "—" : n > 0 && n < 0.005 ? "<$0.01" : `$${n.toFixed(2)}`;

/** "2026-11-23 12:04 UTC": what a time shows before the page's script makes it relative. */
const UTC_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/;

export const fmtTime = (iso: string): string => {
  // Claire's times are UTC ISO strings: cut them rather than parse (thousands per board).
  if (UTC_ISO.test(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
};

export const STATUS_LABEL: Readonly<Record<TaskStatus, string>> = {
  todo: "To do",
  in_progress: "In progress",
  blocked: "Blocked",
  done: "Done",
  cancelled: "Cancelled",
};

export const sessionKeyOf = (s: { machineId: string; sessionId: string }): string =>
  `${s.machineId}/${s.sessionId}`;

export const sessionHref = (s: { machineId: string; sessionId: string }): string =>
  `/sessions/${encodeURIComponent(sessionKeyOf(s))}`;

export const taskHref = (id: string): string => `/tasks/${encodeURIComponent(id)}`;
export const projectHref = (id: string): string => `/projects/${encodeURIComponent(id)}`;
export const groupHref = (id: string): string => `/groups/${encodeURIComponent(id)}`;

const lastPart = (path: string): string => {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
};

/** What people call a session: its title, else the directory it runs in, else its handle. */
export const sessionName = (s: Pick<Session, "title" | "cwd" | "handle">): string => {
  const t = s.title?.trim();
  if (t) return t.length > 80 ? `${t.slice(0, 79)}…` : t;
  return s.cwd ? lastPart(s.cwd) : s.handle;
};

export const actorLabel = (a: Actor): string => (a.kind === "session" ? `session ${a.id.slice(0, 8)}` : a.id);

export const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
