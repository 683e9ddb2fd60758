// What Claire's modules get in the bundles when they import zod (scripts/build.mjs sends their
// `import { z } from "zod"` here): zod loaded, and configured (zod-config.ts), the first time `z`
// is read, not when a module that imports it loads. With the module-level schemas made on first
// use (lazy-schema.ts), a process that parses nothing never loads zod: about half of a hook's
// start-up once was zod's (docs/performance.md). CommonJS on purpose: esbuild hands an importer a
// getter onto `exports.z`, so nothing is read until the importer uses it. The test suite imports
// zod directly.
"use strict";

let zod;

const load = () => {
  if (zod === undefined) {
    zod = require("zod");
    require("./zod-config.ts").configureZod(zod.z);
    // Seen by the test that checks a hook never loads zod (test/cli-bin.e2e.test.ts).
    globalThis[Symbol.for("claire.zod.loaded")] = true;
  }
  return zod;
};

Object.defineProperty(exports, "z", { enumerable: true, get: () => load().z });
