// A worker thread that reads whole transcripts for a cold scan (scan-pool.ts): the main thread
// hands it files, it returns each file's refreshed state. Loaded by URL: from the source file
// (Node strips the types) or from its own chunk of the CLI bundle (a dynamic import gets one).
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { type FileRefresh, refreshFile } from "./file-refresh.ts";
import { createReaderOptions } from "./incremental-reader.ts";
import type { TranscriptFile } from "./transcript-files.ts";

export interface ScanWorkerInput {
  claireScanWorker: true;
  files: TranscriptFile[];
  now: number;
  maxLineBytes: number;
}

/** What a worker posts back once: per path, the refresh, or the error code it met. */
export type ScanWorkerOutput = [path: string, result: FileRefresh | { error: string }][];

/** This module's own URL, for `new Worker(url)`. */
export const scanWorkerUrl = (): URL => new URL(import.meta.url);

const run = (input: ScanWorkerInput): ScanWorkerOutput => {
  const reader = createReaderOptions(input.maxLineBytes);
  return input.files.map((file) => {
    try {
      return [file.path, refreshFile(file, undefined, () => undefined, reader, input.now)];
    } catch (e) {
      return [file.path, { error: String((e as NodeJS.ErrnoException).code ?? "UNKNOWN") }];
    }
  });
};

if (!isMainThread && (workerData as Partial<ScanWorkerInput> | null)?.claireScanWorker === true) {
  parentPort?.postMessage(run(workerData as ScanWorkerInput));
}
