// Best-effort line number of a key in claire.toml, so errors point at the line to edit.
// It reads headers and `key =` lines only; inline tables and dotted keys yield no line, which
// is fine because the error still names the key.

type Block = { readonly segs: readonly PropertyKey[]; readonly line: number; readonly end: number };

/** Splits a TOML key like `prices."claude-3.5"` into its segments, dropping quotes. */
const splitKey = (key: string): string[] =>
  (key.match(/"(?:[^"\\]|\\.)*"|'[^']*'|[^.]+/g) ?? []).map((s) => {
    const t = s.trim();
    return t.startsWith('"') ? (JSON.parse(t) as string) : t.startsWith("'") ? t.slice(1, -1) : t;
  });

const blocksOf = (lines: readonly string[]): Block[] => {
  const heads: { segs: PropertyKey[]; line: number }[] = [{ segs: [], line: 0 }];
  const arrayCounts = new Map<string, number>();
  lines.forEach((text, i) => {
    const arr = /^\s*\[\[\s*(.+?)\s*\]\]/.exec(text);
    const table = arr ? undefined : /^\s*\[\s*([^[\]]+?)\s*\]/.exec(text);
    if (arr?.[1] !== undefined) {
      const segs = splitKey(arr[1]);
      const n = arrayCounts.get(segs.join(".")) ?? 0;
      arrayCounts.set(segs.join("."), n + 1);
      heads.push({ segs: [...segs, n], line: i + 1 });
    } else if (table?.[1] !== undefined) heads.push({ segs: splitKey(table[1]), line: i + 1 });
  });
  return heads.map((h, i) => ({ ...h, end: heads[i + 1]?.line ?? lines.length + 1 }));
};

const isPrefix = (prefix: readonly PropertyKey[], path: readonly PropertyKey[]): boolean =>
  prefix.length <= path.length && prefix.every((seg, i) => seg === path[i]);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const locateKey = (text: string, path: readonly PropertyKey[]): number | undefined => {
  const lines = text.split(/\r?\n/);
  let block: Block | undefined;
  for (const b of blocksOf(lines))
    if (isPrefix(b.segs, path) && (block === undefined || b.segs.length > block.segs.length)) block = b;
  if (block === undefined) return undefined;
  // Try the longest dotted form first, so `server.port = 1` at the top level is found too.
  const rest = path.slice(block.segs.length);
  const stop = rest.findIndex((seg) => typeof seg !== "string");
  const names = stop === -1 ? rest : rest.slice(0, stop);
  for (let n = names.length; n > 0; n--) {
    const dotted = names
      .slice(0, n)
      .map((seg) => {
        const k = escapeRegExp(String(seg));
        return `(?:${k}|"${k}"|'${k}')`;
      })
      .join("\\s*\\.\\s*");
    const keyLine = new RegExp(`^\\s*${dotted}\\s*=`);
    for (let i = block.line; i < block.end - 1; i++) if (keyLine.test(lines[i] ?? "")) return i + 1;
  }
  return block.line || undefined;
};
