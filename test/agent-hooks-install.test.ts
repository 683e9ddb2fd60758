// `claire hooks install|uninstall|status`: merging Claire's entries into Claude Code's settings.json
// idempotently, keeping everything else, backing up, refusing files it cannot read.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { HOOK_EVENT_NAMES } from "../src/agent/hook-input.ts";
import {
  hooksStatus,
  installHooks,
  mcpAddCommand,
  mcpConfigPath,
  settingsPath,
  uninstallHooks,
} from "../src/agent/hooks-install.ts";
import {
  claireCommands,
  claireHookStatus,
  hookCommand,
  isClaireCommand,
  mergeClaireHooks,
  removeClaireHooks,
  shellQuote,
} from "../src/agent/hooks-settings.ts";
import { tempDir } from "./support/temp-claire.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDir("claire-hooks-");
  dirs.push(d);
  return d;
};

const NODE = "/opt/node 24/bin/node";
const BIN = "/opt/claire/bin/claire.cjs";
const commands = claireCommands(NODE, BIN);

const USER_SETTINGS = {
  model: "opus",
  permissions: { allow: ["Bash(npm test)"] },
  hooks: {
    SessionStart: [{ hooks: [{ type: "command", command: "/usr/local/bin/direnv-hook" }] }],
    PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "guard.sh", timeout: 5 }] }],
    Stop: [
      {
        hooks: [
          { type: "command", command: "notify-send done" },
          { type: "command", command: "/old/node /old/claire/bin/claire.cjs hook Stop" },
        ],
      },
    ],
  },
};

describe("hook commands", () => {
  it("name the Claire home they were installed for when it is not the default, and are still Claire's", () => {
    const c = hookCommand(NODE, BIN, "Stop", "/home/me/claire home");
    expect(c).toBe(
      "CLAIRE_HOME='/home/me/claire home' '/opt/node 24/bin/node' /opt/claire/bin/claire.cjs hook Stop",
    );
    expect(isClaireCommand(c)).toBe(true);
    const installed = mergeClaireHooks(USER_SETTINGS, claireCommands(NODE, BIN, "/srv/claire")).settings;
    // Installing for the default home afterwards replaces it (one Claire entry per event).
    const replaced = mergeClaireHooks(installed, commands);
    expect(replaced.changed).toBe(true);
    expect(JSON.stringify(replaced.settings)).not.toContain("CLAIRE_HOME");
  });

  it("are absolute, shell-quoted, and recognised wherever Claire is installed", () => {
    expect(hookCommand(NODE, BIN, "Stop")).toBe(
      "'/opt/node 24/bin/node' /opt/claire/bin/claire.cjs hook Stop",
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    for (const c of [
      hookCommand(NODE, BIN, "SessionStart"),
      "/usr/bin/node /home/me/.npm/lib/node_modules/claire/bin/claire.cjs hook Notification",
      "claire hook Stop",
      "'/a b/node' '/x y/claire.cjs' hook UserPromptSubmit",
    ])
      expect(isClaireCommand(c), c).toBe(true);
    for (const c of [
      "notify-send done",
      "claire-other hook Stop",
      "myclaire hook Stop",
      "claire hook Stop && rm -rf /",
      null,
    ])
      expect(isClaireCommand(c), String(c)).toBe(false);
  });
});

describe("merging into settings", () => {
  it("adds one entry per event, keeps every other setting and hook, replaces an old Claire entry", () => {
    const { settings, changed } = mergeClaireHooks(USER_SETTINGS, commands);
    expect(changed).toBe(true);
    expect(settings.model).toBe("opus");
    expect(settings.permissions).toEqual(USER_SETTINGS.permissions);
    const hooks = settings.hooks as Record<string, { matcher?: string; hooks: { command: string }[] }[]>;
    expect(hooks.PreToolUse).toEqual(USER_SETTINGS.hooks.PreToolUse);
    expect(hooks.SessionStart![0]).toEqual(USER_SETTINGS.hooks.SessionStart[0]);
    expect(hooks.Stop![0]!.hooks.map((h) => h.command)).toEqual(["notify-send done"]);
    for (const e of HOOK_EVENT_NAMES) {
      const ours = hooks[e]!.flatMap((g) => g.hooks).filter((h) => isClaireCommand(h.command));
      expect(ours).toEqual([{ type: "command", command: commands[e], timeout: 30 }]);
    }
    expect(claireHookStatus(settings, commands)).toEqual(
      Object.fromEntries(HOOK_EVENT_NAMES.map((e) => [e, "installed"])),
    );
    // The input is not modified.
    expect(USER_SETTINGS.hooks.Stop[0]!.hooks).toHaveLength(2);
  });

  it("is idempotent, and uninstalling restores the other hooks exactly", () => {
    const once = mergeClaireHooks(USER_SETTINGS, commands).settings;
    const twice = mergeClaireHooks(once, commands);
    expect(twice.changed).toBe(false);
    expect(twice.settings).toEqual(once);
    const removed = removeClaireHooks(once);
    expect(removed.removed).toBe(HOOK_EVENT_NAMES.length);
    const { Stop: _, ...others } = USER_SETTINGS.hooks;
    expect(removed.settings).toEqual({
      ...USER_SETTINGS,
      hooks: { ...others, Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }] },
    });
    expect(removeClaireHooks(removed.settings).removed).toBe(0);
  });

  it("reports outdated entries (Claire moved) and missing ones", () => {
    const status = claireHookStatus(USER_SETTINGS, commands);
    expect(status.Stop).toBe("outdated");
    expect(status.SessionStart).toBe("missing");
  });

  it("refuses shapes it does not understand instead of guessing", () => {
    expect(() => mergeClaireHooks([], commands)).toThrow(/not a JSON object/);
    expect(() => mergeClaireHooks({ hooks: [] }, commands)).toThrow(/"hooks" is not an object/);
    expect(() => mergeClaireHooks({ hooks: { Stop: {} } }, commands)).toThrow(/"hooks.Stop" is not a list/);
  });

  it("for any settings: install then uninstall leaves every non-Claire hook as it was", () => {
    const command = fc.oneof(
      fc.constantFrom("a.sh", "b --flag", "claire hook Stop", "/x/claire.cjs hook Stop"),
      fc.string(),
    );
    const group = fc.record(
      {
        matcher: fc.option(fc.constantFrom("Bash", "Edit|Write", ""), { nil: undefined }),
        hooks: fc.array(fc.record({ type: fc.constant("command"), command }), { maxLength: 3 }),
      },
      { requiredKeys: ["hooks"] },
    );
    const settings = fc.record({
      hooks: fc.dictionary(
        fc.constantFrom(...HOOK_EVENT_NAMES, "PreToolUse", "SubagentStop"),
        fc.array(group, { maxLength: 3 }),
      ),
      other: fc.jsonValue(),
    });
    fc.assert(
      fc.property(settings, (s) => {
        // Every non-Claire command, per event and matcher, in order; empty lists do not count.
        const strip = (v: unknown) => {
          const { hooks, ...rest } = removeClaireHooks(v).settings as {
            hooks?: Record<string, { matcher?: string; hooks: unknown[] }[]>;
          };
          const kept = Object.entries(hooks ?? {})
            .map(([e, groups]) => [e, groups.filter((g) => g.hooks.length > 0)] as const)
            .filter(([, groups]) => groups.length > 0);
          return { ...rest, hooks: Object.fromEntries(kept) };
        };
        const installed = mergeClaireHooks(s, commands).settings;
        expect(mergeClaireHooks(installed, commands).changed).toBe(false);
        expect(strip(installed)).toEqual(strip(s));
        expect(installed.other).toEqual(s.other);
      }),
      { numRuns: 200 },
    );
  });
});

describe("settings files", () => {
  it("user scope: CLAUDE_CONFIG_DIR/settings.json; project and local scope under .claude/", () => {
    expect(settingsPath("user", { CLAUDE_CONFIG_DIR: "/cfg" }, "/p")).toBe("/cfg/settings.json");
    expect(settingsPath("project", {}, "/p")).toBe("/p/.claude/settings.json");
    expect(settingsPath("local", {}, "/p")).toBe("/p/.claude/settings.local.json");
  });

  it("install backs up, writes atomically, and a second install changes nothing", () => {
    const cfg = dir();
    const env = { CLAUDE_CONFIG_DIR: cfg };
    const path = join(cfg, "settings.json");
    writeFileSync(path, JSON.stringify(USER_SETTINGS));
    const first = installHooks("user", { env, commands, now: new Date("2026-11-23T12:00:00Z") });
    expect(first).toMatchObject({ changed: true, path });
    expect(first.backup).toBe(`${path}.claire-backup-2026-11-23T12-00-00-000Z`);
    expect(JSON.parse(readFileSync(first.backup!, "utf8"))).toEqual(USER_SETTINGS);
    const written = JSON.parse(readFileSync(path, "utf8"));
    expect(written).toEqual(mergeClaireHooks(USER_SETTINGS, commands).settings);
    const second = installHooks("user", { env, commands });
    expect(second).toMatchObject({ changed: false, backup: null });
    expect(readdirSync(cfg).filter((f) => f.includes("claire-backup"))).toHaveLength(1);
    expect(readdirSync(cfg).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(hooksStatus("user", { env, commands }).events.SessionEnd).toBe("installed");

    const un = uninstallHooks("user", { env, now: new Date("2026-11-23T13:00:00Z") });
    expect(un.removed).toBe(HOOK_EVENT_NAMES.length);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual(removeClaireHooks(USER_SETTINGS).settings);
    expect(uninstallHooks("user", { env }).removed).toBe(0);
  });

  it("writes through a symlinked settings.json (a dotfiles repository) and keeps the link", () => {
    const cfg = dir();
    mkdirSync(join(cfg, "dotfiles"));
    const target = join(cfg, "dotfiles", "settings.json");
    writeFileSync(target, JSON.stringify({ model: "x" }));
    symlinkSync("dotfiles/settings.json", join(cfg, "settings.json"));
    const env = { CLAUDE_CONFIG_DIR: cfg };
    const r = installHooks("user", { env, commands, now: new Date("2026-11-24T10:00:00Z") });
    expect(lstatSync(join(cfg, "settings.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, "utf8"))).toEqual(
      mergeClaireHooks({ model: "x" }, commands).settings,
    );
    expect(r.backup).toBe(`${target}.claire-backup-2026-11-24T10-00-00-000Z`);
    expect(hooksStatus("user", { env, commands }).events.Stop).toBe("installed");
    uninstallHooks("user", { env });
    expect(lstatSync(join(cfg, "settings.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, "utf8"))).toEqual({ model: "x" });
  });

  it("keeps a project's backups in Claire's data dir, not in the project's (committed) .claude/", () => {
    const project = dir();
    const home = dir();
    const env = { CLAIRE_HOME: home };
    mkdirSync(join(project, ".claude"));
    writeFileSync(join(project, ".claude", "settings.json"), JSON.stringify({ model: "y" }));
    const r = installHooks("project", { env, projectDir: project, commands });
    expect(readdirSync(join(project, ".claude"))).toEqual(["settings.json"]);
    expect(r.backup?.startsWith(join(home, "hooks-backups"))).toBe(true);
    expect(JSON.parse(readFileSync(r.backup!, "utf8"))).toEqual({ model: "y" });
    uninstallHooks("project", { env, projectDir: project });
    expect(readdirSync(join(project, ".claude"))).toEqual(["settings.json"]);
  });

  it("creates the file (and .claude/) when missing, without a backup", () => {
    const project = dir();
    const r = installHooks("project", { env: {}, projectDir: project, commands });
    expect(r.backup).toBeNull();
    expect(existsSync(join(project, ".claude", "settings.json"))).toBe(true);
    const un = uninstallHooks("project", { env: {}, projectDir: project });
    expect(un.removed).toBe(5);
    expect(JSON.parse(readFileSync(join(project, ".claude", "settings.json"), "utf8"))).toEqual({});
  });

  it("never rewrites a file that is not JSON", () => {
    const cfg = dir();
    const path = join(cfg, "settings.json");
    writeFileSync(path, "{ this is: not json ");
    expect(() => installHooks("user", { env: { CLAUDE_CONFIG_DIR: cfg }, commands })).toThrow(
      /is not valid JSON .*never rewrites a file it cannot read/,
    );
    expect(readFileSync(path, "utf8")).toBe("{ this is: not json ");
    writeFileSync(path, JSON.stringify({ hooks: { Stop: "nope" } }));
    expect(() => uninstallHooks("user", { env: { CLAUDE_CONFIG_DIR: cfg } })).toThrow(
      /"hooks.Stop" is not a list/,
    );
    expect(readdirSync(cfg)).toEqual(["settings.json"]);
  });

  it("looks for the MCP server where `claude mcp add` puts it", () => {
    expect(mcpConfigPath("user", {}, "/p", "/home/u")).toBe("/home/u/.claude.json");
    expect(mcpConfigPath("local", {}, "/p", "/home/u")).toBe("/home/u/.claude.json");
    expect(mcpConfigPath("user", { CLAUDE_CONFIG_DIR: "/cfg" }, "/p", "/home/u")).toBe("/cfg/.claude.json");
    expect(mcpConfigPath("project", { CLAUDE_CONFIG_DIR: "/cfg" }, "/p", "/home/u")).toBe("/p/.mcp.json");
  });

  it("prints a project's `claude mcp add` line to run in that project", () => {
    const project = dir();
    expect(mcpAddCommand("project", project)).toMatch(
      new RegExp(`^cd ${project} && claude mcp add -s project claire `),
    );
    expect(mcpAddCommand("project", process.cwd())).toMatch(/^claude mcp add -s project claire /);
    expect(mcpAddCommand("user", project)).toMatch(/^claude mcp add -s user claire /);
  });

  it("status calls an event outdated while another Claire's entry runs beside the current one", () => {
    const old = claireCommands("/usr/bin/node", "/opt/old-claire/bin/claire.cjs");
    const both = {
      hooks: {
        ...(mergeClaireHooks({}, commands).settings as { hooks: Record<string, unknown[]> }).hooks,
        UserPromptSubmit: [
          { hooks: [{ type: "command", command: commands.UserPromptSubmit }] },
          { hooks: [{ type: "command", command: old.UserPromptSubmit }] },
        ],
      },
    };
    const s = claireHookStatus(both, commands);
    expect(s.UserPromptSubmit).toBe("outdated");
    expect(s.Stop).toBe("installed");
  });

  it("status names the MCP server Claude Code was given", () => {
    const cfg = dir();
    mkdirSync(cfg, { recursive: true });
    writeFileSync(
      join(cfg, ".claude.json"),
      JSON.stringify({
        mcpServers: { claire: { type: "stdio", command: "/n/node", args: ["/c/claire.cjs", "mcp"] } },
      }),
    );
    const s = hooksStatus("user", { env: { CLAUDE_CONFIG_DIR: cfg }, commands });
    expect(s.exists).toBe(false);
    expect(s.mcp.command).toBe("/n/node /c/claire.cjs mcp");
    expect(s.mcpCommand).toMatch(/^claude mcp add -s user claire -- \S+ \S+ mcp$/);
  });
});
