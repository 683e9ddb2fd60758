import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeConfigError } from "./errors.ts";
import { loadConfig } from "./load.ts";

const ID = "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "claire-load-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("loadConfig", () => {
  it("loads a valid file", () => {
    const file = join(dir, "claire.toml");
    writeFileSync(file, `machine_id = "${ID}"\nmachine_name = "m1"\n`);
    const r = loadConfig(file, { hostname: "h" });
    expect(r.ok && r.value.machineName).toBe("m1");
  });

  it("falls back to the given hostname for machine_name", () => {
    const file = join(dir, "claire.toml");
    writeFileSync(file, `machine_id = "${ID}"\n`);
    const r = loadConfig(file, { hostname: "host-a" });
    expect(r.ok && r.value.machineName).toBe("host-a");
  });

  it("says to run claire init when the file is missing", () => {
    const file = join(dir, "nope", "claire.toml");
    const r = loadConfig(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ type: "ConfigError", file });
    expect(r.error.message).toContain(file);
    expect(r.error.fix).toContain("claire init");
  });

  it("explains a directory where the file should be", () => {
    const file = join(dir, "claire.toml");
    mkdirSync(file);
    const r = loadConfig(file);
    expect(!r.ok && r.error.fix).toContain("is a directory");
  });

  it("refuses corrupt TOML naming the file and the line", () => {
    const file = join(dir, "claire.toml");
    writeFileSync(file, `machine_id = "${ID}"\ngroups = ["a" "b"]\nport = 1\n`);
    const r = loadConfig(file);
    if (r.ok) throw new Error("expected a refusal");
    expect(r.error.line).toBe(2);
    const text = describeConfigError(r.error);
    expect(text).toContain(`${file}:2`);
    expect(text).toContain("not valid TOML");
    expect(text).toContain("fix: edit line 2");
  });
});

describe("describeConfigError", () => {
  it("renders the place, the problem, the key and the fix on separate lines", () => {
    expect(
      describeConfigError({
        type: "ConfigError",
        file: "/c/claire.toml",
        key: "server.port",
        line: 7,
        message: "server.port is 70000, but it must be a whole number between 0 and 65535",
        fix: "set server.port to a whole number between 0 and 65535",
      }),
    ).toBe(
      [
        "config error in /c/claire.toml:7",
        "  server.port is 70000, but it must be a whole number between 0 and 65535",
        "  key: server.port",
        "  fix: set server.port to a whole number between 0 and 65535",
      ].join("\n"),
    );
  });

  it("leaves out what it does not know", () => {
    expect(describeConfigError({ type: "ConfigError", file: "/f", message: "m", fix: "f" })).toBe(
      "config error in /f\n  m\n  fix: f",
    );
  });
});
