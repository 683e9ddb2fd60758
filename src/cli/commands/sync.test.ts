import { describe, expect, it } from "vitest";
import { verificationText } from "./sync.ts";

const peer = (over: Record<string, unknown>) =>
  ({
    peer: "http://desk:8765",
    machineId: null,
    equal: false,
    gaps: [],
    clockOffsetMs: null,
    error: null,
    ...over,
  }) as never;

describe("claire sync --verify's words", () => {
  it("says peers differ only when one does, and that it could not compare when one is down", () => {
    const down = verificationText({ equal: false, machineId: "m", peers: [peer({ error: "ECONNREFUSED" })] });
    expect(down.split("\n")[0]).toBe("could not compare with every peer:");
    expect(down).toContain("http://desk:8765: unreachable (ECONNREFUSED)");
    const differs = verificationText({
      equal: false,
      machineId: "m",
      peers: [peer({ gaps: ["machine a epoch 0: here 1..5, there 1..3"] }), peer({ error: "timeout" })],
    });
    expect(differs.split("\n")[0]).toBe("peers differ from this machine:");
    expect(verificationText({ equal: true, machineId: "m", peers: [] })).toBe("no peer to compare with");
    expect(
      verificationText({
        equal: true,
        machineId: "m",
        peers: [peer({ equal: true, clockOffsetMs: 420_000 })],
      }),
    ).toBe("all peers hold the same events as this machine\n  http://desk:8765: equal (clock 7 min ahead)");
  });
});
