// A real `claire serve` process for benchmarks that need one: started on a free port with the
// given environment, resolved with its URL once it prints it; stopped with SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

// npm runs benchmarks from the package root (the bundle itself lives in bench-output/).
const ROOT = process.cwd();
const NODE = join(ROOT, "node_modules/.bin/node");
const BIN = join(ROOT, "bin/claire.cjs");

export type ServeProcess = { readonly url: string; readonly child: ChildProcess };

export const startServe = async (
  home: string,
  opts: { env?: Readonly<Record<string, string>>; timeoutMs?: number } = {},
): Promise<ServeProcess> => {
  const child = spawn(NODE, [BIN, "serve", "--port", "0"], {
    env: { ...process.env, CLAIRE_HOME: home, CLAIRE_LOG_LEVEL: "warn", ...opts.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const url = await new Promise<string>((ok, fail) => {
    let out = "";
    const timer = setTimeout(
      () => fail(new Error(`serve did not start within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    child.on("exit", (code) => fail(new Error(`serve exited with ${code}`)));
  });
  return { url, child };
};

export const stopServe = (child: ChildProcess): Promise<void> =>
  new Promise<void>((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once("exit", () => ok());
    child.kill("SIGTERM");
  });
