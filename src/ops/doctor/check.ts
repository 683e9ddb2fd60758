// One line of `claire doctor`: what was checked, how it went, and for anything not right, the
// exact step that fixes it.
export type CheckStatus = "pass" | "warn" | "fail";

export type Check = {
  /** Stable id for scripts (`--json`): "database.integrity", "peer:http://…". */
  readonly id: string;
  readonly status: CheckStatus;
  /** What was checked, in a few words. */
  readonly title: string;
  /** What was found. */
  readonly detail: string;
  /** For warn and fail: what to do about it. */
  readonly fix?: string;
};

export const pass = (id: string, title: string, detail: string): Check => ({
  id,
  status: "pass",
  title,
  detail,
});
export const warn = (id: string, title: string, detail: string, fix: string): Check => ({
  id,
  status: "warn",
  title,
  detail,
  fix,
});
export const fail = (id: string, title: string, detail: string, fix: string): Check => ({
  id,
  status: "fail",
  title,
  detail,
  fix,
});

export const mib = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

export const plural = (n: number, word: string): string =>
  `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

export const duration = (ms: number): string => {
  const a = Math.abs(ms);
  if (a < 1_000) return `${Math.round(a)} ms`;
  if (a < 120_000) return `${Math.round(a / 1_000)} s`;
  if (a < 7_200_000) return `${Math.round(a / 60_000)} min`;
  if (a < 172_800_000) return `${Math.round(a / 3_600_000)} h`;
  return `${Math.round(a / 86_400_000)} days`;
};
