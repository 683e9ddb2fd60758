// Running the programs session discovery asks (`claude agents --json`, the `sessions.command`
// lister): argv without a shell, a hard time limit on the whole process group, bounded output.
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * Splits a command line into argv the way a POSIX shell would split words, without running a
 * shell: blanks separate words, '...' is literal, "..." allows \" \\ \$ \` escapes, a backslash
 * outside quotes escapes the next character. No variables, globs, pipes or redirections.
 * A leading `~/` in the program name means the home directory.
 */
export const splitCommandLine = (line: string, home?: string): string[] | { error: string } => {
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  const add = (s: string) => {
    word = (word ?? "") + s;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { error: "an opening ' has no closing '" };
      add(line.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = "";
      while (j < line.length && line[j] !== '"') {
        if (line[j] === "\\" && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) {
          s += line[j + 1];
          j += 2;
        } else s += line[j++];
      }
      if (j >= line.length) return { error: 'an opening " has no closing "' };
      add(s);
      i = j + 1;
    } else if (c === "\\") {
      if (i + 1 >= line.length) return { error: "the line ends with a lone backslash" };
      add(line[i + 1]!);
      i += 2;
    } else {
      add(c);
      i++;
    }
  }
  if (word !== null) words.push(word);
  if (words.length === 0) return { error: "it is empty" };
  const first = words[0]!;
  if (home !== undefined && first.startsWith("~/")) words[0] = join(home, first.slice(2));
  return words;
};

/** The executable a bare program name resolves to on PATH (as a shell would), or null. */
export const findOnPath = (name: string, pathVar: string | undefined): string | null => {
  const isExecutableFile = (p: string): boolean => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes("/")) return isExecutableFile(name) ? name : null;
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const p = join(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return null;
};

export type RunFailure = "missing" | "not-executable" | "timeout" | "exit" | "too-large" | "spawn";

export type RunOutcome =
  | { ok: true; stdout: string; stderr: string; ms: number }
  | { ok: false; failure: RunFailure; message: string; stderr: string };

export interface RunOptions {
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output beyond this many bytes ends the program (default 32 MiB). */
  maxBytes?: number;
}

const lastLine = (s: string): string => s.trim().split("\n").at(-1)?.slice(0, 300) ?? "";

export const runProgram = (argv: readonly string[], opts: RunOptions): Promise<RunOutcome> =>
  new Promise((resolve) => {
    const [program, ...args] = argv;
    if (program === undefined) {
      resolve({ ok: false, failure: "spawn", message: "no program given", stderr: "" });
      return;
    }
    const started = performance.now();
    const max = opts.maxBytes ?? 32 * 1024 * 1024;
    const child = spawn(program, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["ignore", "pipe", "pipe"],
      // Own process group: the time limit ends whatever the program started too.
      detached: true,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = "";
    let verdict: { failure: RunFailure; message: string } | null = null;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      verdict ??= { failure: "timeout", message: `no answer within ${opts.timeoutMs / 1000} s` };
      killGroup();
    }, opts.timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      outBytes += d.length;
      if (outBytes > max) {
        verdict ??= { failure: "too-large", message: `printed more than ${max} bytes` };
        killGroup();
      } else out.push(d);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      if (err.length < 64 * 1024) err += d;
    });
    child.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const failure: RunFailure =
        e.code === "ENOENT" ? "missing" : e.code === "EACCES" ? "not-executable" : "spawn";
      const message =
        failure === "missing"
          ? `'${program}' not found${program.includes("/") ? "" : " on PATH"}`
          : failure === "not-executable"
            ? `'${program}' is not executable`
            : `cannot start '${program}': ${e.message}`;
      resolve({ ok: false, failure, message, stderr: err });
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (verdict !== null) {
        resolve({ ok: false, ...verdict, stderr: err });
        return;
      }
      if (code !== 0) {
        const how = code === null ? `was killed by ${signal}` : `exited with status ${code}`;
        const said = lastLine(err);
        resolve({ ok: false, failure: "exit", message: `${how}${said ? `: ${said}` : ""}`, stderr: err });
        return;
      }
      resolve({
        ok: true,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: err,
        ms: performance.now() - started,
      });
    });
  });
