// Bundles the CLI (and everything it reaches) into dist/ with esbuild. One bundle with split
// chunks starts much faster than thousands of node_modules files, which is what keeps
// `claire status` near the cost of a bare `node -e 0`; dynamic imports stay separate chunks, so
// the thin-client path never loads the server.
//
// It builds into a fresh directory and swaps it in, so a CLI started during a rebuild (tests run
// in parallel) never finds dist/ half-written or missing.
import { renameSync, rmSync } from "node:fs";
import { build } from "esbuild";

const dist = new URL("../dist", import.meta.url);
const fresh = new URL(`../dist.build-${process.pid}`, import.meta.url);
const old = new URL(`../dist.old-${process.pid}`, import.meta.url);
rmSync(fresh, { recursive: true, force: true });
await build({
  // in-process: a stable name for the hook bundle below to load when no server runs.
  entryPoints: { claire: "src/cli/main.ts", "in-process": "src/cli/in-process.ts" },
  outdir: fresh.pathname,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22.12",
  sourcemap: "linked",
  external: ["better-sqlite3"],
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  legalComments: "none",
  logLevel: "warning",
  banner: {
    js: "import { createRequire as __claireCreateRequire } from 'node:module'; const require = __claireCreateRequire(import.meta.url);",
  },
});
// `claire hook <event>` runs on every prompt of every Claude Code session, so bin/claire.cjs loads
// this small CommonJS bundle instead of the CLI: no command parser, no ES module loader, no ESM
// facades of Node's built-in modules (together about half of a hook's own time). Without a running
// server it loads the in-process API app from the ES module bundle above.
await build({
  entryPoints: ["src/agent/hook-entry.ts"],
  outfile: new URL("hook.cjs", `${fresh.href}/`).pathname,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22.12",
  sourcemap: "linked",
  external: ["better-sqlite3"],
  legalComments: "none",
  logLevel: "warning",
  plugins: [
    {
      name: "in-process-from-esm-bundle",
      setup: (b) =>
        b.onResolve({ filter: /\/in-process\.ts$/ }, () => ({ path: "./in-process.js", external: true })),
    },
  ],
});
try {
  renameSync(dist, old);
} catch {}
renameSync(fresh, dist);
rmSync(old, { recursive: true, force: true });
