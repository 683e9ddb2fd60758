// Bundles Claire into dist/ with esbuild, as CommonJS files that bin/claire.cjs require()s:
//
//   claire.cjs       the CLI: command parser, every command, the HTTP client of a running server
//   core.cjs         the API app in-process, with what it stands on: config, store, service, domain,
//                    routes, zod and Hono. What a command with no server running loads.
//   local.cjs        the rest of what works on this machine's files: the server, sync, discovery,
//                    dashboard, MCP, ops. Loaded only when a command needs it.
//   hook.cjs         `claire hook <event>`: Claude Code runs it on every prompt of every session
//   hook-local.cjs   the hook's in-process API (no server running): the service, without zod
//   scan-worker.cjs  the worker thread of a cold session scan (it needs a file of its own)
//
// Each module inside core.cjs and local.cjs is initialised on first use, but the file itself is
// read, its code cache deserialised and its top level run on every start that loads it: ~5 ms per
// MB (docs/performance.md). So the in-process API is a file of its own, about half the size of all
// of it, and the other half is not read by `claire status` or a hook.
//
// Why CommonJS and not split ES modules: a short command's start-up is what users feel, and the
// ES module loader (resolving every specifier, building ESM facades of Node's built-in modules,
// linking dozens of chunks) cost 15-30 ms per start that CommonJS does not (docs/performance.md).
// Why a separate CLI file: a thin-client command (`claire status` with a server running) must not
// compile the server code it never runs.
//
// The seams between the files are imports, each becoming `require("./core.cjs").load(key)` (or
// local.cjs), a lookup in that file's table of lazy loaders:
// - the CLI's dynamic imports go to core.cjs or local.cjs, except for the few small modules the
//   thin client itself needs (THIN below). A module present in claire.cjs and another file exists
//   twice at run time, so the error classes that cross that seam are recognised by a brand, not by
//   identity (src/domain/brand.ts);
// - every import in local.cjs of a module that core.cjs holds (static or dynamic, of Claire or of
//   a package) goes to core.cjs, so no module exists in both: one zod, one Hono, one store;
// - core.cjs's dynamic imports of modules outside it go to local.cjs.
//
// It builds into a fresh directory and swaps it in, so a CLI started during a rebuild (tests run
// in parallel) never finds dist/ half-written or missing.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const src = resolve(root, "src");
const dist = new URL("../dist", import.meta.url);
const fresh = new URL(`../dist.build-${process.pid}`, import.meta.url);
const old = new URL(`../dist.old-${process.pid}`, import.meta.url);

/** Dynamic imports the thin client itself makes (finding a running server): kept in its file. */
const THIN = new Set(["cli/api-client.ts", "runtime/server-file.ts", "runtime/paths.ts"]);

/** What core.cjs is built from: the in-process API app and every route group it loads by path. */
const CORE_ENTRIES = [
  "cli/in-process.ts",
  ...[
    "projects",
    "tasks",
    "assignments",
    "sessions",
    "groups",
    "updates",
    "messages",
    "status",
    "sync",
    "agent",
  ].map((group) => `http/routes/${group}.ts`),
];

const common = {
  // Smaller files read and compile faster (~7% of an in-process command); identifiers are kept,
  // so a stack trace (CLAIRE_LOG_LEVEL=debug) still names the functions.
  absWorkingDir: root,
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  // Every byte pure ASCII (esbuild escapes the rest): bin/code-cache.cjs reads the bundles as
  // latin1, about twice as fast as UTF-8 for the 1 MB files.
  charset: "ascii",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22.12",
  sourcemap: "linked",
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  legalComments: "none",
  // Read at run time to find better-sqlite3's native module (sqliteBinding below).
  external: ["better-sqlite3/package.json"],
  logLevel: "warning",
  // import.meta.url has no CommonJS equivalent: each file gets its own URL (the dashboard resolves
  // htmx from node_modules through it, `hooks install` finds bin/claire.cjs beside it; every
  // bundle is in dist/, so beside one is beside all).
  define: { "import.meta.url": "__claireModuleUrl" },
  banner: { js: 'var __claireModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/**
 * better-sqlite3's JavaScript is bundled (resolving, reading and compiling its 15 small files cost
 * ~3 ms of every in-process start); its native module stays where npm put it. binding.js looks for
 * that file beside itself (__dirname), which in a bundle is dist/: it looks in the installed
 * package instead, where the bundle's own require() finds it: the package's node_modules first
 * (where Node looks first; one stat), else wherever resolution leads (a hoisted install; ~2 ms).
 */
const sqliteBinding = {
  name: "better-sqlite3-binding",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]better-sqlite3[\\/]lib[\\/]binding\.js$/ }, (args) => ({
      contents: `var __sqliteLib = (() => {
  var path = require("node:path");
  var own = path.join(__dirname, "..", "node_modules", "better-sqlite3", "lib");
  return require("node:fs").existsSync(own) ? own : path.join(path.dirname(require.resolve("better-sqlite3/package.json")), "lib");
})();
${readFileSync(args.path, "utf8").replaceAll("__dirname", "__sqliteLib")}`,
      loader: "js",
    }));
  },
};

/**
 * A module's key in a bundle's table: its path under src/, or from node_modules/ for a package's
 * (wherever node_modules really is: a symlinked one resolves elsewhere).
 */
const keyOf = (path) => {
  if (path.startsWith(`${src}/`)) return relative(src, path);
  const i = path.lastIndexOf("/node_modules/");
  return i >= 0 ? path.slice(i + 1) : relative(root, path);
};

/**
 * Sends imports to another bundle: an import that `target(path, kind)` names a bundle for becomes
 * a tiny module `module.exports = require("./<bundle>").load(key)`. Records each key it sends,
 * with the module's path, in `sent[bundle]`.
 */
const seams = (target, sent) => ({
  name: "imports-to-other-bundles",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.own || args.kind === "entry-point" || args.path.startsWith("node:")) return;
      if (/^\.\/(core|local|hook-local)\.cjs$/.test(args.path)) return { path: args.path, external: true };
      const found = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { own: true },
      });
      if (found.errors.length > 0 || found.external) return;
      const bundle = target(found.path, args.kind);
      if (!bundle) return;
      const key = keyOf(found.path);
      sent[bundle].set(key, found.path);
      // The path must not end in .mjs: esbuild would take the stand-in for an ES module.
      return { path: `${key} (${bundle})`, namespace: "other-bundle" };
    });
    b.onLoad({ filter: /.*/, namespace: "other-bundle" }, (args) => {
      const [, key, bundle] = /^(.*) \((core|local|hook-local)\.cjs\)$/s.exec(args.path);
      return {
        contents: `module.exports = require("./${bundle}.cjs").load(${JSON.stringify(key)});`,
        loader: "js",
        resolveDir: root,
      };
    });
  },
});

/**
 * A bundle's table of lazy loaders, one per module (a map of key to path): esbuild turns each
 * require() of an ES module into an initialiser that runs the first time the module is asked for,
 * so loading the file evaluates nothing it need not.
 */
const tableOf = (modules) => ({
  contents: `const modules = {\n${[...modules]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, path]) => `  ${JSON.stringify(key)}: () => require(${JSON.stringify(path)}),`)
    .join("\n")}\n};\nexports.load = (key) => modules[key]();\n`,
  resolveDir: root,
  sourcefile: "bundle-table.js",
  loader: "js",
});

/**
 * zod loaded on first use: Claire's own imports of zod go to src/domain/zod-on-first-use.cjs, the
 * one module that imports the real zod, the first time a module reads `z`. Its module-level
 * schemas are made on first use too (src/domain/lazy-schema.ts), so a hook or a command that
 * parses nothing never loads zod. Packages that use zod (@hono/zod-openapi, the MCP SDK) import
 * it directly: the same module, loaded when they load.
 */
const FIRST_USE = resolve(src, "domain/zod-on-first-use.cjs");
const zodOnFirstUse = {
  name: "zod-on-first-use",
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, async (args) => {
      if (!args.importer.startsWith(`${src}/`) || args.pluginData?.own || args.pluginData?.zodEsm) return;
      // Its require("zod") gets the ES module, as the packages' imports do: one zod in a bundle.
      const first = args.importer === FIRST_USE;
      const r = await b.resolve(first ? "zod" : FIRST_USE, {
        kind: first ? "import-statement" : args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: first ? { zodEsm: true } : undefined,
      });
      if (r.errors.length > 0) return { errors: r.errors };
      return { path: r.path, namespace: r.namespace, external: r.external, pluginData: r.pluginData };
    });
  },
};

/**
 * zod's error messages in ~50 languages are a third of its code and Claire speaks English: the
 * locales module is cut down to the English one, which zod installs by default.
 */
const englishOnly = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: resolve(args.resolveDir, "../locales/index.js"), namespace: "zod-locales" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

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
mkdirSync(fresh);
const out = (name) => new URL(name, `${fresh.href}/`).pathname;

// Which files core.cjs holds: everything its entries import statically, with zod cut down.
const closure = await build({
  ...common,
  sourcemap: false,
  write: false,
  stdin: {
    contents: CORE_ENTRIES.map(
      (key, i) => `export * as m${i} from ${JSON.stringify(resolve(src, key))};`,
    ).join("\n"),
    resolveDir: root,
    loader: "js",
  },
  outfile: out("closure.cjs"),
  plugins: [
    zodOnFirstUse,
    englishOnly,
    sqliteBinding,
    {
      name: "dynamic-imports-outside",
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) =>
          args.kind === "dynamic-import" ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});
const inCore = new Set(
  Object.keys(closure.metafile.inputs)
    .filter((p) => !p.includes(":"))
    .map((p) => resolve(root, p)),
);
const bundleOf = (path) => (inCore.has(path) ? "core.cjs" : "local.cjs");
const sent = {
  "core.cjs": new Map(CORE_ENTRIES.map((key) => [key, resolve(src, key)])),
  "local.cjs": new Map(),
  "hook-local.cjs": new Map(),
};
const fromClaire = (path, kind) =>
  kind === "dynamic-import" && !THIN.has(keyOf(path)) ? bundleOf(path) : null;

const cli = await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: out("claire.cjs"),
  plugins: [zodOnFirstUse, seams(fromClaire, sent), lazyChildProcess],
});
// The hook bundles its HTTP client; its in-process API (no server running) is hook-local.cjs, a
// bundle of its own that a hook with a server never reads, and that holds everything it runs but
// zod, which it loads from core.cjs should it ever need it (src/domain/zod-on-first-use.cjs): a
// hook parses nothing, and zod is most of core.cjs's bytes. The in-process app, which the HTTP
// client it shares with the CLI names but the hook never asks for, stays in core.cjs.
const HOOK_FROM_CORE = new Set(["cli/in-process.ts"]);
const hook = await build({
  ...common,
  entryPoints: ["src/agent/hook-entry.ts"],
  outfile: out("hook.cjs"),
  plugins: [
    zodOnFirstUse,
    seams(
      (path, kind) =>
        keyOf(path) === "agent/hook-local.ts"
          ? "hook-local.cjs"
          : HOOK_FROM_CORE.has(keyOf(path))
            ? fromClaire(path, kind)
            : null,
      sent,
    ),
  ],
});
await build({
  ...common,
  stdin: tableOf(new Map([["agent/hook-local.ts", resolve(src, "agent/hook-local.ts")]])),
  outfile: out("hook-local.cjs"),
  plugins: [
    zodOnFirstUse,
    sqliteBinding,
    seams(
      (path, kind) =>
        keyOf(path).startsWith("node_modules/zod/")
          ? "core.cjs"
          : HOOK_FROM_CORE.has(keyOf(path))
            ? fromClaire(path, kind)
            : null,
      sent,
    ),
  ],
});

// core.cjs and local.cjs each need the other's table: built until neither asks for a key more.
const sealed = async () => {
  for (;;) {
    const asked = sent["core.cjs"].size + sent["local.cjs"].size;
    const core = await build({
      ...common,
      write: false,
      stdin: tableOf(sent["core.cjs"]),
      outfile: out("core.cjs"),
      plugins: [
        zodOnFirstUse,
        englishOnly,
        sqliteBinding,
        seams((path, kind) => (kind === "dynamic-import" && !inCore.has(path) ? "local.cjs" : null), sent),
      ],
    });
    const local = await build({
      ...common,
      write: false,
      stdin: tableOf(sent["local.cjs"]),
      outfile: out("local.cjs"),
      plugins: [
        zodOnFirstUse,
        englishOnly,
        sqliteBinding,
        seams((path) => (inCore.has(path) ? "core.cjs" : null), sent),
      ],
    });
    if (sent["core.cjs"].size + sent["local.cjs"].size === asked) return [core, local];
  }
};
const built = await sealed();
for (const result of built) for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
await build({
  ...common,
  entryPoints: ["src/sessions/scan-worker.ts"],
  outfile: out("scan-worker.cjs"),
  plugins: [zodOnFirstUse],
});

if (process.env.CLAIRE_BUILD_SHARED) {
  // The modules of Claire that exist twice at run time (in claire.cjs or hook.cjs, and in core.cjs).
  const ours = (r) => new Set(Object.keys(r.metafile.inputs).filter((p) => p.startsWith("src/")));
  const inCoreOrLocal = new Set([...ours(built[0]), ...ours(built[1])]);
  console.log([...new Set([...ours(cli), ...ours(hook)])].filter((p) => inCoreOrLocal.has(p)).join("\n"));
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
