// Imported first by the in-process API (cli/in-process.ts), which a command or a hook with no
// server running loads to parse a handful of bodies before it exits. By default zod compiles a
// fast parser for each object schema with `new Function` (and probes whether it may, which makes
// Node build its `navigator`): code that no code cache holds, so every start compiled it again for
// parsers used once or twice, ~3 ms of `claire status` (docs/performance.md). `claire serve`,
// which parses all day, never loads this module and keeps them.
//
// First, because zod reads the setting when an object schema is built.
import { z } from "zod";
import "../domain/zod-messages.ts";

z.config({ jitless: true });
