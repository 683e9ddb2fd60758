import { build } from "esbuild";
const r = await build({ entryPoints: [process.argv[2]], bundle: true, platform: "node", format: "cjs", write: false, metafile: true, outfile: "/tmp/x.cjs", logLevel: "error",
  plugins: [{ name: "dyn", setup(b) { b.onResolve({ filter: /.*/ }, (a) => a.kind === "dynamic-import" ? { path: a.path, external: true } : undefined); } }] });
const inputs = r.metafile.inputs;
const zodUsers = Object.entries(inputs).filter(([p, v]) => p.startsWith("src/") && v.imports.some((i) => i.path.includes("node_modules/zod") && !i.external)).map(([p]) => p);
console.log("src modules:", Object.keys(inputs).filter((p) => p.startsWith("src/")).length);
console.log("zod importers:", zodUsers.join(" "));
