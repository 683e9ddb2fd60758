// The bundle entry of `claire hook <event>` (dist/hook.cjs): bin/claire.cjs loads it instead of the
// whole CLI, because Claude Code runs a hook on every prompt of every session and the CLI's
// command parser and commands cost more to load than the hook's own work.
import { runHookProcess } from "./hook-run.ts";

// argv: <node> bin/claire.cjs hook <event>
void runHookProcess(process.argv[3]);
