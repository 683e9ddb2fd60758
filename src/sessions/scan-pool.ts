// Spreads the reading of many new transcripts (a cold scan of a large history) over this thread and
// worker threads: parsing every line is what a cold scan spends its time on.
//
// The threads draw files from one queue (scan-queue.ts: the files largest first) instead of fixed
// shares: on a shared machine a thread may get much less of a core than another, and a fixed
// share would leave the whole scan waiting for it. This thread reads too, from the moment it
// starts the workers (they take tens of milliseconds to load), from the small end of the queue
// and yielding between files, so that a server keeps answering meanwhile; the workers take the
// big files.
import { Worker } from "node:worker_threads";
import { type FileRefresh, refreshFile } from "./file-refresh.ts";
import { createReaderOptions } from "./incremental-reader.ts";
import { createScanQueue, type ScanQueue, smallestTaker } from "./scan-queue.ts";
import type { ScanWorkerInput, ScanWorkerOutput } from "./scan-worker.ts";
import type { TranscriptFile } from "./transcript-files.ts";

export interface ScanPoolOptions {
  /** The scan-worker module (see scanWorkerUrl). */
  url: URL;
  /** Threads reading, this one included: threads - 1 workers are started. */
  threads: number;
  maxLineBytes: number;
}

// This thread hands control back to the event loop at least this often while it reads.
const SLICE_MS = 10;

/** A worker's results; a worker that fails leaves its files out (the caller reads them itself). */
const runWorker = (opts: ScanPoolOptions, input: ScanWorkerInput): Promise<ScanWorkerOutput> =>
  new Promise((resolve) => {
    const worker = new Worker(opts.url, { workerData: input });
    let done = false;
    const finish = (out: ScanWorkerOutput) => {
      if (done) return;
      done = true;
      resolve(out);
      void worker.terminate();
    };
    worker.once("message", finish);
    worker.once("error", () => finish([]));
    worker.once("exit", () => finish([]));
  });

/** Takes files from the small end of the queue until none is left, reading them in this thread. */
const readShare = async (
  files: readonly TranscriptFile[],
  queue: ScanQueue,
  now: number,
  maxLineBytes: number,
  out: Map<string, FileRefresh>,
): Promise<void> => {
  const reader = createReaderOptions(maxLineBytes);
  let sliceStart = performance.now();
  const take = smallestTaker(queue);
  for (let i = take(); i >= 0; i = take()) {
    const file = files[i]!;
    try {
      out.set(
        file.path,
        refreshFile(file, undefined, () => undefined, reader, now),
      );
    } catch {
      // left out: the scan reads it again and reports what fails
    }
    if (performance.now() - sliceStart > SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      sliceStart = performance.now();
    }
  }
};

/**
 * Reads these files from their start, in this thread and threads - 1 workers. Files that could not
 * be read are left out (the caller reads them itself, and reports what fails).
 */
export const readInWorkers = async (
  files: readonly { file: TranscriptFile; size: number }[],
  now: number,
  opts: ScanPoolOptions,
): Promise<Map<string, FileRefresh>> => {
  // Largest first, so that no thread is left with a big file at the end.
  const order = [...files].sort((a, b) => b.size - a.size).map((f) => f.file);
  const queue = createScanQueue(order.length);
  const workers = Array.from({ length: Math.max(0, opts.threads - 1) }, () =>
    runWorker(opts, { claireScanWorker: true, files: order, queue, now, maxLineBytes: opts.maxLineBytes }),
  );
  const out = new Map<string, FileRefresh>();
  await readShare(order, queue, now, opts.maxLineBytes, out);
  for (const results of await Promise.all(workers))
    for (const [path, r] of results) if (!("error" in r)) out.set(path, r);
  return out;
};
