// Closest known key to a typo, so `sever` gets "did you mean 'server'?" instead of a bare refusal.

/** Optimal string alignment distance: Levenshtein plus adjacent swaps ("prot" -> "port" is 1). */
export const editDistance = (a: string, b: string): number => {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]![j]!;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      rows[i]![j] = best;
    }
  }
  return at(a.length, b.length);
};

/**
 * The candidate within distance 2 of `word` (case and `-` versus `_` ignored), nearest first and
 * earliest on ties; none when the word is so short that two edits could reach anything.
 */
export const closest = (word: string, candidates: readonly string[], maxDistance = 2): string | undefined => {
  const norm = (s: string) => s.toLowerCase().replaceAll("-", "_");
  let best: { key: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(norm(word), norm(c));
    if (d <= maxDistance && d < word.length && (best === undefined || d < best.d)) best = { key: c, d };
  }
  return best?.key;
};
