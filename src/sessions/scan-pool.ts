// Spreads the reading of many new transcripts (a cold scan of a large history) over worker
// threads, one per core: parsing every line is what a cold scan spends its time on.
import { Worker } from "node:worker_threads";
import type { FileRefresh } from "./file-refresh.ts";
import type { ScanWorkerInput, ScanWorkerOutput } from "./scan-worker.ts";
import type { TranscriptFile } from "./transcript-files.ts";

export interface ScanPoolOptions {
  /** The scan-worker module (see scanWorkerUrl). */
  url: URL;
  threads: number;
  maxLineBytes: number;
}

/** Largest first, each to the least loaded thread. */
const balance = (files: readonly { file: TranscriptFile; size: number }[], n: number): TranscriptFile[][] => {
  const groups = Array.from({ length: n }, () => ({ bytes: 0, files: [] as TranscriptFile[] }));
  for (const f of [...files].sort((a, b) => b.size - a.size)) {
    const g = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    g.files.push(f.file);
    g.bytes += f.size;
  }
  return groups.filter((g) => g.files.length > 0).map((g) => g.files);
};

const runWorker = (opts: ScanPoolOptions, input: ScanWorkerInput): Promise<ScanWorkerOutput> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(opts.url, { workerData: input });
    let done = false;
    worker.once("message", (out: ScanWorkerOutput) => {
      done = true;
      resolve(out);
      void worker.terminate();
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!done) reject(new Error(`scan worker exited with code ${code} before answering`));
    });
  });

/**
 * Reads these files from their start in worker threads. Files a worker could not read are left
 * out (the caller reads them itself, and reports what fails).
 */
export const readInWorkers = async (
  files: readonly { file: TranscriptFile; size: number }[],
  now: number,
  opts: ScanPoolOptions,
): Promise<Map<string, FileRefresh>> => {
  const groups = balance(files, Math.max(1, opts.threads));
  const outputs = await Promise.all(
    groups.map((g) =>
      runWorker(opts, { claireScanWorker: true, files: g, now, maxLineBytes: opts.maxLineBytes }),
    ),
  );
  const out = new Map<string, FileRefresh>();
  for (const [path, r] of outputs.flat()) if (!("error" in r)) out.set(path, r);
  return out;
};
