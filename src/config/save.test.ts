import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TomlTable } from "smol-toml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { initConfig } from "./init.ts";
import { loadConfig } from "./load.ts";
import { resolvePaths } from "./paths.ts";
import { updateConfigFile } from "./save.ts";

const ID = "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e";
let root: string;
let file: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "claire-save-"));
  const paths = resolvePaths({ CLAIRE_HOME: root }, root);
  const r = initConfig(paths, { hostname: "box", randomUUID: () => ID });
  if (!r.ok) throw new Error(r.error.message);
  file = paths.configPath;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const addPeer =
  (peer: TomlTable) =>
  (raw: TomlTable): TomlTable => ({
    ...raw,
    peers: [...((raw.peers as TomlTable[] | undefined) ?? []), peer],
  });

describe("updateConfigFile", () => {
  it("adding a peer keeps every comment of the file: it is appended, not rewritten", () => {
    writeFileSync(
      file,
      `${readFileSync(file, "utf8")}\n[server]\nport = 8799   # my note: the firewall allows it\n`,
    );
    const before = readFileSync(file, "utf8");
    const r = updateConfigFile(file, addPeer({ url: "http://a.lan:8765", name: "a" }), { hostname: "box" });
    if (!r.ok) throw new Error(r.error.message);
    const after = readFileSync(file, "utf8");
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe('\n[[peers]]\nurl = "http://a.lan:8765"\nname = "a"\n');
    expect(r.value).toMatchObject({
      server: { port: 8799 },
      peers: [{ url: "http://a.lan:8765", name: "a" }],
    });
    // Anything else (here a removal) rewrites the file, and it still loads.
    const removed = updateConfigFile(file, (raw) => ({ ...raw, peers: [] }), { hostname: "box" });
    expect(removed.ok && removed.value.peers).toEqual([]);
    expect(readFileSync(file, "utf8")).not.toContain("my note");
  });

  it("falls back to rewriting when appending would not load (peers written inline)", () => {
    writeFileSync(file, `${readFileSync(file, "utf8")}\npeers = [{ url = "http://a.lan:8765" }]\n`);
    const r = updateConfigFile(file, addPeer({ url: "http://b.lan:8765" }), { hostname: "box" });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.peers.map((p) => p.url)).toEqual(["http://a.lan:8765", "http://b.lan:8765"]);
    expect(loadConfig(file, { hostname: "box" })).toEqual({ ok: true, value: r.value });
  });

  it("round-trips: adds peers, keeps identity and the header, and the file loads again", () => {
    const r1 = updateConfigFile(file, addPeer({ url: "http://a.lan:8765", token: "t1" }), {
      hostname: "box",
    });
    const r2 = updateConfigFile(file, addPeer({ url: "http://b.lan:8765", name: "b" }), { hostname: "box" });
    expect(r1.ok && r1.value.peers).toEqual([{ url: "http://a.lan:8765", token: "t1" }]);
    if (!r2.ok) throw new Error(r2.error.message);
    expect(r2.value.peers.map((p) => p.url)).toEqual(["http://a.lan:8765", "http://b.lan:8765"]);
    expect(loadConfig(file, { hostname: "box" })).toEqual({ ok: true, value: r2.value });
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^# Claire configuration/);
    expect(text).toContain("[[peers]]");
    expect(r2.value.machineId).toBe(ID);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(root).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("removes a peer", () => {
    updateConfigFile(file, addPeer({ url: "http://a.lan:8765" }));
    const r = updateConfigFile(file, (raw) => ({
      ...raw,
      peers: (raw.peers as TomlTable[]).filter((p) => p.url !== "http://a.lan:8765"),
    }));
    expect(r.ok && r.value.peers).toEqual([]);
  });

  it("refuses an invalid edit and leaves the file unchanged", () => {
    const before = readFileSync(file, "utf8");
    const r = updateConfigFile(file, addPeer({ url: "ftp://nope" }));
    if (r.ok) throw new Error("expected a refusal");
    expect(r.error).toMatchObject({ type: "ConfigError", file, key: "peers[0].url" });
    expect(r.error.line).toBeUndefined(); // a line in text never written would mislead
    expect(r.error.message).toMatch(/^the change was refused: /);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("refuses an unknown key with a suggestion", () => {
    const before = readFileSync(file, "utf8");
    const r = updateConfigFile(file, (raw) => ({ ...raw, sever: { port: 1 } }));
    expect(!r.ok && r.error.message).toContain("did you mean 'server'?");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("never lets an edit change machine_id", () => {
    const before = readFileSync(file, "utf8");
    const r = updateConfigFile(file, (raw) => ({
      ...raw,
      machine_id: "7d1f2e3a-4b5c-4d6e-8f70-8192a3b4c5d6",
    }));
    expect(!r.ok && r.error.key).toBe("machine_id");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("refuses to edit a corrupt or missing file", () => {
    writeFileSync(file, "machine_id = \n");
    expect(updateConfigFile(file, (raw) => raw).ok).toBe(false);
    expect(readFileSync(file, "utf8")).toBe("machine_id = \n");
    const missing = updateConfigFile(join(root, "none.toml"), (raw) => raw);
    expect(!missing.ok && missing.error.fix).toContain("claire init");
  });
});
