// Bundles Claire into dist/ with esbuild, as CommonJS files that bin/claire.cjs require()s:
//
//   claire.cjs       the CLI: command parser, every command, the HTTP client of a running server
//   local.cjs        everything that works on this machine's files: the API app in-process, the
//                    server, store, service, sync, discovery, dashboard, MCP, ops. Loaded only
//                    when a command needs it; each module inside is initialised on first use.
//   hook.cjs         `claire hook <event>`: Claude Code runs it on every prompt of every session
//   scan-worker.cjs  the worker thread of a cold session scan (it needs a file of its own)
//
// Why CommonJS and not split ES modules: a short command's start-up is what users feel, and the
// ES module loader (resolving every specifier, building ESM facades of Node's built-in modules,
// linking dozens of chunks) cost 15-30 ms per start that CommonJS does not (docs/performance.md).
// Why two files for the CLI: a thin-client command (`claire status` with a server running) must
// not compile the 2.5 MB of server code it never runs.
//
// The CLI's dynamic imports are the seam: `await import("../../runtime/local-claire.ts")` in a
// command becomes a lookup in local.cjs, except for the few small modules the thin client itself
// needs (THIN below). A module present in both files exists twice at run time, so the error
// classes that cross the seam are recognised by a brand, not by identity (src/domain/brand.ts).
//
// It builds into a fresh directory and swaps it in, so a CLI started during a rebuild (tests run
// in parallel) never finds dist/ half-written or missing.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const src = resolve(root, "src");
const dist = new URL("../dist", import.meta.url);
const fresh = new URL(`../dist.build-${process.pid}`, import.meta.url);
const old = new URL(`../dist.old-${process.pid}`, import.meta.url);

/** Dynamic imports the thin client itself makes (finding a running server): kept in its file. */
const THIN = new Set(["cli/api-client.ts", "runtime/server-file.ts", "runtime/paths.ts"]);

const common = {
  // Smaller files read and compile faster (~7% of an in-process command); identifiers are kept,
  // so a stack trace (CLAIRE_LOG_LEVEL=debug) still names the functions.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: Boolean(process.env.CLAIRE_BUILD_SHARED),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22.12",
  sourcemap: "linked",
  external: ["better-sqlite3"],
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  legalComments: "none",
  logLevel: "warning",
  // import.meta.url has no CommonJS equivalent: each file gets its own URL (the dashboard resolves
  // htmx from node_modules through it, `hooks install` finds bin/claire.cjs beside it).
  define: { "import.meta.url": "__claireModuleUrl" },
  banner: { js: 'var __claireModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/**
 * Sends a file's dynamic imports (the keys `redirect` accepts) to local.cjs: each becomes a tiny
 * module `module.exports = require("./local.cjs").load(key)`. Records every key it sends.
 */
const toLocal = (redirect, keys) => ({
  name: "dynamic-imports-to-local",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.path.startsWith("node:") || args.pluginData?.own) return;
      const found = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { own: true },
      });
      if (found.errors.length > 0) return;
      const key = found.path.startsWith(src) ? relative(src, found.path) : args.path;
      if (!redirect(key)) return;
      keys.add(key);
      return { path: key, namespace: "local-module" };
    });
    b.onResolve({ filter: /^\.\/local\.cjs$/ }, () => ({ path: "./local.cjs", external: true }));
    b.onLoad({ filter: /.*/, namespace: "local-module" }, (args) => ({
      contents: `module.exports = require("./local.cjs").load(${JSON.stringify(args.path)});`,
      loader: "js",
      resolveDir: root,
    }));
  },
});

/**
 * commander imports node:child_process for executable subcommands, which Claire never uses;
 * loading it costs every command ~2 ms of start-up, so commander gets a stand-in that loads it on
 * first use.
 */
const lazyChildProcess = {
  name: "commander-lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: "child_process", namespace: "lazy-child-process" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents: 'module.exports = { spawn: (...args) => require("node:child_process").spawn(...args) };',
      loader: "js",
    }));
  },
};

rmSync(fresh, { recursive: true, force: true });
const out = (name) => new URL(name, `${fresh.href}/`).pathname;
const localKeys = new Set();

const cli = await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: out("claire.cjs"),
  plugins: [toLocal((key) => !THIN.has(key), localKeys), lazyChildProcess],
});
// The hook bundles its HTTP client; only the in-process app (no server running) comes from local.cjs.
await build({
  ...common,
  entryPoints: ["src/agent/hook-entry.ts"],
  outfile: out("hook.cjs"),
  plugins: [toLocal((key) => key === "cli/in-process.ts", localKeys)],
});
// One table of lazy loaders: esbuild turns each require() of an ES module into an initialiser that
// runs the first time the module is asked for, so loading local.cjs evaluates nothing it need not.
const table = [...localKeys]
  .sort()
  .map((key) => {
    const path = key.endsWith(".ts") || key.endsWith(".tsx") ? resolve(src, key) : key;
    return `  ${JSON.stringify(key)}: () => require(${JSON.stringify(path)}),`;
  })
  .join("\n");
const local = await build({
  ...common,
  stdin: {
    contents: `const modules = {\n${table}\n};\nexports.load = (key) => modules[key]();\n`,
    resolveDir: root,
    sourcefile: "local-entry.js",
    loader: "js",
  },
  outfile: out("local.cjs"),
});
await build({ ...common, entryPoints: ["src/sessions/scan-worker.ts"], outfile: out("scan-worker.cjs") });

if (process.env.CLAIRE_BUILD_SHARED) {
  const inputs = (r) => new Set(Object.keys(r.metafile.inputs).filter((p) => p.startsWith("src/")));
  const inLocal = inputs(local);
  console.log([...inputs(cli)].filter((p) => inLocal.has(p)).join("\n"));
}
// What each bundle's code cache is keyed by (bin/code-cache.cjs): its content. V8 checks only a
// source's length, and npm gives every installed file the same mtime, so a release whose bundle
// differs only in a same-length string (a version number) would otherwise run the old release's
// compiled code.
const contentIds = Object.fromEntries(
  readdirSync(fresh)
    .filter((f) => f.endsWith(".cjs"))
    .map((f) => [
      f,
      createHash("sha256")
        .update(readFileSync(new URL(f, `${fresh.href}/`)))
        .digest("hex"),
    ]),
);
writeFileSync(out("content-ids.json"), `${JSON.stringify(contentIds, null, 2)}\n`);

try {
  renameSync(dist, old);
} catch {}
renameSync(fresh, dist);
rmSync(old, { recursive: true, force: true });
