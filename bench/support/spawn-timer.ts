// Times whole commands from a small process of its own. Starting a process costs its parent a
// fork, and a fork costs in proportion to the parent's resident memory: from the benchmark process
// after the sessions benchmark (800 MB resident) every spawn took ~30 ms longer than from a fresh
// Node, which inflated the baseline and the command alike and bent their ratio. The timer is a
// bare `node -e` child that runs each command on request (spawnSync, wall time around it) and
// answers over IPC, so what is timed is the command, not the size of whoever started it.
import { type ChildProcess, spawn } from "node:child_process";

export type TimedRun = {
  readonly ms: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
};

export type SpawnTimer = {
  readonly time: (
    cmd: string,
    args: readonly string[],
    opts: { env: NodeJS.ProcessEnv; input?: string },
  ) => Promise<TimedRun>;
  readonly close: () => void;
};

const TIMER = `
const { spawnSync } = require("node:child_process");
process.on("message", (m) => {
  const start = process.hrtime.bigint();
  const r = spawnSync(m.cmd, m.args, {
    env: m.env,
    input: m.input ?? undefined,
    stdio: [m.input === null ? "ignore" : "pipe", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.send({ ms, status: r.status, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? r.error ?? "") });
});
`;

export const startSpawnTimer = (): SpawnTimer => {
  const child: ChildProcess = spawn(process.execPath, ["-e", TIMER], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  let queue = Promise.resolve<unknown>(undefined);
  return {
    // One command at a time: the timer runs them one after another anyway.
    time: (cmd, args, opts) => {
      const run = queue.then(
        () =>
          new Promise<TimedRun>((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`the spawn timer exited (${code})`));
            child.once("exit", onExit);
            child.once("message", (m) => {
              child.off("exit", onExit);
              resolve(m as TimedRun);
            });
            child.send({ cmd, args, env: opts.env, input: opts.input ?? null });
          }),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    close: () => {
      child.kill();
    },
  };
};
