// `claire hook <event>`: what Claude Code runs on SessionStart, UserPromptSubmit, Notification,
// Stop and SessionEnd. It reads the hook JSON on stdin, sends it to the API (the running server
// when there is one, else the same app in-process), prints the briefing the API composed, and
// marks delivered only the messages it printed whole.
//
// A hook must never break or slow Claude Code: on any error (malformed, empty or huge stdin, no
// server, a bug) it exits 0 with no output and writes nothing, and it logs why to stderr and to
// hooks.log in Claire's data dir. Its imports are kept minimal: when a server runs, this path
// loads neither the server nor a schema library.
import { appendFileSync, fstatSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiClient } from "../cli/api-client.ts";
import { localPaths } from "../runtime/paths.ts";
import { hookOutput, isHookEventName, parseHookStdin } from "./hook-input.ts";
import {
  claudePid,
  liveProcess,
  readProcessState,
  removeProcessState,
  stateDir,
  writeProcessState,
} from "./hook-state.ts";

/** Larger input is not a hook's (Claude Code sends a few KB); it is drained and ignored. */
export const MAX_STDIN_BYTES = 2 * 1024 * 1024;
/** Claude Code injects additionalContext whole up to 10,000 characters (docs/claude-code-notes.md). */
export const HOOK_OUTPUT_LIMIT = 10_000;
const STDIN_WAIT_MS = 5_000;
/** The whole hook, start to end; Claude Code's own limit for it (set by `hooks install`) is 30 s. */
export const HOOK_DEADLINE_MS = 10_000;
const LOG_MAX_BYTES = 1024 * 1024;

export type StdinRead = { text: string } | { error: string };

export type HookIo = {
  /** The whole of stdin, or why it cannot be had. */
  readonly readInput: () => Promise<StdinRead>;
  readonly stdout: Writer;
  readonly stderr: { readonly write: (text: string) => unknown };
  readonly env: Record<string, string | undefined>;
  /** The hook's parent (the shell Claude Code started it with). */
  readonly ppid: number;
  /** Opens the API (tests inject one); default: the running server, else in-process. */
  readonly connect?: (actor: string) => Promise<ApiClient>;
};

const sizeError = (size: number): StdinRead => ({
  error: `stdin is ${size} bytes, more than the ${MAX_STDIN_BYTES} a hook reads`,
});

/** Reads a stream to its end (keeping nothing past the limit), or gives up after waitMs. */
export const readStream = (stream: NodeJS.ReadableStream, waitMs = STDIN_WAIT_MS): Promise<StdinRead> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: StdinRead) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => finish({ error: `stdin did not end within ${waitMs} ms` }), waitMs);
    timer.unref();
    stream.on("data", (c: Buffer | string) => {
      const b = typeof c === "string" ? Buffer.from(c) : c;
      size += b.length;
      // Keep reading (so the writer never fails) but keep nothing past the limit.
      if (size <= MAX_STDIN_BYTES) chunks.push(b);
    });
    stream.on("end", () =>
      finish(size > MAX_STDIN_BYTES ? sizeError(size) : { text: Buffer.concat(chunks).toString("utf8") }),
    );
    stream.on("error", (e: Error) => finish({ error: `cannot read stdin: ${e.message}` }));
  });

/**
 * Reads fd 0 to its end synchronously: a third of the cost of a stdin stream, which matters on
 * every prompt. Claude Code writes the JSON and closes the pipe; a terminal is never read.
 */
export const readFd0 = async (): Promise<StdinRead> => {
  try {
    if (fstatSync(0).isCharacterDevice())
      return { error: "stdin is a terminal, not Claude Code's hook JSON" };
    const data = readFileSync(0);
    return data.length > MAX_STDIN_BYTES ? sizeError(data.length) : { text: data.toString("utf8") };
  } catch (e) {
    return { error: `cannot read stdin: ${(e as Error).message}` };
  }
};

/** Where the briefing goes: process.stdout in tests, file descriptor 1 in the hook process. */
export type Writer = { readonly write: (text: string, done: (e?: Error | null) => void) => unknown };

/**
 * File descriptor 1, written whole before `done` is called. Not process.stdout: making that
 * stream for a pipe (how Claude Code reads a hook) costs ~2.5 ms (src/cli/stdout.ts). A
 * descriptor that cannot take it all is an error like any other: the briefing counts as not
 * printed, so its messages stay unread.
 */
export const fd1: Writer = {
  write: (text, done) => {
    try {
      writeFileSync(1, text);
    } catch (e) {
      return done(e as Error);
    }
    done();
  },
};

const writeOut = (stream: Writer, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    stream.write(text, (e) => (e ? reject(e) : resolve()));
  });

/** One line to stderr and to <data dir>/hooks.log; never throws. */
const logFailure = (io: HookIo, event: string, message: string): void => {
  try {
    io.stderr.write(`claire hook ${event}: ${message}\n`);
  } catch {}
  try {
    const path = join(localPaths(io.env).dataDir, "hooks.log");
    try {
      if (statSync(path).size > LOG_MAX_BYTES) renameSync(path, `${path}.1`);
    } catch {}
    appendFileSync(
      path,
      `${JSON.stringify({ time: new Date().toISOString(), event, pid: process.pid, message })}\n`,
      { mode: 0o600 },
    );
  } catch {}
};

type HookApiResult = {
  session: { machineId: string; sessionId: string };
  context: string | null;
  messages: string[];
  tasks: string[];
};

const defaultConnect = async (actor: string): Promise<ApiClient> => {
  const { connect } = await import("../cli/api-client.ts");
  // With no server, the service itself rather than the in-process HTTP app (see hook-local.ts).
  return connect({
    actor,
    inProcess: async () => (await import("./hook-local.ts")).openLocalHookApi(actor),
  });
};

const problemText = (status: number, body: unknown): string => {
  const detail = (body as { detail?: unknown } | null)?.detail;
  return `the API answered ${status}${typeof detail === "string" ? `: ${detail}` : ""}`;
};

/** Runs one hook event. Resolves whether it printed; never rejects. */
export const runHook = async (event: string | undefined, io: HookIo): Promise<{ printed: boolean }> => {
  const name = event ?? "(none)";
  let client: ApiClient | null = null;
  let timer: NodeJS.Timeout | undefined;
  const work = async (): Promise<{ printed: boolean }> => {
    if (!isHookEventName(event)) {
      logFailure(
        io,
        name,
        "unknown event; expected SessionStart, UserPromptSubmit, Notification, Stop or SessionEnd",
      );
      return { printed: false };
    }
    const read = await io.readInput();
    if ("error" in read) {
      logFailure(io, event, read.error);
      return { printed: false };
    }
    const input = parseHookStdin(read.text, event);
    if (!input.ok) {
      logFailure(io, event, input.reason);
      return { printed: false };
    }
    const hook = input.value;
    const claude = claudePid(io.env, io.ppid);
    // Memory between events is per Claude process (see liveProcess).
    const live = liveProcess(claude);
    const pid = live?.pid ?? null;
    const start = live?.start ?? null;
    const dir = stateDir(localPaths(io.env).dataDir);
    const remembered = pid === null ? null : readProcessState(dir, pid, start);
    const sameSession = remembered?.sessionId === hook.sessionId;
    const briefs = event === "SessionStart" || event === "UserPromptSubmit";

    client = await (io.connect ?? defaultConnect)(`session:${hook.sessionId}`);
    const res = await client.call("POST", "/agent/hook", {
      body: {
        event,
        sessionId: hook.sessionId,
        cwd: hook.cwd,
        transcriptPath: hook.transcriptPath,
        source: hook.source,
        reason: hook.reason,
        notificationType: hook.notificationType,
        message: hook.message,
        claudePid: claude,
        ...(event === "SessionStart" && remembered && !sameSession
          ? { predecessor: remembered.sessionId }
          : {}),
        ...(event === "UserPromptSubmit" && pid !== null
          ? { knownTasks: sameSession ? remembered!.tasks : [] }
          : {}),
        budget: HOOK_OUTPUT_LIMIT - (hookOutput(event, "")?.length ?? 0),
      },
    });
    if (res.status !== 200) {
      logFailure(io, event, problemText(res.status, res.body));
      return { printed: false };
    }
    const result = res.body as HookApiResult;
    const out = briefs ? hookOutput(event, result.context) : null;
    let printed = false;
    if (out !== null) {
      if (out.length > HOOK_OUTPUT_LIMIT) {
        logFailure(io, event, `briefing of ${out.length} characters is over the limit; not printed`);
        return { printed: false };
      }
      await writeOut(io.stdout, out);
      printed = true;
      if (result.messages.length > 0) {
        const marked = await client.call("POST", "/agent/delivered", {
          body: {
            session: `${result.session.machineId}/${result.session.sessionId}`,
            messages: result.messages,
          },
        });
        if (marked.status !== 200) logFailure(io, event, problemText(marked.status, marked.body));
      }
    }
    if (pid !== null) {
      if (briefs) writeProcessState(dir, { pid, start, sessionId: hook.sessionId, tasks: result.tasks });
      else if (event === "SessionEnd" && sameSession && hook.reason !== "clear" && hook.reason !== "resume")
        removeProcessState(dir, pid);
    }
    return { printed };
  };
  const deadline = new Promise<{ printed: boolean }>((resolve) => {
    timer = setTimeout(() => {
      logFailure(io, name, `gave up after ${HOOK_DEADLINE_MS} ms`);
      resolve({ printed: false });
    }, HOOK_DEADLINE_MS);
    timer.unref();
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (e) {
    logFailure(io, name, (e as Error)?.message ?? String(e));
    return { printed: false };
  } finally {
    clearTimeout(timer);
    try {
      (client as ApiClient | null)?.close();
    } catch {}
  }
};

/** The process entry: run, then exit 0 whatever happened (a hook never fails Claude Code). */
export const runHookProcess = async (event: string | undefined): Promise<void> => {
  const exit = () => process.exit(0);
  process.on("uncaughtException", exit);
  process.on("unhandledRejection", exit);
  await runHook(event, {
    readInput: readFd0,
    stdout: fd1,
    // Made only when there is something to say: like stdout, a stream that costs to make.
    stderr: { write: (text) => process.stderr.write(text) },
    env: process.env,
    ppid: process.ppid,
  });
  exit();
};
