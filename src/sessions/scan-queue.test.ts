// The cold scan's shared queue: every file taken exactly once, whatever the interleaving of the
// workers (large end) and this thread (small end).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createScanQueue, smallestTaker, takeLargest } from "./scan-queue.ts";

describe("the scan queue", () => {
  it("gives every file to exactly one reader: workers the largest, this thread the smallest", () => {
    fc.assert(
      fc.property(fc.nat({ max: 60 }), fc.array(fc.boolean(), { maxLength: 200 }), (size, turns) => {
        const q = createScanQueue(size);
        const small = smallestTaker(q);
        const byWorkers: number[] = [];
        const byThis: number[] = [];
        let workersDone = false;
        let thisDone = false;
        // The turns say who asks next; then both ask until each hears "nothing left".
        for (const worker of [...turns, ...Array(2 * size + 4).fill(null)]) {
          const w = worker === null ? !workersDone : worker;
          if (w && !workersDone) {
            const i = takeLargest(q);
            if (i < 0) workersDone = true;
            else byWorkers.push(i);
          } else if (!thisDone) {
            const i = small();
            if (i < 0) thisDone = true;
            else byThis.push(i);
          }
        }
        expect([...byWorkers, ...byThis].sort((a, b) => a - b)).toEqual(
          Array.from({ length: size }, (_, i) => i),
        );
        expect(byWorkers).toEqual([...byWorkers].sort((a, b) => a - b));
        expect(byThis).toEqual([...byThis].sort((a, b) => b - a));
        // Once told there is nothing left, a reader keeps hearing it.
        expect(takeLargest(q)).toBe(-1);
        expect(small()).toBe(-1);
      }),
      { numRuns: 500 },
    );
  });

  it("lets this thread read everything when no worker takes anything (workers that failed to start)", () => {
    const q = createScanQueue(5);
    const small = smallestTaker(q);
    expect([small(), small(), small(), small(), small(), small()]).toEqual([4, 3, 2, 1, 0, -1]);
  });
});
