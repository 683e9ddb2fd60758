// Claire's benchmarks: the harness API and the registry.
//
// Run:   npm run bench                    every benchmark, targets judged
//        npm run bench -- NAME...         only these (a registry key below, a file name, or a benchmark name)
//        npm run bench -- --smoke         tiny sizes, no targets: checks that every benchmark still runs (CI)
//        npm run -s bench -- --json       a JSON array of figures on stdout (-s hides npm's banner)
//        npm run bench -- --list          the benchmark names
//        npm run bench -- --cpu-prof      also write V8 CPU profiles to bench-output/profiles/
// bench/launch.mjs bundles bench/run.ts with esbuild into bench-output/ (git-ignored) and runs it
// with the pinned Node 24 and --expose-gc.
//
// Writing a benchmark:
//   1. A module exports `benchmarks: Benchmark[]`.
//   2. Add one line to REGISTRY below: `"area": () => import("./area.bench.ts"),` (imported on
//      demand: `npm run bench -- area` evaluates only that module; a benchmark NAME loads them all
//      to find it).
//   3. run(ctx) returns Figures. Each figure carries a baseline measured in the same run, in the
//      same unit as the value (raw SQLite insert, `node -e 0`, a plain file read...); the harness
//      computes ratio = value / baseline and judges the target.
//   4. ctx.smoke: use tiny sizes (the whole smoke run must stay within a few seconds). Targets are
//      ignored in smoke runs (met is null), so never special-case them.
//   5. ctx.tmpDir is a fresh empty directory for this benchmark on a real disk, removed after the run.
//      ctx.log writes progress to stderr (stdout is reserved for figures).
// Helpers for timing and fresh databases are in bench/support/.

export type Better = "higher" | "lower";

/**
 * A target, judged in the direction of `better` (higher: value >= target; lower: value <= target):
 * a number in the value's unit, or `{ ratio }` relative to the same-run baseline
 * (`{ ratio: 3 }` with better "lower" means value <= 3 x baseline).
 */
export type Target = number | { readonly ratio: number };

export type Figure = {
  /** Dotted, stable name, e.g. "append.batched.rate". */
  readonly name: string;
  readonly value: number;
  /** e.g. "events/s", "µs/event", "bytes/event", "ms". */
  readonly unit: string;
  /** The same quantity for the baseline, measured in the same run, in the same unit. */
  readonly baseline: number;
  /** What the baseline is, for the human-readable line. */
  readonly baselineLabel: string;
  readonly better: Better;
  readonly target?: Target;
};

export type BenchContext = {
  readonly smoke: boolean;
  readonly tmpDir: string;
  readonly log: (message: string) => void;
};

export type Benchmark = {
  /** Unique across the registry; `npm run bench -- NAME` selects it. */
  readonly name: string;
  readonly description: string;
  readonly run: (ctx: BenchContext) => Promise<Figure[]>;
};

export type BenchModule = { readonly benchmarks: readonly Benchmark[] };

/** One line per benchmark file: key (also accepted as a NAME) -> lazy import. */
export const REGISTRY: Readonly<Record<string, () => Promise<BenchModule>>> = {
  "event-core": () => import("./event-core.bench.ts"),
  sessions: () => import("./sessions.bench.ts"),
  api: () => import("./api.bench.ts"),
  agent: () => import("./agent.bench.ts"),
  dashboard: () => import("./dashboard.ts"),
  sync: () => import("./sync.bench.ts"),
};

/** The JSON form of a figure, as printed by `--json`. */
export type FigureReport = {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number;
  readonly ratio: number;
  /** The target on the value, in the value's unit (relative targets resolved); null when none or in smoke runs. */
  readonly target: number | null;
  readonly better: Better;
  /** Whether the target holds; null when there is no target. */
  readonly met: boolean | null;
};
