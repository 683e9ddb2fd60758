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
  entryPoints: { claire: "src/cli/main.ts" },
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
try {
  renameSync(dist, old);
} catch {}
renameSync(fresh, dist);
rmSync(old, { recursive: true, force: true });
