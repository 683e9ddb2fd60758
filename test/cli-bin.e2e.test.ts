// bin/claire.cjs, the package's `claire` entry: on a Node older than 22.12 it re-runs itself under
// the pinned Node 24 (node_modules/node), or says what to install; on a new enough Node it runs the
// bundle directly.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BIN,
  cliEnv,
  ensureBuilt,
  killAllServes,
  PINNED_NODE,
  ROOT,
  runCli,
  tempHome,
} from "./support/cli-run.ts";

const MIN: [number, number] = [22, 12];

const versionOf = (node: string): string | null => {
  try {
    return execFileSync(node, ["-p", "process.versions.node"], { encoding: "utf8", timeout: 10_000 }).trim();
  } catch {
    return null;
  }
};

const isOlder = (version: string): boolean => {
  const [major, minor] = version.split(".").map(Number) as [number, number];
  return major < MIN[0] || (major === MIN[0] && minor < MIN[1]);
};

/**
 * A Node on this machine older than 22.12, if any: every `node` on PATH (outside this package's
 * node_modules) and the usual system places.
 */
const findOlderNode = (): { path: string; version: string } | null => {
  const candidates = [
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .filter((d) => d && !d.includes("node_modules"))
      .map((d) => join(d, "node")),
    "/usr/bin/node",
    "/usr/local/bin/node",
    "/bin/node",
    "/usr/bin/nodejs",
  ];
  for (const path of new Set(candidates)) {
    if (!existsSync(path)) continue;
    const version = versionOf(path);
    if (version && isOlder(version)) return { path, version };
  }
  return null;
};

const older = findOlderNode();
const homes: string[] = [];
const home = () => {
  const h = tempHome("claire-cli-bin-");
  homes.push(h);
  return h;
};

beforeAll(() => ensureBuilt());
afterAll(async () => {
  await killAllServes();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** The parent pid of a process, from /proc (Linux). */
const parentOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
};

/** Starts `<node> bin/claire.cjs serve --port 0` and waits for serve.json. */
const serveWith = async (node: string, h: string) => {
  const child = spawn(node, [BIN, "serve", "--port", "0"], {
    env: cliEnv(h),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on("exit", (code, signal) => r({ code, signal })),
  );
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  child.stderr.resume();
  const deadline = Date.now() + 20_000;
  while (!/Claire is running at/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`serve under ${node} did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const info = JSON.parse(readFileSync(join(h, "serve.json"), "utf8")) as { pid: number; url: string };
  return { child, exited, info };
};

describe("under the pinned Node", () => {
  it("runs directly: --version names it, and the process that serves is the one started", async () => {
    const pinnedVersion = versionOf(PINNED_NODE)!;
    expect(pinnedVersion).toMatch(/^24\./);
    const h = home();
    const v = await runCli(["--version"], { home: h });
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(new RegExp(`node ${pinnedVersion.replaceAll(".", "\\.")}\\)\\n$`));
    // The README and docs/operations.md show this line: they must show what it prints (schema and
    // protocol numbers drift otherwise), with only Node's minor and patch left open.
    const shown = v.stdout.trim().replace(/node 24\.[\d.]+\)$/, "node 24.x)");
    for (const doc of ["README.md", "docs/operations.md"])
      expect(readFileSync(doc, "utf8"), doc).toContain(`# ${shown}`);
    const { child, exited, info } = await serveWith(PINNED_NODE, h);
    expect(info.pid).toBe(child.pid); // no second process
    child.kill("SIGTERM");
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});

describe("the code cache of the bundles (bin/code-cache.cjs)", () => {
  const cacheDirIn = (tmp: string) => join(tmp, `claire-code-cache-${process.getuid?.() ?? "user"}`);
  const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
  const statusJson = async (h: string, tmp: string, extra: Record<string, string> = {}) => {
    const r = await runCli(["status", "--json"], { home: h, env: { TMPDIR: tmp, ...extra } });
    expect(r.stderr.replace(/^claire: initialised.*\n/, "")).toBe("");
    expect(r.code).toBe(0);
    return r.json as { machine: { id: string } };
  };

  it("is written by the first run of a command, in a directory only this user can write, and only read after", async () => {
    const h = home();
    const tmp = home();
    const first = await statusJson(h, tmp);
    const dir = cacheDirIn(tmp);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = filesIn(dir);
    expect(files.filter((f) => /^claire-status-[0-9a-f]+\.bin$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /^core-status-[0-9a-f]+\.bin$/.test(f))).toHaveLength(1);
    const stamps = new Map<string, number>();
    for (const f of files) {
      const st = statSync(join(dir, f));
      expect(st.mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, f), "latin1").slice(0, 20)).toBe("claire-code-cache 2 ");
      stamps.set(f, st.mtimeMs);
    }
    // A warm start answers the same and writes nothing.
    const second = await statusJson(h, tmp);
    expect(second.machine.id).toBe(first.machine.id);
    expect(filesIn(dir)).toEqual(files);
    for (const f of files) expect(statSync(join(dir, f)).mtimeMs).toBe(stamps.get(f));
    // Another command has a cache of its own.
    expect((await runCli(["task", "list", "--json"], { home: h, env: { TMPDIR: tmp } })).code).toBe(0);
    expect(filesIn(dir).some((f) => f.startsWith("core-task-"))).toBe(true);
  });

  it("is not taken from a run that failed: the next run that succeeds writes it", async () => {
    const h = home();
    const tmp = home();
    writeFileSync(join(h, "claire.toml"), "machine_id = [\n");
    const failed = await runCli(["status", "--json"], { home: h, env: { TMPDIR: tmp } });
    expect(failed.code).not.toBe(0);
    expect(filesIn(cacheDirIn(tmp))).toEqual([]);
    rmSync(join(h, "claire.toml"));
    await statusJson(h, tmp);
    expect(filesIn(cacheDirIn(tmp)).filter((f) => /^core-status-/.test(f))).toHaveLength(1);
  });

  it("is kept per hook event: a Stop's cache does not stand in for a SessionStart's briefing", async () => {
    const h = home();
    const tmp = home();
    const sessionId = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const hook = (event: string) =>
      runCli(["hook", event], {
        home: h,
        env: { TMPDIR: tmp },
        input: JSON.stringify({ session_id: sessionId, cwd: h, hook_event_name: event }),
      });
    expect((await hook("Stop")).code).toBe(0);
    const start = await hook("SessionStart");
    expect(start.code).toBe(0);
    expect(start.stdout).toContain("additionalContext");
    // The hook runs from its own bundle (core.cjs only holds zod for it, which it rarely needs).
    const cached = filesIn(cacheDirIn(tmp));
    for (const variant of ["hook-stop", "hook-sessionstart"])
      expect(cached.filter((f) => f.startsWith(`hook-${variant}-`))).toHaveLength(1);
  });

  it("replaces a cache V8 refuses, and the command still runs", async () => {
    const h = home();
    const tmp = home();
    await statusJson(h, tmp);
    const dir = cacheDirIn(tmp);
    const local = filesIn(dir).find((f) => f.startsWith("core-status-"))!;
    const text = readFileSync(join(dir, local), "latin1");
    const header = text.slice(0, text.indexOf("\n") + 1);
    writeFileSync(join(dir, local), Buffer.concat([Buffer.from(header, "latin1"), Buffer.alloc(4096, 0x5a)]));
    await statusJson(h, tmp);
    const rewritten = readFileSync(join(dir, local));
    expect(rewritten.length).toBeGreaterThan(100_000);
    expect(rewritten.subarray(header.length, header.length + 64).every((b) => b === 0x5a)).toBe(false);
  });

  it("is keyed by the bundle's content: a release differing only in a same-length string runs its own code", async () => {
    // npm gives every installed file the same mtime, and V8 checks only a source's length: a
    // version bump ("0.1.0" -> "9.9.9") keeps both, so only the content id tells the bundles apart.
    const pkg = home();
    for (const d of ["bin", "dist"]) cpSync(join(ROOT, d), join(pkg, d), { recursive: true });
    copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
    // As npm installs it: every file with the same mtime (1985-10-26T08:15:00Z).
    const NPM_MTIME = new Date("1985-10-26T08:15:00Z");
    const bundle = join(pkg, "dist", "claire.cjs");
    utimesSync(bundle, NPM_MTIME, NPM_MTIME);
    const h = home();
    const tmp = home();
    const version = async () => {
      const r = await runCli(["--version"], {
        home: h,
        env: { TMPDIR: tmp },
        bin: join(pkg, "bin", "claire.cjs"),
      });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };
    expect(await version()).toMatch(/^claire 0\.1\.0 /);
    expect(filesIn(cacheDirIn(tmp)).some((f) => f.startsWith("claire-other-"))).toBe(true);
    // The "release": same size, same mtime, new content and content id (as the build writes it).
    const before = statSync(bundle);
    const text = readFileSync(bundle, "utf8");
    expect(text).toContain('"0.1.0"');
    writeFileSync(bundle, text.replaceAll('"0.1.0"', '"9.9.9"'));
    utimesSync(bundle, NPM_MTIME, NPM_MTIME);
    expect(statSync(bundle).size).toBe(before.size);
    expect(statSync(bundle).mtimeMs).toBe(before.mtimeMs);
    const ids = JSON.parse(readFileSync(join(pkg, "dist", "content-ids.json"), "utf8")) as Record<
      string,
      string
    >;
    ids["claire.cjs"] = createHash("sha256").update(readFileSync(bundle)).digest("hex");
    writeFileSync(join(pkg, "dist", "content-ids.json"), JSON.stringify(ids));
    expect(await version()).toMatch(/^claire 9\.9\.9 /);
    expect(await version()).toMatch(/^claire 9\.9\.9 /);
    // Without content ids (a bundle not made by the build) nothing is cached at all.
    rmSync(join(pkg, "dist", "content-ids.json"));
    const fresh = home();
    const r = await runCli(["--version"], {
      home: h,
      env: { TMPDIR: fresh },
      bin: join(pkg, "bin", "claire.cjs"),
    });
    expect(r.code).toBe(0);
    expect(filesIn(cacheDirIn(fresh))).toEqual([]);
  });

  it("prunes caches unused for 30 days and the oldest beyond 256 MB when it writes one, never on a warm start", async () => {
    const h = home();
    const tmp = home();
    const dir = cacheDirIn(tmp);
    mkdirSync(dir, { mode: 0o700 });
    const days = (n: number) => new Date(Date.now() - n * 24 * 3600 * 1000);
    const plant = (name: string, size: number, age: Date) => {
      writeFileSync(join(dir, name), "");
      truncateSync(join(dir, name), size); // sparse: the size counts, the disk is not filled
      utimesSync(join(dir, name), age, age);
    };
    plant("core-status-0badc0de.bin", 1000, days(40)); // another checkout's, unused for 40 days
    plant("core-task-0ddba11.bin", 150 * 1024 * 1024, days(2));
    plant("core-peers-5ca1ab1e.bin", 150 * 1024 * 1024, days(3)); // the older of two over 256 MB
    plant("claire-status-feedface.bin.123.partial", 10, days(1)); // a writer that died
    writeFileSync(join(dir, "notes.txt"), "not ours"); // not a cache: left alone
    await statusJson(h, tmp);
    const after = filesIn(dir);
    expect(after).not.toContain("core-status-0badc0de.bin");
    expect(after).not.toContain("core-peers-5ca1ab1e.bin");
    expect(after).not.toContain("claire-status-feedface.bin.123.partial");
    expect(after).toContain("core-task-0ddba11.bin");
    expect(after).toContain("notes.txt");
    expect(after.filter((f) => /^core-status-[0-9a-f]+\.bin$/.test(f))).toHaveLength(1);
    // A warm start writes nothing and so removes nothing.
    plant("core-status-0badc0de.bin", 1000, days(40));
    await statusJson(h, tmp);
    expect(filesIn(dir)).toContain("core-status-0badc0de.bin");
  });

  it("says nothing on stderr about the experimental loader it compiles with, cold or warm", async () => {
    // doctor's checks import() modules from inside a bundle: Node warned on every run.
    const h = home();
    const tmp = home();
    for (let run = 0; run < 2; run++) {
      const r = await runCli(["doctor", "--json"], { home: h, env: { TMPDIR: tmp } });
      expect(r.stderr).not.toMatch(/ExperimentalWarning|USE_MAIN_CONTEXT_DEFAULT_LOADER/);
      expect(r.json).toHaveProperty("checks");
    }
  });

  it("is not used in a directory others can write, nor with NODE_DISABLE_COMPILE_CACHE", async () => {
    const h = home();
    const planted = home();
    mkdirSync(cacheDirIn(planted), { mode: 0o777 });
    chmodSync(cacheDirIn(planted), 0o777);
    await statusJson(h, planted);
    expect(filesIn(cacheDirIn(planted))).toEqual([]);
    const off = home();
    await statusJson(h, off, { NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(existsSync(cacheDirIn(off))).toBe(false);
  });
});

describe("what a command with no server running loads", () => {
  // A probe loaded before the CLI (NODE_OPTIONS=--require) records, at exit, the bundles read, the
  // built-in modules loaded and every string compiled into code at run time.
  const probe = () => {
    const dir = home();
    const file = join(dir, "probe.cjs");
    writeFileSync(
      file,
      `const fs = require("node:fs");
const compiled = [];
const record = (args) => compiled.push(String(args[args.length - 1] ?? "").slice(0, 60));
globalThis.Function = new Proxy(Function, {
  construct: (t, args, n) => (record(args), Reflect.construct(t, args, n)),
  apply: (t, self, args) => (record(args), Reflect.apply(t, self, args)),
});
process.on("exit", () => fs.writeFileSync(${JSON.stringify(join(dir, "seen.json"))}, JSON.stringify({
  bundles: Object.keys(require.cache).filter((f) => f.includes("/dist/")).map((f) => f.slice(f.lastIndexOf("/") + 1)).sort(),
  packages: Object.keys(require.cache).filter((f) => f.includes("/node_modules/")).map((f) => f.slice(f.lastIndexOf("/node_modules/") + 14)).sort(),
  builtins: process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)),
  compiled,
  zod: globalThis[Symbol.for("claire.zod.loaded")] === true,
})));
`,
    );
    return {
      options: `--require ${file}`,
      seen: () => JSON.parse(readFileSync(join(dir, "seen.json"), "utf8")),
    };
  };

  it("reads only the CLI and the in-process API bundle, makes no stdout stream and compiles nothing", async () => {
    const h = home();
    expect((await runCli(["init", "--json"], { home: h })).code).toBe(0);
    const p = probe();
    const r = await runCli(["status", "--json"], { home: h, env: { NODE_OPTIONS: p.options } });
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as { machine: { id: string } }).machine.id).toMatch(/^[0-9a-f-]{36}$/);
    const seen = p.seen() as {
      bundles: string[];
      packages: string[];
      builtins: string[];
      compiled: string[];
    };
    // local.cjs (server, sync, discovery, dashboard, MCP) is not read at all.
    expect(seen.bundles).toEqual(["claire.cjs", "core.cjs"]);
    // Nothing from node_modules but better-sqlite3's native module: its JavaScript is bundled.
    expect(seen.packages).toEqual([expect.stringMatching(/^better-sqlite3\/.*\.node$/)]);
    // process.stdout of a pipe would have loaded net (src/cli/stdout.ts).
    expect(seen.builtins).not.toContain("net");
    expect(seen.builtins).not.toContain("tty");
    // zod's compiled parsers are off in short-lived processes (src/cli/zod-without-jit.ts); what
    // is compiled is better-sqlite3's row makers, one line each ("return (v0,v1) => ({...})").
    expect(seen.compiled.length).toBeGreaterThan(0);
    expect(seen.compiled.filter((code) => !/^return \(v0[,v0-9]*\) => \(\{/.test(code))).toEqual([]);
  });

  it("a write with no peer does not load the sync client (dist/local.cjs)", async () => {
    const h = home();
    expect((await runCli(["init", "--json"], { home: h })).code).toBe(0);
    const p = probe();
    const r = await runCli(["project", "add", "Probe", "--json"], {
      home: h,
      env: { NODE_OPTIONS: p.options },
    });
    expect(r.code, r.stderr).toBe(0);
    expect((r.json as { name: string }).name).toBe("Probe");
    expect((p.seen() as { bundles: string[] }).bundles).toEqual(["claire.cjs", "core.cjs"]);
  });

  it("a hook with no server calls the service itself: only its own bundle, no zod, no node:crypto, no stdout stream", async () => {
    const h = home();
    expect((await runCli(["init", "--json"], { home: h })).code).toBe(0);
    const p = probe();
    const sessionId = "5b0c7a8e-1f2d-4c3b-9a4e-6d7f8a9b0c1d";
    const r = await runCli(["hook", "SessionStart"], {
      home: h,
      env: { NODE_OPTIONS: p.options },
      input: JSON.stringify({
        session_id: sessionId,
        cwd: h,
        hook_event_name: "SessionStart",
        source: "startup",
        transcript_path: join(h, `${sessionId}.jsonl`),
      }),
    });
    expect(r.code, r.stderr).toBe(0);
    const out = r.json as { hookSpecificOutput: { additionalContext: string } };
    expect(out.hookSpecificOutput.additionalContext).toContain(`session ${sessionId.slice(0, 8)}`);
    const seen = p.seen() as { bundles: string[]; builtins: string[]; zod: boolean };
    // Its in-process API is a bundle of its own; core.cjs holds zod, which it never needs: its
    // configuration comes from the cache init wrote (src/config/cache.ts), its inputs are checked
    // by hand (src/domain/fast-accept.ts) and no schema is built on loading a module.
    expect(seen.bundles).toEqual(["hook-local.cjs", "hook.cjs"]);
    expect(seen.zod).toBe(false);
    // Its event ids take their random bits from /dev/urandom (src/domain/lazy-crypto.ts).
    expect(seen.builtins).not.toContain("crypto");
    expect(seen.builtins).not.toContain("net");
    // The session it registered is there for everyone else.
    const sessions = await runCli(["sessions", "--json"], { home: h });
    expect(JSON.stringify(sessions.json)).toContain(sessionId);
  });

  it("still loads the rest when a command needs it", async () => {
    const h = home();
    const p = probe();
    const r = await runCli(["doctor", "--json"], { home: h, env: { NODE_OPTIONS: p.options } });
    expect(r.json, r.stderr).toBeDefined();
    expect((p.seen() as { bundles: string[] }).bundles).toEqual(["claire.cjs", "core.cjs", "local.cjs"]);
  });
});

describe("the bundles", () => {
  // esbuild names a module by its real path relative to the checkout: a package reached through a
  // symlinked node_modules (a worktree or clone sharing one install) is "../../x/node_modules/...".
  const modulesIn = (file: string): Set<string> =>
    new Set(
      [
        ...readFileSync(join(ROOT, "dist", file), "latin1").matchAll(
          /"((?:\.\.\/)*(?:[\w.-]+\/)*?(?:src|node_modules)\/[^"]+)"\(/g,
        ),
      ].map((m) => {
        const i = m[1]!.lastIndexOf("node_modules/");
        return i >= 0 ? m[1]!.slice(i) : m[1]!;
      }),
    );

  it("hold each module once: core.cjs and local.cjs share none, so there is one zod, one Hono, one store", () => {
    const core = modulesIn("core.cjs");
    const local = modulesIn("local.cjs");
    expect(core.size).toBeGreaterThan(100);
    expect(local.size).toBeGreaterThan(100);
    expect([...core].filter((m) => local.has(m))).toEqual([]);
    expect(core.has("src/store/store.ts")).toBe(true);
    expect(local.has("src/http/dashboard/index.tsx")).toBe(true);
  });

  it("ask each other only for modules the other one has", () => {
    for (const [from, to] of [
      ["claire.cjs", "core.cjs"],
      ["claire.cjs", "local.cjs"],
      ["hook.cjs", "core.cjs"],
      ["hook.cjs", "hook-local.cjs"],
      ["hook-local.cjs", "core.cjs"],
      ["core.cjs", "local.cjs"],
      ["local.cjs", "core.cjs"],
    ] as const) {
      const text = readFileSync(join(ROOT, "dist", from), "latin1");
      const asked = [
        ...text.matchAll(
          new RegExp(`require\\("\\./${to.replace(".", "\\.")}"\\)\\.load\\("([^"]+)"\\)`, "g"),
        ),
      ].map((m) => m[1]!);
      const target = readFileSync(join(ROOT, "dist", to), "latin1");
      for (const key of asked)
        expect(target, `${from} asks ${to} for ${key}`).toContain(`${JSON.stringify(key)}:()=>`);
    }
  });

  it("give the hook its own in-process API, without zod: core.cjs has it should a hook ever need it", () => {
    // hook.cjs is all a hook with a server running reads; hook-local.cjs is its API without one.
    const hook = modulesIn("hook.cjs");
    expect(statSync(join(ROOT, "dist", "hook.cjs")).size).toBeLessThan(40_000);
    const local = modulesIn("hook-local.cjs");
    expect(local.has("src/agent/hook-local.ts")).toBe(true);
    expect(local.has("src/service/agent.ts")).toBe(true);
    expect(local.has("src/domain/zod-on-first-use.cjs")).toBe(true);
    // Only the operations a hook uses (src/service/hook-service.ts), not the whole service.
    expect(local.has("src/service/index.ts")).toBe(false);
    expect(local.has("src/service/tasks.ts")).toBe(false);
    for (const m of [...hook, ...local]) expect(m.startsWith("node_modules/zod/"), m).toBe(false);
    const asked = (from: string, to: string) => [
      ...new Set(
        [
          ...readFileSync(join(ROOT, "dist", from), "latin1").matchAll(
            new RegExp(`require\\("\\./${to.replaceAll(".", "\\.")}"\\)\\.load\\("([^"]+)"\\)`, "g"),
          ),
        ].map((m) => m[1]),
      ),
    ];
    expect(asked("hook.cjs", "hook-local.cjs")).toEqual(["agent/hook-local.ts"]);
    expect(asked("hook-local.cjs", "core.cjs")).toEqual(["node_modules/zod/index.js"]);
  });

  it("carry zod's English messages only, and are pure ASCII (bin/code-cache.cjs reads them as latin1)", () => {
    const core = modulesIn("core.cjs");
    expect([...core].filter((m) => m.startsWith("node_modules/zod/v4/locales/"))).toEqual([
      "node_modules/zod/v4/locales/en.js",
    ]);
    for (const f of readdirSync(join(ROOT, "dist")).filter((f) => f.endsWith(".cjs")))
      expect(
        readFileSync(join(ROOT, "dist", f)).every((b) => b < 0x80),
        f,
      ).toBe(true);
  });
});

describe("a reader that stops early", () => {
  it("ends the command quietly (exit 0, no EPIPE stack trace), as `claire ... | head` expects", async () => {
    const h = tempHome();
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const c = spawn(PINNED_NODE, [BIN, "completion", "bash"], {
        env: cliEnv(h),
        stdio: ["ignore", "pipe", "pipe"],
      });
      // The reader is gone before the command writes a byte: every write meets a closed pipe.
      c.stdout.destroy();
      let stderr = "";
      c.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
      });
      c.on("close", (code) => done({ code, stderr }));
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("`claire mcp` whose client has closed its end exits quietly when a reply meets the closed pipe", async () => {
    const h = tempHome();
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const c = spawn(PINNED_NODE, [BIN, "mcp"], { env: cliEnv(h), stdio: ["pipe", "pipe", "pipe"] });
      c.stdout.destroy();
      let stderr = "";
      c.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
      });
      c.on("close", (code) => done({ code, stderr }));
      // stdin stays open: only the reply's EPIPE can end the server.
      c.stdin.write(
        `${JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "initialize",
          params: {
            protocolVersion: "2025-06-18",
            capabilities: {},
            clientInfo: { name: "t", version: "1" },
          },
        })}\n`,
      );
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("under a Node older than 22.12", () => {
  it("looks for one on this machine (without it the re-exec cases below cannot run, and are skipped)", () => {
    if (older === null) {
      console.warn(
        "cli-bin: no Node older than 22.12 on this machine (PATH, /usr/bin, /usr/local/bin, /bin): the re-exec cases are NOT exercised",
      );
      expect(older).toBeNull();
    } else expect(isOlder(older.version)).toBe(true);
  });

  it.runIf(older !== null)(
    `re-runs itself under the pinned Node 24 (found ${older?.path} v${older?.version})`,
    async () => {
      const h = home();
      const v = await runCli(["--version"], { home: h, node: older!.path });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/node 24\.\d+\.\d+\)\n$/);
      // arguments, environment (CLAIRE_HOME) and stdout pass through; so does the exit code
      const init = await runCli(["init", "--json"], { home: h, node: older!.path });
      expect(init.code, init.stderr).toBe(0);
      expect(init.json).toMatchObject({ created: true, configPath: join(h, "claire.toml") });
      const usage = await runCli(["frobnicate"], { home: h, node: older!.path });
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/unknown command 'frobnicate'/);
      const refused = await runCli(["task", "show", "ffffffff"], { home: h, node: older!.path });
      expect(refused.code).toBe(1);
    },
  );

  it.runIf(older !== null)(
    "the re-run process is a child of the wrapper, and its exit status comes back",
    async () => {
      const h = home();
      const { child, exited, info } = await serveWith(older!.path, h);
      expect(info.pid).not.toBe(child.pid);
      expect(parentOf(info.pid)).toBe(child.pid);
      // stopping the real server ends the wrapper with the server's status
      process.kill(info.pid, "SIGTERM");
      expect(await exited).toEqual({ code: 0, signal: null });
    },
  );

  it.runIf(older !== null)(
    "a SIGTERM sent to the wrapper reaches the real process, which shuts down cleanly",
    async () => {
      const h = home();
      const { child, exited, info } = await serveWith(older!.path, h);
      expect(parentOf(info.pid)).toBe(child.pid);
      child.kill("SIGTERM");
      expect(await exited).toEqual({ code: 0, signal: null });
      // the server went through its graceful shutdown (it removes serve.json last) and is gone
      expect(existsSync(join(h, "serve.json"))).toBe(false);
      expect(parentOf(info.pid)).toBeNull();
    },
  );

  it.runIf(older !== null)(
    "with CLAIRE_REEXEC=1 (already re-run once) it exits 1 saying to install Node 24",
    async () => {
      const r = await runCli(["--version"], { home: home(), node: older!.path, env: { CLAIRE_REEXEC: "1" } });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`Node.js 22.12 or newer is required (this is v${older!.version})`);
      expect(r.stderr).toMatch(/Install Node\.js 24/);
    },
  );

  it.runIf(older !== null)(
    "outside a checkout (no pinned Node beside it) it exits 1 saying to install Node 24",
    async () => {
      const h = home();
      mkdirSync(join(h, "pkg", "bin"), { recursive: true });
      const copy = join(h, "pkg", "bin", "claire.cjs");
      copyFileSync(join(ROOT, "bin", "claire.cjs"), copy);
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        const c = spawn(older!.path, [copy, "--version"], {
          env: cliEnv(h),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        c.stdout.setEncoding("utf8").on("data", (d: string) => {
          stdout += d;
        });
        c.stderr.setEncoding("utf8").on("data", (d: string) => {
          stderr += d;
        });
        c.on("close", (code) => done({ code, stdout, stderr }));
      });
      expect(r).toMatchObject({ code: 1, stdout: "" });
      expect(r.stderr).toMatch(/Install Node\.js 24/);
    },
  );
});
