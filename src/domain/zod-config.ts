// How zod speaks and compiles in Claire, applied to zod once per process before any schema is built
// or used. In the bundles zod is loaded on first use (scripts/build.mjs), and that loader applies
// it; the test suite applies it in its set-up (test/support/zod.ts). It takes zod as an argument
// rather than importing it, so that applying it never loads zod early.
import type { z } from "zod";
import { type Issue, plainMessage } from "./zod-messages.ts";

type Zod = typeof z;

let configured: Zod | null = null;
let jitless = false;

export const configureZod = (zod: Zod): void => {
  if (configured === zod) return;
  configured = zod;
  zod.config({ customError: (iss) => plainMessage(iss as Issue), ...(jitless ? { jitless: true } : {}) });
};

/**
 * A short-lived process (a CLI command with no server, a hook) parses a handful of bodies before
 * it exits. By default zod compiles a fast parser for each object schema with `new Function` (and
 * probes whether it may, which makes Node build its `navigator`): code no code cache holds, so
 * every start compiled it again for parsers used once or twice, ~3 ms of `claire status`
 * (docs/performance.md). `claire serve`, which parses all day, keeps them. Called before any
 * object schema is built: zod reads the setting then.
 */
export const preferJitlessZod = (): void => {
  jitless = true;
  configured?.config({ jitless: true });
};
