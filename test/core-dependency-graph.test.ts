// The two pure graph functions of task dependencies: tasksOnCycles (which tasks a merged cycle
// makes conflicts, so they are never ready) and dependencyPath (how a local operation finds the
// cycle it would create), checked against brute force on random graphs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dependencyPath } from "../src/service/tasks.ts";
import { tasksOnCycles } from "../src/store/queries/tasks.ts";

type Graph = Map<string, string[]>;

/** Random graphs over a few nodes: self-loops, parallel edges and edges to nodes with no entry. */
const graphArb: fc.Arbitrary<Graph> = fc
  .array(fc.tuple(fc.nat(7), fc.nat(9)), { maxLength: 25 })
  .map((pairs) => {
    const g: Graph = new Map();
    for (const [a, b] of pairs) {
      const list = g.get(`n${a}`) ?? [];
      list.push(`n${b}`);
      g.set(`n${a}`, list);
    }
    return g;
  });

/** Every node reachable from `from` in one or more steps, and the fewest steps to each. */
const distances = (g: Graph, from: string): Map<string, number> => {
  const dist = new Map<string, number>();
  let frontier = [from];
  for (let d = 1; frontier.length > 0; d++) {
    const next: string[] = [];
    for (const v of frontier) {
      for (const w of g.get(v) ?? []) {
        if (!dist.has(w)) {
          dist.set(w, d);
          next.push(w);
        }
      }
    }
    frontier = next;
  }
  return dist;
};

const nodes = (g: Graph) => [...new Set([...g.keys(), ...[...g.values()].flat()])];

describe("tasksOnCycles", () => {
  it("is exactly the tasks that can reach themselves", () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const expected = nodes(g).filter((v) => distances(g, v).has(v));
        expect([...tasksOnCycles(g)].sort()).toEqual(expected.sort());
      }),
      { numRuns: 500 },
    );
  });

  it.each<[string, [string, string[]][], string[]]>([
    ["no edges", [], []],
    [
      "a chain",
      [
        ["a", ["b"]],
        ["b", ["c"]],
      ],
      [],
    ],
    ["a self-loop", [["a", ["a"]]], ["a"]],
    [
      "a two-cycle",
      [
        ["a", ["b"]],
        ["b", ["a"]],
      ],
      ["a", "b"],
    ],
    [
      "a cycle with a tail in and out",
      [
        ["t", ["a"]],
        ["a", ["b"]],
        ["b", ["c", "out"]],
        ["c", ["a"]],
      ],
      ["a", "b", "c"],
    ],
    [
      "two separate cycles",
      [
        ["a", ["b"]],
        ["b", ["a"]],
        ["x", ["y"]],
        ["y", ["x"]],
      ],
      ["a", "b", "x", "y"],
    ],
    ["a dangling dependency", [["a", ["ghost"]]], []],
    [
      "a diamond (no cycle)",
      [
        ["a", ["b", "c"]],
        ["b", ["d"]],
        ["c", ["d"]],
      ],
      [],
    ],
  ])("%s", (_, edges, expected) => {
    expect([...tasksOnCycles(new Map(edges))].sort()).toEqual(expected);
  });

  it("handles a dependency chain 30,000 long without overflowing the stack", () => {
    const n = 30_000;
    const g: Graph = new Map();
    for (let i = 0; i < n; i++) g.set(`t${i}`, [`t${i + 1}`]);
    expect(tasksOnCycles(g).size).toBe(0);
    g.set(`t${n}`, ["t0"]);
    expect(tasksOnCycles(g).size).toBe(n + 1);
  });
});

describe("dependencyPath", () => {
  it("finds a shortest path along dependencies exactly when one exists", () => {
    fc.assert(
      fc.property(graphArb, fc.nat(9), fc.nat(9), (g, a, b) => {
        const [from, to] = [`n${a}`, `n${b}`];
        const path = dependencyPath(g, from, to);
        if (from === to) {
          expect(path).toEqual([from]);
          return;
        }
        const dist = distances(g, from).get(to);
        if (dist === undefined) {
          expect(path).toBeNull();
          return;
        }
        expect(path).not.toBeNull();
        expect(path![0]).toBe(from);
        expect(path!.at(-1)).toBe(to);
        expect(path!.length - 1).toBe(dist);
        for (let i = 1; i < path!.length; i++) expect(g.get(path![i - 1]!)).toContain(path![i]);
      }),
      { numRuns: 500 },
    );
  });

  it("names the cycle a new edge would close", () => {
    // a -> b -> c; adding c -> a closes the cycle: the path from a back to c is the proof.
    const g: Graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
    ]);
    expect(dependencyPath(g, "a", "c")).toEqual(["a", "b", "c"]);
    expect(dependencyPath(g, "c", "a")).toBeNull();
    expect(dependencyPath(g, "ghost", "a")).toBeNull();
  });

  it("terminates on graphs that already hold cycles", () => {
    const g: Graph = new Map([
      ["a", ["b"]],
      ["b", ["a", "c"]],
    ]);
    expect(dependencyPath(g, "a", "c")).toEqual(["a", "b", "c"]);
    expect(dependencyPath(g, "a", "z")).toBeNull();
  });
});

describe("a cycle made by two machines apart", () => {
  it("is found after sync, named with its tasks, and reported by doctor's check", async () => {
    const { createTempClaire, must } = await import("./support/temp-claire.ts");
    const { cycleCheck } = await import("../src/ops/doctor/database-checks.ts");
    const a = createTempClaire({ machineName: "a" });
    const b = createTempClaire({ machineName: "b" });
    try {
      const p = must(a.service.createProject(a.human, { name: "P" }));
      const x = must(a.service.createTask(a.human, { projectId: p.id, title: "x" }));
      const y = must(a.service.createTask(a.human, { projectId: p.id, title: "y" }));
      const page = a.service.eventsPage(0, 1000);
      b.service.ingestPulled("a", page.logId, page.events, page.nextAfter);
      expect(a.service.dependencyCycles()).toEqual([]);
      expect(cycleCheck([]).status).toBe("pass");
      // Apart: each machine adds one half, and each refuses nothing (no cycle on either).
      must(a.service.addDependency(a.human, x.id, y.id));
      must(b.service.addDependency(b.human, y.id, x.id));
      const fromB = b.service.eventsPage(0, 1000);
      a.service.ingestPulled("b", fromB.logId, fromB.events, fromB.nextAfter);
      const cycles = a.service.dependencyCycles();
      expect(
        cycles.map((c) => `${c.task.title} waits for ${c.waitsFor.map((w) => w.title).join()}`).sort(),
      ).toEqual(["x waits for y", "y waits for x"]);
      const check = cycleCheck(cycles);
      expect(check).toMatchObject({ id: "tasks.cycles", status: "warn" });
      expect(check.detail).toMatch(/2 tasks wait for each other in a circle/);
      expect(check.fix).toMatch(/^remove one of the dependencies, e\.g\. claire task dep rm \w+ \w+$/);
      // Once a person removes one, nothing is on a cycle.
      must(a.service.removeDependency(a.human, x.id, y.id));
      expect(a.service.dependencyCycles()).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });
});
