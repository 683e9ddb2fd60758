import { describe, expect, it } from "vitest";
import { isFromThisMachine, isLoopbackAddress } from "./auth.ts";

describe("who counts as this machine", () => {
  it("loopback sources and in-process requests", () => {
    expect(isLoopbackAddress("127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::ffff:127.0.0.1")).toBe(true);
    expect(isLoopbackAddress("::1")).toBe(true);
    expect(isLoopbackAddress("10.0.0.2")).toBe(false);
    expect(isFromThisMachine(undefined)).toBe(true);
    expect(
      isFromThisMachine({ incoming: { socket: { remoteAddress: "127.0.0.1", localAddress: "127.0.0.1" } } }),
    ).toBe(true);
  });
  it("a server on a private address sees its own machine arrive from that address", () => {
    expect(
      isFromThisMachine({
        incoming: { socket: { remoteAddress: "100.64.0.3", localAddress: "100.64.0.3" } },
      }),
    ).toBe(true);
    expect(
      isFromThisMachine({
        incoming: { socket: { remoteAddress: "100.64.0.7", localAddress: "100.64.0.3" } },
      }),
    ).toBe(false);
  });
});
