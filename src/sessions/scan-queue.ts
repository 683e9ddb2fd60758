// The files of a cold scan, shared by its readers (scan-pool.ts in this thread, scan-worker.ts in
// the workers) on one SharedArrayBuffer, sorted largest first. Workers take from the large end;
// this thread, which must go on answering requests while it reads (it yields between files), from
// the small end: it never holds the event loop for a big transcript a worker could read. Each
// file is claimed once, by a compare-and-swap on its own flag; where the two ends meet, the side
// that finds a file already claimed knows every file beyond it is taken too, and stops.

/** What a reader needs to share the queue: send it to a worker as it is. */
export type ScanQueue = {
  readonly size: number;
  /** [0]: the next index from the large end (workers add to it). */
  readonly front: Int32Array;
  /** One flag per file: 1 once a reader has claimed it. */
  readonly claimed: Int8Array;
};

export const createScanQueue = (size: number): ScanQueue => ({
  size,
  front: new Int32Array(new SharedArrayBuffer(4)),
  claimed: new Int8Array(new SharedArrayBuffer(Math.max(1, size))),
});

const claim = (q: ScanQueue, i: number): boolean => Atomics.compareExchange(q.claimed, i, 0, 1) === 0;

/** The index of the largest file nobody has taken, or -1: for the workers, any number of them. */
export const takeLargest = (q: ScanQueue): number => {
  const i = Atomics.add(q.front, 0, 1);
  return i < q.size && claim(q, i) ? i : -1;
};

/**
 * Takes from the small end, for one reader only (this thread): each call gives the smallest file
 * nobody has taken, or -1.
 */
export const smallestTaker = (q: ScanQueue): (() => number) => {
  let back = q.size;
  return () => {
    if (back <= 0) return -1;
    back--;
    if (claim(q, back)) return back;
    back = 0; // the workers have everything below: nothing is left for this end
    return -1;
  };
};
