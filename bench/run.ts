// The benchmark runner (bundled and started by bench/launch.mjs; see bench/index.ts for usage).
// Human-readable lines go to stdout, or to stderr with --json so stdout holds only the JSON array.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { configureZod } from "../src/domain/zod-config.ts";
import { type Benchmark, type FigureReport, REGISTRY } from "./index.ts";
import { formatLine, toReport } from "./report.ts";

// As Claire's bundles configure zod when they load it (src/domain/zod-on-first-use.cjs).
configureZod(z);

type Options = { smoke: boolean; json: boolean; list: boolean; keep: boolean; names: string[] };

const USAGE = "usage: npm run bench -- [--smoke] [--json] [--list] [--keep] [--cpu-prof] [NAME...]";

const parseArgs = (argv: readonly string[]): Options => {
  const o: Options = { smoke: false, json: false, list: false, keep: false, names: [] };
  for (const a of argv) {
    if (a === "--smoke") o.smoke = true;
    else if (a === "--json") o.json = true;
    else if (a === "--list") o.list = true;
    else if (a === "--keep") o.keep = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith("-")) {
      console.error(`bench: unknown option ${a}\n${USAGE}`);
      process.exit(2);
    } else o.names.push(a);
  }
  return o;
};

type Entry = { file: string; bench: Benchmark };

/** A NAME with "bench/", ".ts" and ".bench" removed: "bench/event-core.bench.ts" -> "event-core". */
const fileOf = (name: string): string =>
  name
    .replace(/^bench\//, "")
    .replace(/\.ts$/, "")
    .replace(/\.bench$/, "");

/** A NAME matches a registry key, its file name ("event-core.bench.ts", with or without .ts), or a benchmark name. */
const matches = (name: string, e: Entry): boolean => fileOf(name) === e.file || name === e.bench.name;

const main = async (): Promise<number> => {
  const opts = parseArgs(process.argv.slice(2));
  const entries: Entry[] = [];
  // Import only the files named when every NAME is a file; otherwise all, to find benchmark names.
  const onlyFiles =
    opts.names.length > 0 && !opts.list && opts.names.every((n) => Object.hasOwn(REGISTRY, fileOf(n)));
  for (const [file, load] of Object.entries(REGISTRY)) {
    if (onlyFiles && !opts.names.some((n) => fileOf(n) === file)) continue;
    for (const bench of (await load()).benchmarks) {
      if (entries.some((e) => e.bench.name === bench.name))
        throw new Error(`duplicate benchmark ${bench.name}`);
      entries.push({ file, bench });
    }
  }
  if (opts.list) {
    for (const e of entries)
      console.log(`${e.bench.name.padEnd(16)} ${e.file.padEnd(14)} ${e.bench.description}`);
    return 0;
  }
  const unknown = opts.names.filter((n) => !entries.some((e) => matches(n, e)));
  if (unknown.length > 0) {
    console.error(`bench: no benchmark named ${unknown.join(", ")}; try --list`);
    return 2;
  }
  const selected =
    opts.names.length === 0 ? entries : entries.filter((e) => opts.names.some((n) => matches(n, e)));
  const say = opts.json ? (s: string) => process.stderr.write(`${s}\n`) : (s: string) => console.log(s);
  const root = mkdtempSync(join(tmpdir(), "claire-bench-"));
  const reports: FigureReport[] = [];
  let failed = 0;
  try {
    for (const { file, bench } of selected) {
      const tmpDir = join(root, bench.name);
      mkdirSync(tmpDir);
      say(`# ${bench.name} (${file}${opts.smoke ? ", smoke" : ""}): ${bench.description}`);
      const started = performance.now();
      try {
        const figures = await bench.run({
          smoke: opts.smoke,
          tmpDir,
          log: (m) => process.stderr.write(`  . ${m}\n`),
        });
        for (const f of figures) {
          const r = toReport(f, opts.smoke);
          if (![r.value, r.baseline, r.ratio].every(Number.isFinite)) {
            throw new Error(`figure ${f.name} is not a finite number: ${JSON.stringify(r)}`);
          }
          reports.push(r);
          say(formatLine(f, r, opts.smoke));
        }
      } catch (e) {
        failed++;
        console.error(
          `bench: ${bench.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
        );
      } finally {
        if (!opts.keep) rmSync(tmpDir, { recursive: true, force: true });
      }
      say(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
  } finally {
    if (opts.keep) say(`kept temporary files in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
  if (opts.json) console.log(JSON.stringify(reports, null, 2));
  const missed = reports.filter((r) => r.met === false).length;
  if (!opts.smoke)
    say(
      `${reports.length} figures, ${missed} targets missed${failed ? `, ${failed} benchmarks failed` : ""}`,
    );
  return failed > 0 ? 1 : 0;
};

process.exitCode = await main();
