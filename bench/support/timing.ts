// Timing helpers. Every measurement starts after a full GC (when Node runs with --expose-gc, as
// bench/launch.mjs does) so garbage from the setup is not billed to the measured code.

const gc = (globalThis as { gc?: () => void }).gc;

/** Collects garbage if the runtime allows it. */
export const collectGarbage = (): void => gc?.();

/** Runs fn once and returns its result with the elapsed wall time in seconds. */
export const timed = <T>(fn: () => T): { result: T; seconds: number } => {
  collectGarbage();
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
};

/** The median of a non-empty list (robust against one noisy round on a shared machine). */
export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) throw new Error("median of nothing");
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
