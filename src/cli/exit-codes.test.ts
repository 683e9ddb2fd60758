import { describe, expect, it } from "vitest";
import { CliError, EXIT } from "./exit-codes.ts";

describe("CliError", () => {
  it("is recognised across copies of its module (the CLI and local bundles each hold one)", () => {
    // What another copy's constructor leaves on its instances: the same registered brand.
    const fromOtherCopy = Object.assign(new Error("refused"), { [Symbol.for("claire.CliError")]: true });
    expect(fromOtherCopy instanceof CliError).toBe(true);
    expect(new CliError("no", EXIT.usage) instanceof CliError).toBe(true);
  });

  it("is not any other error or value", () => {
    expect(new Error("boom") instanceof CliError).toBe(false);
    expect(Object.assign(new Error("x"), { exitCode: 1, details: [] }) instanceof CliError).toBe(false);
    expect((null as unknown) instanceof CliError).toBe(false);
    expect(("CliError" as unknown) instanceof CliError).toBe(false);
  });

  it("keeps its exit code and details", () => {
    const e = new CliError("unknown task 'x'", EXIT.user, ["run claire task list"]);
    expect([e.message, e.exitCode, e.details]).toEqual(["unknown task 'x'", 1, ["run claire task list"]]);
  });
});
