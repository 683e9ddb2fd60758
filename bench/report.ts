// Turning a benchmark's figures into reports: ratio, resolved target, met; one human line each.
import type { Figure, FigureReport } from "./index.ts";

/** Resolves the figure's target (none in smoke runs) and judges it. */
export const toReport = (f: Figure, smoke: boolean): FigureReport => {
  const ratio = f.value / f.baseline;
  let target: number | null = null;
  if (!smoke && f.target !== undefined) {
    target = typeof f.target === "number" ? f.target : f.target.ratio * f.baseline;
  }
  const met = target === null ? null : f.better === "higher" ? f.value >= target : f.value <= target;
  return {
    name: f.name,
    value: f.value,
    unit: f.unit,
    baseline: f.baseline,
    ratio,
    target,
    better: f.better,
    met,
  };
};

/** 1,234,567 / 12,345 / 123.4 / 12.34 / 1.234 / 0.1234 */
export const formatNumber = (n: number): string => {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1000) return Math.round(n).toLocaleString("en-US");
  if (a >= 100) return n.toFixed(1);
  if (a >= 10) return n.toFixed(2);
  if (a >= 1) return n.toFixed(3);
  return n.toPrecision(3);
};

const targetText = (f: Figure, r: FigureReport, smoke: boolean): string => {
  if (r.target === null) return smoke && f.target !== undefined ? "target skipped (smoke)" : "no target";
  const sign = f.better === "higher" ? ">=" : "<=";
  const relative = typeof f.target === "object" ? ` (${f.target.ratio}x baseline)` : "";
  return `target ${sign} ${formatNumber(r.target)} ${f.unit}${relative}: ${r.met ? "met" : "MISSED"}`;
};

/** One human-readable line: name, value, same-run baseline, ratio, target and met/missed. */
export const formatLine = (f: Figure, r: FigureReport, smoke: boolean): string =>
  [
    `${f.name.padEnd(26)} ${`${formatNumber(f.value)} ${f.unit}`.padStart(22)}`,
    `baseline ${formatNumber(f.baseline)} ${f.unit} (${f.baselineLabel})`,
    `ratio ${formatNumber(r.ratio)}x`,
    targetText(f, r, smoke),
  ].join("  |  ");
