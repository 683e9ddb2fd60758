// A worker thread that reads whole transcripts for a cold scan (scan-pool.ts): it takes files from
// the queue it shares with the other readers and returns each file's refreshed state. Loaded by
// URL: from the source file (Node strips the types) or from its own chunk of the CLI bundle (a
// dynamic import gets one).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { type FileRefresh, refreshFile } from "./file-refresh.ts";
import { createReaderOptions } from "./incremental-reader.ts";
import { type ScanQueue, takeLargest } from "./scan-queue.ts";
import type { TranscriptFile } from "./transcript-files.ts";

export interface ScanWorkerInput {
  claireScanWorker: true;
  /** Every file of the scan, largest first. */
  files: TranscriptFile[];
  /** Which of them are taken, shared by all the readers (scan-queue.ts). */
  queue: ScanQueue;
  now: number;
  maxLineBytes: number;
}

/** What a worker posts back once: per path it read, the refresh, or the error code it met. */
export type ScanWorkerOutput = [path: string, result: FileRefresh | { error: string }][];

/** This module's own URL, for `new Worker(url)`. */
export const scanWorkerUrl = (): URL => new URL(import.meta.url);

const run = (input: ScanWorkerInput): ScanWorkerOutput => {
  const reader = createReaderOptions(input.maxLineBytes);
  const out: ScanWorkerOutput = [];
  for (let i = takeLargest(input.queue); i >= 0; i = takeLargest(input.queue)) {
    const file = input.files[i]!;
    try {
      out.push([file.path, refreshFile(file, undefined, () => undefined, reader, input.now)]);
    } catch (e) {
      out.push([file.path, { error: String((e as NodeJS.ErrnoException).code ?? "UNKNOWN") }]);
    }
  }
  return out;
};

if (!isMainThread && (workerData as Partial<ScanWorkerInput> | null)?.claireScanWorker === true) {
  parentPort?.postMessage(run(workerData as ScanWorkerInput));
}
