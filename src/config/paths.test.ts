import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandHome, resolveClaudeConfigDirs, resolvePaths } from "./paths.ts";

const home = "/home/ada";

describe("resolvePaths", () => {
  it("defaults to ~/.local/share/claire and ~/.config/claire", () => {
    expect(resolvePaths({}, home)).toEqual({
      dataDir: "/home/ada/.local/share/claire",
      configDir: "/home/ada/.config/claire",
      dbPath: "/home/ada/.local/share/claire/claire.db",
      configPath: "/home/ada/.config/claire/claire.toml",
    });
  });

  it("honours absolute XDG_DATA_HOME and XDG_CONFIG_HOME", () => {
    const p = resolvePaths({ XDG_DATA_HOME: "/data", XDG_CONFIG_HOME: "/cfg/" }, home);
    expect(p.dataDir).toBe("/data/claire");
    expect(p.dbPath).toBe("/data/claire/claire.db");
    expect(p.configDir).toBe("/cfg/claire");
    expect(p.configPath).toBe("/cfg/claire/claire.toml");
  });

  it("ignores empty XDG values", () => {
    const p = resolvePaths({ XDG_DATA_HOME: "", XDG_CONFIG_HOME: "" }, home);
    expect(p.dataDir).toBe("/home/ada/.local/share/claire");
    expect(p.configDir).toBe("/home/ada/.config/claire");
  });

  it("ignores relative XDG values, as the XDG spec requires", () => {
    const p = resolvePaths({ XDG_DATA_HOME: "data", XDG_CONFIG_HOME: "./cfg" }, home);
    expect(p.dataDir).toBe("/home/ada/.local/share/claire");
    expect(p.configDir).toBe("/home/ada/.config/claire");
  });

  it("uses CLAIRE_HOME for both directories, over any XDG value", () => {
    const p = resolvePaths({ CLAIRE_HOME: "/tmp/c1", XDG_DATA_HOME: "/data", XDG_CONFIG_HOME: "/cfg" }, home);
    expect(p).toEqual({
      dataDir: "/tmp/c1",
      configDir: "/tmp/c1",
      dbPath: "/tmp/c1/claire.db",
      configPath: "/tmp/c1/claire.toml",
    });
  });

  it("ignores an empty CLAIRE_HOME and resolves a relative one from the working directory", () => {
    expect(resolvePaths({ CLAIRE_HOME: "" }, home).dataDir).toBe("/home/ada/.local/share/claire");
    expect(resolvePaths({ CLAIRE_HOME: "rel" }, home).dataDir).toBe(join(process.cwd(), "rel"));
  });
});

describe("Claude Code config directories", () => {
  it("defaults to ~/.claude, then the configured extras, without duplicates", () => {
    expect(resolveClaudeConfigDirs([], {}, home)).toEqual(["/home/ada/.claude"]);
    expect(resolveClaudeConfigDirs(["~/.claude-work", "/opt/claude", "~/.claude"], {}, home)).toEqual([
      "/home/ada/.claude",
      "/home/ada/.claude-work",
      "/opt/claude",
    ]);
  });

  it("puts CLAUDE_CONFIG_DIR first when set", () => {
    expect(resolveClaudeConfigDirs(["/x"], { CLAUDE_CONFIG_DIR: "/srv/claude" }, home)).toEqual([
      "/srv/claude",
      "/x",
    ]);
    expect(resolveClaudeConfigDirs([], { CLAUDE_CONFIG_DIR: "" }, home)).toEqual(["/home/ada/.claude"]);
  });

  it("expands ~ only at the start", () => {
    expect(expandHome("~", home)).toBe(home);
    expect(expandHome("~/a", home)).toBe("/home/ada/a");
    expect(expandHome("/a/~/b", home)).toBe("/a/~/b");
  });
});
