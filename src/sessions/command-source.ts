// The `command` source: a program (sessions.command, e.g. an `rclaude` wrapper) that prints the
// sessions it knows as JSON, in the shape documented in docs/sessions.md. Every failure is a
// message naming the config key, never an exception.
import { z } from "zod";
import { runProgram, splitCommandLine } from "./run-program.ts";

const CONFIG_KEY = "sessions.command";

const isoTime = z.union([z.string().max(64), z.number().finite()]).transform((v, ctx) => {
  const ms = typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: "not an ISO 8601 time or epoch milliseconds" });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});
const count = z.number().int().nonnegative();
const text = (max: number) => z.string().transform((s) => s.slice(0, max));

/** One session as the lister prints it. Unknown fields are ignored, so listers can say more. */
export const CommandSessionSchema = z.object({
  sessionId: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits, '_', '.', ':' or '-'"),
  cwd: text(4096).nullish(),
  state: z.enum(["working", "waiting", "idle", "ended"]).nullish(),
  stateReason: text(200).nullish(),
  title: text(500).nullish(),
  model: text(200).nullish(),
  gitBranch: text(512).nullish(),
  version: text(64).nullish(),
  transcriptPath: text(4096).nullish(),
  pid: count.nullish(),
  firstActivity: isoTime.nullish(),
  lastActivity: isoTime.nullish(),
  userMessages: count.nullish(),
  assistantMessages: count.nullish(),
  tokens: z
    .object({
      input: count.default(0),
      output: count.default(0),
      cacheCreation: count.default(0),
      cacheRead: count.default(0),
    })
    .nullish(),
  costUsd: z.number().nonnegative().nullish(),
});
export type CommandSession = z.output<typeof CommandSessionSchema>;

export type CommandListing = {
  sessions: CommandSession[];
  /** Entries that were skipped, each a message naming the config key. */
  problems: string[];
};

export type CommandOutcome<T> = { ok: true; value: T } | { ok: false; error: string };

/** A JSON array of sessions, or an object with a `sessions` array. */
export const parseCommandOutput = (stdout: string): CommandOutcome<CommandListing> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (e) {
    const head = JSON.stringify(stdout.trim().slice(0, 60));
    return {
      ok: false,
      error: `${CONFIG_KEY}: the output is not JSON (${(e as Error).message}); it began ${head}`,
    };
  }
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === "object" &&
        parsed !== null &&
        Array.isArray((parsed as { sessions?: unknown }).sessions)
      ? (parsed as { sessions: unknown[] }).sessions
      : null;
  if (list === null)
    return {
      ok: false,
      error: `${CONFIG_KEY}: the output must be a JSON array of sessions or {"sessions": [...]} (see docs/sessions.md)`,
    };
  const out: CommandListing = { sessions: [], problems: [] };
  list.forEach((item, i) => {
    const r = CommandSessionSchema.safeParse(item);
    if (r.success) out.sessions.push(r.data);
    else {
      const issues = r.error.issues.map((x) => `${x.path.join(".") || "(entry)"}: ${x.message}`).join("; ");
      out.problems.push(`${CONFIG_KEY}: session ${i} of the output was skipped: ${issues}`);
    }
  });
  return { ok: true, value: out };
};

export interface CommandSourceDeps {
  command: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  home?: string;
}

export interface CommandSource {
  /** Runs `<program> --version`; the first line of its output, or an error. */
  checkVersion(): Promise<CommandOutcome<string>>;
  list(): Promise<CommandOutcome<CommandListing>>;
}

export const createCommandSource = (deps: CommandSourceDeps): CommandSource => {
  const argv = splitCommandLine(deps.command, deps.home);
  const run = async (args: readonly string[], what: string): Promise<CommandOutcome<string>> => {
    if (!Array.isArray(argv))
      return { ok: false, error: `${CONFIG_KEY} cannot be split into words: ${argv.error}` };
    const r = await runProgram(args, { timeoutMs: deps.timeoutMs, env: deps.env });
    if (r.ok) return { ok: true, value: r.stdout };
    const hint =
      r.failure === "timeout"
        ? " (raise sessions.command_timeout_seconds if it is just slow)"
        : r.failure === "missing"
          ? " (install it, or fix sessions.command in claire.toml)"
          : "";
    return { ok: false, error: `${CONFIG_KEY}: ${what} ${r.message}${hint}` };
  };
  return {
    checkVersion: async () => {
      if (!Array.isArray(argv))
        return { ok: false, error: `${CONFIG_KEY} cannot be split into words: ${argv.error}` };
      const r = await run([argv[0]!, "--version"], `\`${argv[0]} --version\``);
      return r.ok ? { ok: true, value: r.value.trim().split("\n")[0] ?? "" } : r;
    },
    list: async () => {
      if (!Array.isArray(argv))
        return { ok: false, error: `${CONFIG_KEY} cannot be split into words: ${argv.error}` };
      const r = await run(argv, `\`${deps.command}\``);
      return r.ok ? parseCommandOutput(r.value) : r;
    },
  };
};
