// Imported first by the in-process API (cli/in-process.ts) and the hook's (agent/hook-local.ts):
// no compiled zod parsers in a short-lived process (see preferJitlessZod). `claire serve`, which
// parses all day, never loads this module and keeps them.
import { preferJitlessZod } from "../domain/zod-config.ts";

preferJitlessZod();
