// Human output: aligned tables, relative times, colour that respects NO_COLOR and non-TTY output.
import pc from "picocolors";

const useColor = (): boolean =>
  process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb";

export const color = {
  dim: (s: string) => (useColor() ? pc.dim(s) : s),
  bold: (s: string) => (useColor() ? pc.bold(s) : s),
  green: (s: string) => (useColor() ? pc.green(s) : s),
  yellow: (s: string) => (useColor() ? pc.yellow(s) : s),
  red: (s: string) => (useColor() ? pc.red(s) : s),
  cyan: (s: string) => (useColor() ? pc.cyan(s) : s),
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes to measure width
const visible = (s: string): number => s.replace(/\u001b\[[0-9;]*m/g, "").length;

export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  if (rows.length === 0) return "";
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i]! - visible(c))))
      .join("  ")
      .trimEnd();
  return [color.dim(line(headers)), ...rows.map(line)].join("\n");
};

export const truncate = (s: string | null | undefined, max: number): string => {
  if (!s) return "";
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

export const relativeTime = (iso: string | null | undefined, now = Date.now()): string => {
  if (!iso) return "-";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "-";
  const s = Math.round((now - t) / 1000);
  const abs = Math.abs(s);
  const unit =
    abs < 60
      ? `${abs}s`
      : abs < 3600
        ? `${Math.floor(abs / 60)}m`
        : abs < 86_400
          ? `${Math.floor(abs / 3600)}h`
          : `${Math.floor(abs / 86_400)}d`;
  return s >= 0 ? `${unit} ago` : `in ${unit}`;
};

export const compactNumber = (n: number): string =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)}G`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)}M`
      : n >= 1e4
        ? `${(n / 1e3).toFixed(0)}k`
        : String(n);

export const usd = (n: number | null | undefined): string =>
  n === null || n === undefined ? "-" : `$${n.toFixed(2)}`;

export const statusColor = (status: string): string => {
  switch (status) {
    case "done":
    case "working":
      return color.green(status);
    case "blocked":
    case "waiting":
      return color.yellow(status);
    case "cancelled":
    case "ended":
      return color.dim(status);
    default:
      return status;
  }
};
