// Packaging: `npm pack` gives a tarball that `npm install -g` puts into an empty prefix with a
// working `claire`, under the pinned Node 24; under the system's older Node the installed CLI says
// what to install and exits 1 (a global install has no pinned Node to fall back on). Installed as a
// project's dependency, its own dependencies are hoisted beside it, and it still finds them.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT, tempHome } from "./support/cli-run.ts";

const PINNED_BIN = join(ROOT, "node_modules", ".bin");
const work = tempHome("claire-pack-");
const prefix = join(work, "prefix");
let tarball = "";
let packed: string[] = [];

/** Runs the installed `claire` with a PATH that decides which Node its `#!/usr/bin/env node` finds. */
const claire = (args: string[], path: string) => {
  const home = tempHome("claire-pack-home-");
  const r = spawnSync(join(prefix, "bin", "claire"), args, {
    encoding: "utf8",
    timeout: 30_000,
    env: { PATH: path, HOME: home, CLAIRE_HOME: join(home, "claire") },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, home: join(home, "claire") };
};

const systemPath = "/usr/local/bin:/usr/bin:/bin";
const systemNode = spawnSync("sh", ["-c", "command -v node && node --version"], {
  encoding: "utf8",
  env: { PATH: systemPath },
})
  .stdout.trim()
  .split("\n");
const olderThan2212 = (v: string) => {
  const [major = 0, minor = 0] = v.replace(/^v/, "").split(".").map(Number);
  return major < 22 || (major === 22 && minor < 12);
};

beforeAll(() => {
  ensureBuilt();
  // dist/ is built just above; --ignore-scripts keeps `prepare` from rebuilding it under other suites.
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${PINNED_BIN}:${process.env.PATH}` },
    timeout: 60_000,
  });
  const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info[0]!.filename);
  packed = info[0]!.files.map((f) => f.path);
  execFileSync(
    "npm",
    ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball],
    {
      encoding: "utf8",
      env: { ...process.env, PATH: `${PINNED_BIN}:${process.env.PATH}` },
      timeout: 80_000,
      stdio: "pipe",
    },
  );
}, 120_000);

describe("the packed package", () => {
  it("holds the CLI bundle, its entry, the README and docs, and no sources or tests", () => {
    expect(existsSync(tarball)).toBe(true);
    for (const f of ["package.json", "bin/claire.cjs", "dist/claire.cjs", "README.md", "docs/operations.md"])
      expect(packed, f).toContain(f);
    expect(packed.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([]);
  });

  it("installs into an empty prefix and provides `claire` (pinned Node 24 first on PATH)", () => {
    expect(readdirSync(join(prefix, "bin"))).toContain("claire");
    const path = `${PINNED_BIN}:${systemPath}`;
    const v = claire(["--version"], path);
    expect(v.stderr).toBe("");
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^claire \d+\.\d+\.\d+ \(schema \d+, sync protocol \d+, node 24\.\d+\.\d+\)\n$/);
    const init = claire(["init", "--json"], path);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ created: true, dbPath: join(init.home, "claire.db") });
    expect(existsSync(join(init.home, "claire.toml"))).toBe(true);
  });

  it("works as a project's dependency, with better-sqlite3 hoisted beside it (dist/ finds its native module there)", () => {
    const project = join(work, "project");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "uses-claire", private: true }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], {
      cwd: project,
      encoding: "utf8",
      env: { ...process.env, PATH: `${PINNED_BIN}:${process.env.PATH}` },
      timeout: 80_000,
      stdio: "pipe",
    });
    // Hoisted: the package has no node_modules of its own, so the bundle resolves the driver.
    expect(existsSync(join(project, "node_modules", "better-sqlite3", "package.json"))).toBe(true);
    expect(existsSync(join(project, "node_modules", "claire", "node_modules", "better-sqlite3"))).toBe(false);
    const home = tempHome("claire-pack-home-");
    const run = (args: string[], input?: string) =>
      spawnSync(join(project, "node_modules", ".bin", "claire"), args, {
        encoding: "utf8",
        timeout: 30_000,
        input,
        env: { PATH: `${PINNED_BIN}:${systemPath}`, HOME: home, CLAIRE_HOME: join(home, "claire") },
      });
    const init = run(["init", "--json"]);
    expect(init.status, init.stderr).toBe(0);
    const added = run(["project", "add", "Hoisted", "--json"]);
    expect(added.status, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: "Hoisted" });
    // A hook with no server runs from its own bundle (dist/hook-local.cjs), which finds the driver too.
    const sessionId = "3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d";
    const hook = run(
      ["hook", "SessionStart"],
      JSON.stringify({
        session_id: sessionId,
        cwd: project,
        hook_event_name: "SessionStart",
        source: "startup",
      }),
    );
    expect(hook.status, hook.stderr).toBe(0);
    expect(hook.stderr).toBe("");
    expect(JSON.parse(hook.stdout).hookSpecificOutput.additionalContext).toContain(
      `session ${sessionId.slice(0, 8)}`,
    );
  }, 120_000);

  it.skipIf(!systemNode[1] || !olderThan2212(systemNode[1]))(
    `under the system's older Node (${systemNode[1] ?? "none"}) explains what to install and exits 1`,
    () => {
      for (const args of [["--version"], ["init"]]) {
        const r = claire(args, systemPath);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(/^claire: Node\.js 22\.12 or newer is required \(this is v\d+/);
        expect(r.stderr).toMatch(/Install Node\.js 24 LTS/);
        expect(existsSync(r.home)).toBe(false);
      }
    },
  );
});
