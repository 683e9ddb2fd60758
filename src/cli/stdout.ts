// A command's standard output, written straight to file descriptor 1.
//
// Why not process.stdout: Node makes that stream on first use, and for a pipe (how scripts, agents
// and the benchmarks read Claire) it is a net.Socket: loading `net` and setting up its handle cost
// ~2.5 ms, an eighth of a bare `node -e 0`, on every command that printed anything
// (docs/performance.md). On Linux those writes are synchronous anyway, so a direct write changes
// neither what is written nor its order, and the output is complete when the process exits.
import { writeSync } from "node:fs";
import { EXIT } from "./exit-codes.ts";

/** What the writer stands on; tests give it a descriptor that fills up or a reader that left. */
export interface StdoutDeps {
  /** Writes some of the bytes to the descriptor, returning how many (fs.writeSync). */
  readonly write: (bytes: Uint8Array) => number;
  /** The stream to fall back on (process.stdout). */
  readonly stream: () => { write: (chunk: Uint8Array | string) => unknown };
  /** Ends the process when the reader has gone. */
  readonly exit: () => never;
}

/** writeStdout over other parts. */
export const createStdoutWriter = (deps: StdoutDeps) => {
  let stream: ReturnType<StdoutDeps["stream"]> | undefined;
  return (text: string): void => {
    // Once the stream is in use everything goes through it, so the output keeps the calls' order.
    if (stream) {
      stream.write(text);
      return;
    }
    let bytes = Buffer.from(text);
    while (bytes.length > 0) {
      try {
        bytes = bytes.subarray(deps.write(bytes));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EPIPE") deps.exit();
        // A non-blocking descriptor from the parent whose reader is slower than Claire: the stream
        // queues the rest, and Node writes it out before the process exits.
        if (code !== "EAGAIN") throw e;
        stream = deps.stream();
        stream.write(bytes);
        return;
      }
    }
  };
};

// A reader that stops early (`claire task list | head -3`) closes the pipe: that ends the command
// quietly, as it does for any Unix tool, instead of a stack trace about EPIPE.
const endQuietly = (): never => process.exit(process.exitCode ?? EXIT.ok);

let stdout: NodeJS.WriteStream | undefined;

/** process.stdout, for output that is a stream; a closed pipe ends the command quietly. */
export const stdoutStream = (): NodeJS.WriteStream => {
  if (!stdout) {
    stdout = process.stdout;
    stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") endQuietly();
      throw e;
    });
  }
  return stdout;
};

/** Writes text to standard output before returning. */
export const writeStdout = createStdoutWriter({
  write: (bytes) => writeSync(1, bytes),
  stream: stdoutStream,
  exit: endQuietly,
});
