// Event-core benchmarks: append, rebuild, database size (see docs/performance.md).
import { appendBenchmark } from "./event-core/append.ts";
import { dbSizeBenchmark } from "./event-core/db-size.ts";
import { rebuildBenchmark } from "./event-core/rebuild.ts";
import type { Benchmark } from "./index.ts";

export const benchmarks: readonly Benchmark[] = [appendBenchmark, rebuildBenchmark, dbSizeBenchmark];
