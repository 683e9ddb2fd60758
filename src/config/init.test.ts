import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { initConfig } from "./init.ts";
import { loadConfig } from "./load.ts";
import { resolvePaths } from "./paths.ts";

const ID1 = "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e";
const ID2 = "7d1f2e3a-4b5c-4d6e-8f70-8192a3b4c5d6";
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claire-init-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ids = (...list: string[]) => {
  const queue = [...list];
  return () => queue.shift() ?? "exhausted";
};
const mode = (p: string) => statSync(p).mode & 0o777;

describe("initConfig", () => {
  it("creates private directories and a 0600 claire.toml with identity filled in", () => {
    const paths = resolvePaths(
      { XDG_DATA_HOME: join(root, "data"), XDG_CONFIG_HOME: join(root, "cfg") },
      root,
    );
    const r = initConfig(paths, { hostname: "ada-laptop", randomUUID: ids(ID1) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.created).toBe(true);
    expect(r.value.config.machineId).toBe(ID1);
    expect(r.value.config.machineName).toBe("ada-laptop");
    expect(mode(paths.dataDir)).toBe(0o700);
    expect(mode(paths.configDir)).toBe(0o700);
    expect(mode(paths.configPath)).toBe(0o600);
    const text = readFileSync(paths.configPath, "utf8");
    expect(text).toMatch(/^# Claire configuration/);
    expect(text).toContain(`machine_id = "${ID1}"`);
    expect(text).toContain('machine_name = "ada-laptop"');
    expect(loadConfig(paths.configPath, { hostname: "other" })).toEqual({ ok: true, value: r.value.config });
    expect(readdirSync(paths.configDir)).toEqual(["claire.toml"]); // no temp file left behind
  });

  it("is idempotent: the second run keeps machine_id and reports created=false", () => {
    const paths = resolvePaths({ CLAIRE_HOME: join(root, "home") }, root);
    const deps = { hostname: "h", randomUUID: ids(ID1, ID2) };
    const first = initConfig(paths, deps);
    const before = readFileSync(paths.configPath, "utf8");
    const second = initConfig(paths, deps);
    expect(first.ok && first.value.created).toBe(true);
    expect(second.ok && second.value.created).toBe(false);
    expect(second.ok && second.value.config.machineId).toBe(ID1);
    expect(readFileSync(paths.configPath, "utf8")).toBe(before);
  });

  it("reads an existing valid file without rewriting it", () => {
    const paths = resolvePaths({ CLAIRE_HOME: root }, root);
    const text = `# mine\nmachine_id = "${ID2}"\nmachine_name = "kept"\n[server]\nport = 9999\n`;
    writeFileSync(paths.configPath, text, { mode: 0o640 });
    const mtime = statSync(paths.configPath).mtimeMs;
    const r = initConfig(paths, { hostname: "h", randomUUID: ids(ID1) });
    expect(r.ok && r.value).toMatchObject({
      created: false,
      config: { machineId: ID2, server: { port: 9999 } },
    });
    expect(readFileSync(paths.configPath, "utf8")).toBe(text);
    expect(statSync(paths.configPath).mtimeMs).toBe(mtime);
    expect(mode(paths.configPath)).toBe(0o640); // the user's choice, not ours to change
  });

  it("refuses an existing corrupt file and leaves it untouched", () => {
    const paths = resolvePaths({ CLAIRE_HOME: root }, root);
    const text = `machine_id = "${ID2}"\n[server\n`;
    writeFileSync(paths.configPath, text);
    const r = initConfig(paths, { hostname: "h", randomUUID: ids(ID1) });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ type: "ConfigError", file: paths.configPath, line: 2 });
    expect(readFileSync(paths.configPath, "utf8")).toBe(text);
  });

  it("refuses an existing invalid file and leaves it untouched", () => {
    const paths = resolvePaths({ CLAIRE_HOME: root }, root);
    const text = `machine_id = "${ID2}"\nsever = 1\n`;
    writeFileSync(paths.configPath, text);
    const r = initConfig(paths, { hostname: "h", randomUUID: ids(ID1) });
    expect(!r.ok && r.error.message).toContain("did you mean 'server'?");
    expect(readFileSync(paths.configPath, "utf8")).toBe(text);
  });

  it("refuses a generator that does not give a UUID v4, writing nothing", () => {
    const paths = resolvePaths({ CLAIRE_HOME: join(root, "h") }, root);
    const r = initConfig(paths, { hostname: "h", randomUUID: () => "0b5c6c8e-8a3f-1c1e-9d2a-5f7e1b2c3d4e" });
    expect(!r.ok && r.error.key).toBe("machine_id");
    expect(readdirSync(paths.configDir)).toEqual([]);
  });

  it("lowercases an upper-case UUID v4 and trims a long hostname to 64 characters", () => {
    const paths = resolvePaths({ CLAIRE_HOME: root }, root);
    const r = initConfig(paths, { hostname: `${"n".repeat(70)}.lan`, randomUUID: ids(ID1.toUpperCase()) });
    expect(r.ok && r.value.config.machineId).toBe(ID1);
    expect(r.ok && r.value.config.machineName).toBe("n".repeat(64));
  });

  it("reports a directory it cannot create", () => {
    const blocker = join(root, "file");
    writeFileSync(blocker, "");
    const r = initConfig(resolvePaths({ CLAIRE_HOME: join(blocker, "claire") }, root), {
      hostname: "h",
      randomUUID: ids(ID1),
    });
    expect(!r.ok && r.error.file).toBe(join(blocker, "claire"));
  });

  it("says CLAIRE_HOME names a file, not that it cannot write there", () => {
    const file = join(root, "not-a-dir");
    writeFileSync(file, "");
    const r = initConfig(resolvePaths({ CLAIRE_HOME: file }, root), { hostname: "h", randomUUID: ids(ID1) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe(`${file} is a file, not a directory`);
    expect(r.error.fix).toMatch(/point CLAIRE_HOME .* at a directory/);
  });

  it("accepts an existing directory", () => {
    mkdirSync(join(root, "pre"), { mode: 0o755 });
    const r = initConfig(resolvePaths({ CLAIRE_HOME: join(root, "pre") }, root), {
      hostname: "h",
      randomUUID: ids(ID1),
    });
    expect(r.ok && r.value.created).toBe(true);
    expect(mode(join(root, "pre"))).toBe(0o755);
  });
});
