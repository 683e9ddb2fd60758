// `claire service`: the unit it generates passes `systemd-analyze verify` (Debian's systemd), and
// install/status/uninstall round-trip through the real CLI in a temporary XDG_CONFIG_HOME (HOME
// too), never the real one. systemd is not PID 1 in this container, so `systemctl --user` cannot
// reach a user manager: one run uses the real systemctl (and must say what to run instead), the
// other a stub systemctl put first on PATH that records what Claire asked of it.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderUnit, serviceSpec } from "../src/ops/systemd.ts";
import { BIN, ensureBuilt, PINNED_NODE, runCli, tempHome } from "./support/cli-run.ts";

const which = (cmd: string): string | null => {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
};

const analyze = which("systemd-analyze");
if (!analyze && process.env.CI)
  throw new Error("systemd-analyze is missing: apt-get install systemd (.ci/run installs it)");

/** `systemd-analyze verify --user` on a unit text: exit code and every complaint it prints. */
const verify = (unit: string, dir = tempHome("claire-verify-")) => {
  const file = join(dir, "claire.service");
  writeFileSync(file, unit);
  const runtime = join(dir, "runtime");
  mkdirSync(runtime, { mode: 0o700, recursive: true });
  const r = spawnSync(analyze!, ["verify", "--user", file], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: dir, XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_LEVEL: "info" },
  });
  return { code: r.status, complaints: `${r.stdout}${r.stderr}`.trim() };
};

beforeAll(() => ensureBuilt());

describe.skipIf(!analyze)("the generated unit", () => {
  it("passes systemd-analyze verify, as `claire service install --dry-run` prints it", async () => {
    const home = tempHome("claire-unit-");
    const r = await runCli(["service", "install", "--dry-run"], {
      home,
      env: {
        XDG_CONFIG_HOME: join(home, "xdg"),
        CLAIRE_HOME: join(home, "claire home"),
        CLAUDE_CONFIG_DIR: join(home, ".claude"),
        CLAIRE_LOG_LEVEL: "info",
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^# ${join(home, "xdg", "systemd", "user", "claire.service")}`));
    const unit = r.stdout.split("\n").slice(1).join("\n");
    expect(unit).toMatch(/^ExecStart=".*node" ".*bin\/claire\.cjs" "serve"$/m);
    expect(unit).toContain(`Environment="CLAIRE_HOME=${join(home, "claire home")}"`);
    expect(existsSync(join(home, "xdg", "systemd", "user", "claire.service"))).toBe(false);
    expect(verify(unit)).toEqual({ code: 0, complaints: "" });
  });

  it("passes with awkward paths (spaces, quotes, %), and verify does catch a broken unit", () => {
    const dir = tempHome("claire-unit-odd-");
    const real = execFileSync(PINNED_NODE, ["-p", "process.execPath"], { encoding: "utf8" }).trim();
    let unit = "";
    // Spaces and % go straight into ExecStart; quotes make systemd refuse the program, so env(1) runs it.
    for (const name of ["my node 100% $x", 'my "node" 100%']) {
      mkdirSync(join(dir, name));
      symlinkSync(real, join(dir, name, "node"));
      unit = renderUnit(
        serviceSpec(join(dir, name, "node"), BIN, {
          PATH: "/usr/bin:/bin",
          CLAIRE_HOME: join(dir, "50% home"),
        }),
      );
      expect(verify(unit), name).toEqual({ code: 0, complaints: "" });
    }
    // The check is not vacuous: a bad directive or a missing program is reported.
    expect(verify(unit.replace("Restart=on-failure", "Restart=sometimes")).complaints).toMatch(
      /Restart|restart/,
    );
    expect(verify(renderUnit(serviceSpec(join(dir, "no-such-node"), BIN, {}))).code).not.toBe(0);
  });
});

describe("claire service install / status / uninstall", () => {
  const unitPath = (home: string) => join(home, "xdg", "systemd", "user", "claire.service");

  it("writes the unit into $XDG_CONFIG_HOME and, with no reachable systemd, says what to run", async () => {
    const probe = spawnSync("systemctl", ["--user", "show-environment"], { encoding: "utf8" });
    // Never enable anything in a real user manager from a test.
    if (probe.status === 0) return;
    const home = tempHome("claire-svc-real-");
    const env = { XDG_CONFIG_HOME: join(home, "xdg"), CLAIRE_HOME: join(home, "c") };
    const r = await runCli(["service", "install"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${unitPath(home)}`);
    expect(r.stdout).toMatch(/not started: .*(systemctl|systemd)/);
    expect(r.stdout).toMatch(/systemctl --user enable --now claire\.service/);
    expect(readFileSync(unitPath(home), "utf8")).toContain(`Environment="CLAIRE_HOME=${join(home, "c")}"`);

    const st = await runCli(["service", "status", "--json"], { home, env });
    expect(st.json).toMatchObject({
      installed: true,
      current: true,
      missing: [],
      systemd: { available: false },
    });

    const u = await runCli(["service", "uninstall"], { home, env });
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`removed ${unitPath(home)}`);
    expect(existsSync(unitPath(home))).toBe(false);
  });

  it("enables, reports and disables it through systemctl --user (a stub systemctl on PATH)", async () => {
    const home = tempHome("claire-svc-stub-");
    const bin = join(home, "stub-bin");
    mkdirSync(bin);
    const log = join(home, "systemctl.log");
    writeFileSync(
      join(bin, "systemctl"),
      `#!/bin/sh
echo "$*" >> "${log}"
case "$*" in
  "--user is-enabled"*) echo enabled ;;
  "--user is-active"*) echo active ;;
esac
exit 0
`,
    );
    chmodSync(join(bin, "systemctl"), 0o755);
    const env = {
      XDG_CONFIG_HOME: join(home, "xdg"),
      CLAIRE_HOME: join(home, "c"),
      PATH: `${bin}:${process.env.PATH}`,
    };
    const r = await runCli(["service", "install", "--json"], { home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ kind: "installed", ok: true, path: unitPath(home) });
    expect(readFileSync(unitPath(home), "utf8")).toContain(`Environment="PATH=${bin}:`);
    const st = await runCli(["service", "status"], { home, env });
    expect(st.stdout).toMatch(/systemd {3}enabled, active/);
    expect(st.stdout).toMatch(/up to date/);
    const u = await runCli(["service", "uninstall"], { home, env });
    expect(u.code).toBe(0);
    expect(existsSync(unitPath(home))).toBe(false);
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([
      "--user show-environment",
      "--user daemon-reload",
      "--user enable --now claire.service",
      "--user restart claire.service",
      "--user show-environment",
      "--user is-enabled claire.service",
      "--user is-active claire.service",
      "--user show-environment",
      "--user disable --now claire.service",
      "--user daemon-reload",
    ]);
  });
});
