// The benchmarks must keep running: `npm run bench -- --smoke --json` runs every benchmark at tiny
// sizes. Only the shape of the figures is checked, never their timing.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("benchmarks (smoke)", () => {
  it("every benchmark runs and reports finite figures with no targets", () => {
    const r = spawnSync(process.execPath, ["bench/launch.mjs", "--smoke", "--json"], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    const figures = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(Array.isArray(figures)).toBe(true);
    expect(figures.length).toBeGreaterThan(0);
    const names = new Set<string>();
    for (const f of figures) {
      expect(Object.keys(f).sort()).toEqual(
        ["baseline", "better", "met", "name", "ratio", "target", "unit", "value"].sort(),
      );
      expect(typeof f.name).toBe("string");
      expect(names.has(f.name as string), `duplicate figure ${f.name}`).toBe(false);
      names.add(f.name as string);
      for (const k of ["value", "baseline", "ratio"]) {
        expect(Number.isFinite(f[k]), `${f.name}.${k} = ${f[k]}`).toBe(true);
      }
      expect(typeof f.unit).toBe("string");
      expect(["higher", "lower"]).toContain(f.better);
      expect(f.target).toBeNull();
      expect(f.met).toBeNull();
    }
  }, 120_000);
});
