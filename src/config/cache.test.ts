// The validated configuration cached beside the database: used only for the very text it was made
// from, never in place of an error, and as private as claire.toml.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIG_CACHE_FILE } from "./cache.ts";
import { initConfig } from "./init.ts";
import { configCachePath, loadConfig } from "./load.ts";
import { resolvePaths } from "./paths.ts";

const ID = "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e";
let dir: string;
let file: string;
let cachePath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "claire-cache-"));
  file = join(dir, "claire.toml");
  cachePath = join(dir, CONFIG_CACHE_FILE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const load = (hostname = "h") => loadConfig(file, { hostname, cachePath });
const cached = () => JSON.parse(readFileSync(cachePath, "utf8")) as { config: { machineName: string } };
/** A cache entry made to say something claire.toml does not: seen only if the cache were trusted. */
const forge = (machineName: string) => {
  const entry = JSON.parse(readFileSync(cachePath, "utf8"));
  entry.config.machineName = machineName;
  writeFileSync(cachePath, JSON.stringify(entry));
};

describe("the configuration cache", () => {
  it("is written by a load, private, and then used for the same text", () => {
    writeFileSync(file, `machine_id = "${ID}"\nmachine_name = "m1"\n[sync]\ninterval_seconds = 30\n`);
    const first = load();
    expect(first.ok && first.value.sync.intervalSeconds).toBe(30);
    expect(cached().config.machineName).toBe("m1");
    expect(statSync(cachePath).mode & 0o777).toBe(0o600);
    forge("from-cache");
    const second = load();
    expect(second.ok && second.value.machineName).toBe("from-cache");
    expect(second.ok && { ...second.value, machineName: "m1" }).toEqual(first.ok && first.value);
  });

  it("is not used once claire.toml changes, even by one character", () => {
    writeFileSync(file, `machine_id = "${ID}"\nmachine_name = "m1"\n`);
    load();
    forge("from-cache");
    writeFileSync(file, `machine_id = "${ID}"\nmachine_name = "m2"\n`);
    const r = load();
    expect(r.ok && r.value.machineName).toBe("m2");
    expect(cached().config.machineName).toBe("m2");
  });

  it("never stands in for an error: an invalid claire.toml is refused whatever the cache says", () => {
    writeFileSync(file, `machine_id = "${ID}"\n`);
    load();
    writeFileSync(file, `machine_id = "${ID}"\n[sync]\ninterval_seconds = "soon"\n`);
    const r = load();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.key).toBe("sync.interval_seconds");
  });

  it("is not used under another hostname (machine_name falls back to it)", () => {
    writeFileSync(file, `machine_id = "${ID}"\n`);
    expect(load("host-a").ok).toBe(true);
    const r = load("host-b");
    expect(r.ok && r.value.machineName).toBe("host-b");
  });

  it("is ignored when unreadable or malformed, and written again", () => {
    writeFileSync(file, `machine_id = "${ID}"\nmachine_name = "m1"\n`);
    for (const junk of [
      "",
      "{",
      "null",
      "[]",
      '{"config": null}',
      JSON.stringify({ text: "x", config: {} }),
    ]) {
      writeFileSync(cachePath, junk);
      const r = load();
      expect(r.ok && r.value.machineName, junk).toBe("m1");
      expect(cached().config.machineName).toBe("m1");
    }
  });

  it("is made by claire init, with the new claire.toml", () => {
    const paths = resolvePaths({ CLAIRE_HOME: join(dir, "home") }, dir);
    const made = initConfig(paths, { hostname: "h", randomUUID: () => ID });
    expect(made.ok && made.value.created).toBe(true);
    const entry = JSON.parse(readFileSync(configCachePath(paths), "utf8"));
    expect(entry.text).toBe(readFileSync(paths.configPath, "utf8"));
    expect(entry.config).toEqual(JSON.parse(JSON.stringify(made.ok && made.value.config)));
    expect(statSync(configCachePath(paths)).mode & 0o777).toBe(0o600);
  });

  it("is not needed: without a place for it, nothing is cached", () => {
    writeFileSync(file, `machine_id = "${ID}"\n`);
    expect(loadConfig(file, { hostname: "h" }).ok).toBe(true);
    expect(() => statSync(cachePath)).toThrow();
  });
});
