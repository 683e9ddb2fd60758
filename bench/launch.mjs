// `npm run bench` entry: bundles bench/run.ts with esbuild into bench-output/ (git-ignored), then
// runs the bundle with the Node 24 pinned in the package (node_modules/node) and --expose-gc.
// Arguments are passed through to bench/run.ts, except --cpu-prof, which makes Node write V8 CPU
// profiles to bench-output/profiles/ (open them in Chrome DevTools or speedscope).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const profile = args.includes("--cpu-prof");
const passThrough = args.filter((a) => a !== "--cpu-prof");

// A profiled run keeps its bundle so the profile's source positions stay readable.
const outdir = join(root, "bench-output", profile ? "bundle-profile" : `bundle-${process.pid}`);
await build({
  entryPoints: { run: join(root, "bench", "run.ts") },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node24",
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

const pinned = join(root, "node_modules", "node", "bin", "node");
const node = existsSync(pinned) ? pinned : process.execPath;
const nodeArgs = ["--expose-gc", "--enable-source-maps"];
if (profile) {
  const dir = join(root, "bench-output", "profiles");
  mkdirSync(dir, { recursive: true });
  nodeArgs.push("--cpu-prof", `--cpu-prof-dir=${dir}`);
}

const cleanup = () => {
  if (!profile) rmSync(outdir, { recursive: true, force: true });
};
const child = spawn(node, [...nodeArgs, join(outdir, "run.mjs"), ...passThrough], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => {
  cleanup();
  if (profile) process.stderr.write(`bench: CPU profiles in ${join(root, "bench-output", "profiles")}\n`);
  process.exitCode = code ?? (signal ? 1 : 0);
});
