import { describe, expect, it } from "vitest";
import { createStdoutWriter } from "./stdout.ts";

const errno = (code: string) => Object.assign(new Error(code), { code });

/** A descriptor that takes at most `chunk` bytes a call and fails with `failAt` after `failAfter` calls. */
const harness = (options: { chunk?: number; failAfter?: number; failWith?: string } = {}) => {
  const written: Buffer[] = [];
  const streamed: string[] = [];
  let calls = 0;
  let exited = false;
  const write = createStdoutWriter({
    write: (bytes) => {
      calls++;
      if (options.failAfter !== undefined && calls > options.failAfter)
        throw errno(options.failWith ?? "EIO");
      const n = Math.min(bytes.length, options.chunk ?? bytes.length);
      written.push(Buffer.from(bytes.subarray(0, n)));
      return n;
    },
    stream: () => ({ write: (chunk) => streamed.push(Buffer.from(chunk).toString("utf8")) }),
    exit: () => {
      exited = true;
      throw new Error("exited");
    },
  });
  return {
    write,
    direct: () => Buffer.concat(written).toString("utf8"),
    streamed: () => streamed.join(""),
    exited: () => exited,
  };
};

describe("writing standard output", () => {
  it("writes everything, across partial writes, multi-byte characters included", () => {
    const h = harness({ chunk: 3 });
    h.write("tâche «done» ✓\n");
    h.write("second\n");
    expect(h.direct()).toBe("tâche «done» ✓\nsecond\n");
    expect(h.streamed()).toBe("");
  });

  it("hands the rest to the stream when the descriptor is non-blocking and full, and keeps the order", () => {
    const h = harness({ chunk: 4, failAfter: 2, failWith: "EAGAIN" });
    h.write("0123456789");
    h.write("after\n");
    expect(h.direct()).toBe("01234567");
    expect(h.streamed()).toBe("89after\n");
  });

  it("ends the process when the reader has gone (EPIPE)", () => {
    const h = harness({ failAfter: 0, failWith: "EPIPE" });
    expect(() => h.write("x")).toThrow("exited");
    expect(h.exited()).toBe(true);
  });

  it("lets any other error through", () => {
    const h = harness({ failAfter: 0, failWith: "EIO" });
    expect(() => h.write("x")).toThrow("EIO");
    expect(h.exited()).toBe(false);
  });
});
