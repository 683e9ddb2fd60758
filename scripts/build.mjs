// Bundles the CLI (and everything it reaches) into dist/ with esbuild. One bundle with split
// chunks starts much faster than thousands of node_modules files, which is what keeps
// `claire status` near the cost of a bare `node -e 0`; dynamic imports stay separate chunks, so
// the thin-client path never loads the server.

import { rmSync } from "node:fs";
import { build } from "esbuild";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { claire: "src/cli/main.ts" },
  outdir: "dist",
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
