// The normaliser the CLI e2e suite compares modes with: it must hide ids and times, and nothing else.
import { describe, expect, it } from "vitest";
import { createNormaliser } from "./support/cli-normalise.ts";

const V7 = "01a20a52-ab78-772c-8f2a-ac2c8ebb71ff";
const V4 = "5d1e1111-aaaa-4bbb-8ccc-000000000001";

describe("createNormaliser", () => {
  it("numbers ids in order of first appearance and names handles after their ids", () => {
    const n = createNormaliser();
    expect(
      n.value({
        id: V7,
        handle: "8ebb71ff",
        owner: { sessionId: V4, short: "5d1e1111" },
        again: V7.toUpperCase(),
      }),
    ).toEqual({
      id: "<id:1>",
      handle: "<id:1:h>",
      owner: { sessionId: "<id:2>", short: "<id:2:h>" },
      again: "<id:1>",
    });
    // the numbering carries across values: a later output that repeats an id gets the same name
    expect(n.text(`task 8ebb71ff in project ${V4}`)).toBe("task <id:1:h> in project <id:2>");
  });

  it("two runs with different ids and times normalise to the same thing; different data does not", () => {
    const run = (id: string, at: string, name: string) =>
      createNormaliser().value({ id, handle: id.slice(-8), createdAt: at, name, ms: Math.random() });
    const a = run("01a20a52-ab78-772c-8f2a-ac2c8ebb71ff", "2026-11-23T21:31:59.736Z", "x");
    const b = run("01a20a99-0000-7000-8000-000000000abc", "2027-01-01T00:00:00.000Z", "x");
    expect(a).toEqual(b);
    expect(run(V7, "2026-11-23T21:31:59.736Z", "y")).not.toEqual(a);
  });

  it("keeps numbers, names and ids' relationships: a handle of another id is not the same placeholder", () => {
    const n = createNormaliser();
    const out = n.value({ a: V7, b: "01a20a52-ab78-772c-8f2a-000000000000", h: "00000000", count: 12345678 });
    expect(out).toEqual({ a: "<id:1>", b: "<id:2>", h: "<id:2:h>", count: 12345678 });
    expect(n.text("deadbeef")).toBe("<hex:3>");
    expect(n.text("deadbeef and deadbeef")).toBe("<hex:3> and <hex:3>");
  });

  it("replaces literals (the run's home directory), tokens and durations", () => {
    const n = createNormaliser({ "/tmp/claire-abc": "<home>" });
    expect(
      n.value({
        configPath: "/tmp/claire-abc/claire.toml",
        token: "claire_vCyXdNeEpjV8fnAoowYxwek2PObPF1wRHmQ1MpedOsw",
        ms: 204,
        clockOffsetMs: 3,
        pid: 4242,
      }),
    ).toEqual({
      configPath: "<home>/claire.toml",
      token: "<token:1>",
      ms: "<ms>",
      clockOffsetMs: "<ms>",
      pid: 4242,
    });
  });
});
