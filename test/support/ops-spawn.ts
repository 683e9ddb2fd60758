// Long-running CLI commands for the ops suites (`claire demo`, `claire serve`): started as real
// processes in a throwaway home, resolved once they print their URL, stopped with a signal.
import { type ChildProcess, spawn } from "node:child_process";
import { BIN, cliEnv, PINNED_NODE } from "./cli-run.ts";

export type Running = {
  readonly url: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly stop: () => Promise<number | null>;
};

const running = new Set<ChildProcess>();

export const startCli = (
  args: readonly string[],
  home: string,
  env: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
): Promise<Running> =>
  new Promise((done, fail) => {
    const child = spawn(PINNED_NODE, [BIN, ...args], {
      cwd: home,
      env: cliEnv(home, env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child);
    let out = "";
    let err = "";
    const exited = new Promise<number | null>((r) =>
      child.on("exit", (code) => {
        running.delete(child);
        r(code);
      }),
    );
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`claire ${args.join(" ")} printed no URL within ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`claire ${args.join(" ")} exited (${code}) before printing its URL\n${out}\n${err}`));
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      err += d;
    });
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      done({
        url: m[1]!,
        stdout: () => out,
        stderr: () => err,
        stop: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          return exited;
        },
      });
    });
  });

export const stopAll = async (): Promise<void> => {
  for (const c of running) c.kill("SIGKILL");
  running.clear();
};

export const getJson = async <T>(url: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
};
