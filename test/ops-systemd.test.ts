// The unit and plist texts, and the install/uninstall/status logic with a scripted systemctl:
// what is written where, which systemctl commands run, and what is said when systemd is absent.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderLaunchdPlist } from "../src/ops/launchd.ts";
import {
  type CommandResult,
  detectSystemd,
  installService,
  type ServiceDeps,
  serviceStatus,
  uninstallService,
} from "../src/ops/service-manager.ts";
import {
  execStartOf,
  renderUnit,
  serviceSpec,
  unitBody,
  unitPrograms,
  userUnitDir,
} from "../src/ops/systemd.ts";

const home = () => mkdtempSync(join(tmpdir(), "claire-svc-"));

/** A systemctl that answers like a working user manager, recording every call. */
const scripted = (answers: Record<string, CommandResult> = {}) => {
  const calls: string[] = [];
  const run = (cmd: string, args: readonly string[]): CommandResult => {
    const line = `${cmd} ${args.join(" ")}`;
    calls.push(line);
    return answers[line] ?? { code: 0, stdout: cmd === "loginctl" ? "Linger=no\n" : "", stderr: "" };
  };
  return { calls, run };
};

const deps = (h: string, run: ServiceDeps["run"], extra: Partial<ServiceDeps> = {}): ServiceDeps => ({
  platform: "linux",
  env: {
    PATH: `${process.env.PATH}`,
    XDG_CONFIG_HOME: join(h, "xdg"),
    CLAIRE_HOME: join(h, "claire home"),
    CLAUDE_CONFIG_DIR: join(h, ".claude"),
    CLAIRE_LOG_LEVEL: "debug",
    CLAIRE_SERVER: "http://elsewhere:1",
    USER: "ana",
  },
  home: h,
  node: process.execPath,
  entry: "/opt/claire/bin/claire.cjs",
  run,
  now: () => Date.UTC(2026, 10, 23),
  ...extra,
});

describe("the systemd unit", () => {
  it("runs this Node and Claire with the captured environment, restarts on failure, logs to the journal", () => {
    const spec = serviceSpec("/usr/bin/node", "/opt/claire/bin/claire.cjs", {
      PATH: "/usr/local/bin:/usr/bin",
      CLAUDE_CONFIG_DIR: "/home/ana/.claude-work",
      CLAIRE_HOME: "/srv/claire",
      CLAIRE_LOG_LEVEL: "warn",
      CLAIRE_SERVER: "http://x:1",
      CLAIRE_TOKEN: "secret",
      XDG_DATA_HOME: "relative/ignored",
    });
    const unit = renderUnit(spec);
    expect(unit).toContain('ExecStart="/usr/bin/node" "/opt/claire/bin/claire.cjs" "serve"');
    expect(unit).toContain('Environment="PATH=/usr/local/bin:/usr/bin"');
    expect(unit).toContain('Environment="CLAUDE_CONFIG_DIR=/home/ana/.claude-work"');
    expect(unit).toContain('Environment="CLAIRE_HOME=/srv/claire"');
    expect(unit).toContain('Environment="CLAIRE_LOG_LEVEL=warn"');
    expect(unit).not.toMatch(/CLAIRE_SERVER|CLAIRE_TOKEN|secret|XDG_DATA_HOME/);
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("StandardError=journal");
    expect(unit).toContain("WantedBy=default.target");
  });

  it("quotes paths with spaces, quotes, % and $ so systemd reads them back exactly", () => {
    const node = "/home/a b/50%/$HOME/node";
    const entry = '/x/"c" $y/claire.cjs';
    const unit = renderUnit(serviceSpec(node, entry, { CLAIRE_HOME: "/srv/100% claire" }));
    expect(unit).toContain('ExecStart="/home/a b/50%%/$HOME/node" "/x/\\"c\\" $$y/claire.cjs" "serve"');
    expect(execStartOf(unit)).toEqual([node, entry, "serve"]);
    expect(unitPrograms(unit)).toEqual([node, entry]);
    expect(unit).toContain('Environment="CLAIRE_HOME=/srv/100%% claire"');
  });

  it("runs a Node whose path systemd refuses as a program (quotes, backslashes) through env(1)", () => {
    const node = '/opt/my "node"/bin/node';
    const unit = renderUnit(serviceSpec(node, "/c.cjs", {}));
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/env "\/opt\/my \\"node\\"\/bin\/node" "\/c\.cjs" "serve"$/m);
    expect(unitPrograms(unit)).toEqual([node, "/c.cjs"]);
  });

  it("compares units without their comments", () => {
    const spec = serviceSpec("/usr/bin/node", "/c.cjs", {});
    expect(unitBody(renderUnit(spec, "2026-01-01"))).toBe(unitBody(renderUnit(spec, "2026-02-02")));
  });

  it("lives in $XDG_CONFIG_HOME/systemd/user, else ~/.config/systemd/user", () => {
    expect(userUnitDir({ XDG_CONFIG_HOME: "/x" }, "/home/a")).toBe("/x/systemd/user");
    expect(userUnitDir({ XDG_CONFIG_HOME: "rel" }, "/home/a")).toBe("/home/a/.config/systemd/user");
    expect(userUnitDir({}, "/home/a")).toBe("/home/a/.config/systemd/user");
  });
});

describe("the launchd plist (macOS)", () => {
  it("runs claire serve at login, restarts it when it fails, escapes XML", () => {
    const plist = renderLaunchdPlist(
      serviceSpec("/usr/local/bin/node", "/opt/c&d/claire.cjs", { PATH: "/a<b" }),
      "/Users/ana",
    );
    expect(plist).toContain("<string>/usr/local/bin/node</string>");
    expect(plist).toContain("<string>/opt/c&amp;d/claire.cjs</string>");
    expect(plist).toContain("<string>serve</string>");
    expect(plist).toContain("<key>PATH</key><string>/a&lt;b</string>");
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<dict><key>SuccessfulExit<\/key><false\/><\/dict>/);
    expect(plist).toContain("/Users/ana/Library/Logs/claire.log");
  });

  it("is printed with the commands to load it, not written", () => {
    const h = home();
    const r = installService(deps(h, scripted().run, { platform: "darwin" }), { name: "claire" });
    expect(r.kind).toBe("launchd");
    if (r.kind !== "launchd") return;
    expect(r.path).toBe(join(h, "Library", "LaunchAgents", "local.claire.serve.plist"));
    expect(existsSync(r.path)).toBe(false);
    expect(r.instructions.join("\n")).toMatch(/launchctl bootstrap gui\/\$\(id -u\)/);
  });
});

describe("install, status, uninstall", () => {
  it("--dry-run writes nothing", () => {
    const h = home();
    const s = scripted();
    const r = installService(deps(h, s.run), { dryRun: true, name: "claire" });
    expect(r.kind).toBe("dry-run");
    expect(existsSync(join(h, "xdg", "systemd", "user", "claire.service"))).toBe(false);
    expect(s.calls).toEqual([]);
  });

  it("round-trips with a systemd user manager: write, reload, enable --now; then disable and remove", () => {
    const h = home();
    const s = scripted({
      "systemctl --user is-enabled claire.service": { code: 0, stdout: "enabled\n", stderr: "" },
      "systemctl --user is-active claire.service": { code: 0, stdout: "active\n", stderr: "" },
    });
    const d = deps(h, s.run);
    const path = join(h, "xdg", "systemd", "user", "claire.service");
    const r = installService(d, { name: "claire" });
    expect(r.kind).toBe("installed");
    if (r.kind !== "installed") return;
    expect(r.ok).toBe(true);
    expect(r.path).toBe(path);
    expect(readFileSync(path, "utf8")).toContain(`"CLAIRE_HOME=${join(h, "claire home")}"`);
    expect(s.calls).toEqual([
      "systemctl --user show-environment",
      "systemctl --user daemon-reload",
      "systemctl --user enable --now claire.service",
      "systemctl --user restart claire.service",
      "loginctl show-user ana --property=Linger",
    ]);
    expect(r.instructions.join("\n")).toMatch(/loginctl enable-linger ana/);

    const st = serviceStatus(d, { name: "claire" });
    expect(st).toMatchObject({
      installed: true,
      current: true,
      missing: ["/opt/claire/bin/claire.cjs"],
      enabled: "enabled",
      active: "active",
    });
    // Another Node in the shell: the installed unit is no longer what install would write.
    expect(serviceStatus({ ...d, node: "/other/node" }, { name: "claire" }).current).toBe(false);

    s.calls.length = 0;
    const u = uninstallService(d, { name: "claire" });
    expect(u.removed).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(s.calls).toEqual([
      "systemctl --user show-environment",
      "systemctl --user disable --now claire.service",
      "systemctl --user daemon-reload",
    ]);
    expect(serviceStatus(d, { name: "claire" }).installed).toBe(false);
  });

  it("without a reachable user manager (a container) writes the unit and says what to run", () => {
    const h = home();
    const s = scripted({
      "systemctl --user show-environment": {
        code: 1,
        stdout: "",
        stderr: "Failed to connect to bus: No medium found\n",
      },
    });
    const d = deps(h, s.run);
    expect(detectSystemd(d)).toMatchObject({ available: false });
    expect(detectSystemd(d).reason).toMatch(/No medium found/);
    s.calls.length = 0;
    const r = installService(d, { name: "claire" });
    if (r.kind !== "installed") throw new Error(r.kind);
    expect(existsSync(r.path)).toBe(true);
    expect(r.steps).toEqual([]);
    const text = r.instructions.join("\n");
    expect(text).toMatch(/systemctl --user daemon-reload/);
    expect(text).toMatch(/systemctl --user enable --now claire.service/);
    expect(text).toMatch(/claire serve/);
    expect(s.calls).toEqual(["systemctl --user show-environment"]);
    expect(uninstallService(d, { name: "claire" }).removed).toBe(true);
  });

  it("says so when there is no systemctl at all", () => {
    const h = home();
    expect(detectSystemd(deps(h, scripted().run, { env: { PATH: h } })).reason).toMatch(
      /systemctl is not on PATH/,
    );
  });

  it("reports a failed systemctl step with what to run by hand", () => {
    const h = home();
    const s = scripted({
      "systemctl --user enable --now claire.service": { code: 1, stdout: "", stderr: "Unit is masked.\n" },
    });
    const r = installService(deps(h, s.run), { name: "claire" });
    if (r.kind !== "installed") throw new Error(r.kind);
    expect(r.ok).toBe(false);
    expect(r.steps.at(-1)).toMatchObject({ ok: false, output: "Unit is masked." });
    expect(r.instructions[0]).toMatch(/enable --now claire.service failed/);
  });
});
