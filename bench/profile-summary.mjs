// Summarises a V8 CPU profile (from `npm run bench -- --cpu-prof NAME`): the functions with the
// most self time and the most total (inclusive) time, so a missed target can be traced to code.
// Usage: node bench/profile-summary.mjs bench-output/profiles/<file>.cpuprofile [--top 30] [--under NAME]
// --under NAME restricts the totals to samples beneath a function called NAME (e.g. rebuildProjections).
// better-sqlite3's native calls (run, all, COMMIT) have no frame of their own: V8 bills them to the
// JS function that calls them (e.g. `sqliteTransaction` self time is mostly COMMIT).
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
if (!file) {
  console.error("usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N] [--under FUNCTION]");
  process.exit(2);
}
const top = Number(opt("--top", "30"));
const under = opt("--under", null);
const profile = JSON.parse(readFileSync(file, "utf8"));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// Sample weights: time deltas (µs) attributed to the node that was sampled.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : "native";
  return `${f.functionName || "(anonymous)"} ${where}`;
};
const stack = (id) => {
  const out = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) out.push(nodes.get(cur));
  return out;
};
const self = new Map();
const total = new Map();
let all = 0;
for (const [id, us] of selfUs) {
  const s = stack(id);
  if (under && !s.some((n) => n.callFrame.functionName === under)) continue;
  all += us;
  const l = label(s[0]);
  self.set(l, (self.get(l) ?? 0) + us);
  const seen = new Set();
  for (const n of s) {
    const k = label(n);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
}
const print = (title, m) => {
  console.log(`\n${title} (of ${(all / 1e6).toFixed(2)} s${under ? ` under ${under}` : ""})`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(
      `${((100 * us) / all).toFixed(1).padStart(6)}%  ${(us / 1e6).toFixed(3).padStart(8)} s  ${k}`,
    );
  }
};
print("self time", self);
print("total time", total);
