// `claire service install|uninstall|status`: writes the systemd --user unit, and enables and
// starts it with `systemctl --user` when a systemd user manager is there to talk to. Where there is
// none (a container, WSL without systemd, macOS), it says exactly what to run instead.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findOnPath } from "../sessions/run-program.ts";
import { launchdPlistPath, renderLaunchdPlist } from "./launchd.ts";
import {
  type Env,
  renderUnit,
  type ServiceSpec,
  serviceSpec,
  unitBody,
  unitFileName,
  unitPrograms,
  userUnitDir,
} from "./systemd.ts";

export type CommandResult = {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
};
export type RunCommand = (cmd: string, args: readonly string[]) => CommandResult;

export const runCommand =
  (env: Env): RunCommand =>
  (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: "utf8", env: env as NodeJS.ProcessEnv, timeout: 30_000 });
    if (r.error) return { code: null, stdout: "", stderr: r.error.message };
    return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
  };

export type ServiceDeps = {
  readonly platform: NodeJS.Platform;
  readonly env: Env;
  readonly home: string;
  /** process.execPath of the CLI being run. */
  readonly node: string;
  /** Claire's bin entry as it was invoked (process.argv[1]). */
  readonly entry: string;
  readonly run: RunCommand;
  readonly now: () => number;
};

export type SystemdState = { readonly available: boolean; readonly reason: string };

/** Whether `systemctl --user` can reach a user manager here (it cannot in most containers). */
export const detectSystemd = (deps: ServiceDeps): SystemdState => {
  if (deps.platform !== "linux") return { available: false, reason: `this is ${deps.platform}, not Linux` };
  if (!findOnPath("systemctl", deps.env.PATH))
    return { available: false, reason: "systemctl is not on PATH (no systemd here)" };
  const r = deps.run("systemctl", ["--user", "show-environment"]);
  if (r.code === 0) return { available: true, reason: "systemctl --user answers" };
  const why = (r.stderr.trim().split("\n")[0] ?? "").trim() || `exit ${r.code}`;
  return {
    available: false,
    reason: `systemctl --user cannot reach a user manager (${why}): systemd is not running here (a container?) or this is not a login session`,
  };
};

const unitName = (name: string) => unitFileName(name);

export const unitLocation = (deps: Pick<ServiceDeps, "env" | "home">, name: string) => {
  const dir = userUnitDir(deps.env, deps.home);
  return { dir, path: join(dir, unitName(name)) };
};

export const currentSpec = (deps: ServiceDeps): ServiceSpec => serviceSpec(deps.node, deps.entry, deps.env);

const writeAtomic = (path: string, text: string, mode: number) => {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
};

export type Step = { readonly command: string; readonly ok: boolean; readonly output: string };

const step = (deps: ServiceDeps, args: string[]): Step => {
  const r = deps.run("systemctl", ["--user", ...args]);
  return {
    command: `systemctl --user ${args.join(" ")}`,
    ok: r.code === 0,
    output: `${r.stdout}${r.stderr}`.trim(),
  };
};

export type InstallResult =
  | { readonly kind: "dry-run"; readonly path: string; readonly unit: string }
  | {
      readonly kind: "launchd";
      readonly path: string;
      readonly plist: string;
      readonly instructions: string[];
    }
  | {
      readonly kind: "installed";
      readonly path: string;
      readonly unit: string;
      readonly systemd: SystemdState;
      readonly steps: readonly Step[];
      /** What the user should run: everything when systemd was not reachable, else advice. */
      readonly instructions: readonly string[];
      readonly ok: boolean;
    };

const manualSteps = (unit: string, user: string): string[] => [
  "systemctl --user daemon-reload",
  `systemctl --user enable --now ${unit}`,
  `loginctl enable-linger ${user}      # keep it running when you are logged out`,
  `journalctl --user -u ${unit} -f     # its logs`,
];

const lingerAdvice = (deps: ServiceDeps, user: string): string[] => {
  const r = deps.run("loginctl", ["show-user", user, "--property=Linger"]);
  if (r.code === 0 && /Linger=no/.test(r.stdout))
    return [
      `the service stops when you log out: run \`loginctl enable-linger ${user}\` to keep it running (and start it at boot)`,
    ];
  return [];
};

export const installService = (
  deps: ServiceDeps,
  opts: { dryRun?: boolean; name: string },
): InstallResult => {
  const spec = currentSpec(deps);
  if (deps.platform === "darwin") {
    const path = launchdPlistPath(deps.home);
    return {
      kind: "launchd",
      path,
      plist: renderLaunchdPlist(spec, deps.home),
      instructions: [
        `save the plist above as ${path}, then:`,
        `launchctl bootstrap gui/$(id -u) ${path}`,
        "launchctl print gui/$(id -u)/local.claire.serve | head    # check it runs",
        `to remove it: launchctl bootout gui/$(id -u) ${path} && rm ${path}`,
      ],
    };
  }
  const { dir, path } = unitLocation(deps, opts.name);
  const unit = renderUnit(spec, new Date(deps.now()).toISOString());
  if (opts.dryRun) return { kind: "dry-run", path, unit };
  mkdirSync(dir, { recursive: true });
  writeAtomic(path, unit, 0o644);
  const name = unitName(opts.name);
  const user = deps.env.USER ?? deps.env.LOGNAME ?? "$USER";
  const systemd = detectSystemd(deps);
  if (!systemd.available)
    return {
      kind: "installed",
      path,
      unit,
      systemd,
      steps: [],
      instructions: [
        `on a machine with systemd, run:`,
        ...manualSteps(name, user),
        "without systemd (a container), run `claire serve` under the container's own supervisor instead,",
        "e.g. as the container's command, or: nohup claire serve >>claire.log 2>&1 &",
      ],
      ok: true,
    };
  const steps: Step[] = [step(deps, ["daemon-reload"])];
  if (steps[0]!.ok) steps.push(step(deps, ["enable", "--now", name]));
  // A unit that was already running keeps its old command until restarted.
  if (steps.every((s) => s.ok)) steps.push(step(deps, ["restart", name]));
  const ok = steps.every((s) => s.ok);
  return {
    kind: "installed",
    path,
    unit,
    systemd,
    steps,
    instructions: ok
      ? [...lingerAdvice(deps, user), `logs: journalctl --user -u ${name} -f`]
      : [
          `${steps.find((s) => !s.ok)!.command} failed; fix what it says, then run:`,
          ...manualSteps(name, user),
        ],
    ok,
  };
};

export type UninstallResult = {
  readonly path: string;
  readonly removed: boolean;
  readonly systemd: SystemdState;
  readonly steps: readonly Step[];
  readonly instructions: readonly string[];
};

export const uninstallService = (deps: ServiceDeps, opts: { name: string }): UninstallResult => {
  const { path } = unitLocation(deps, opts.name);
  const name = unitName(opts.name);
  const systemd = detectSystemd(deps);
  const steps: Step[] = [];
  if (systemd.available) steps.push(step(deps, ["disable", "--now", name]));
  const removed = existsSync(path);
  rmSync(path, { force: true });
  if (systemd.available) steps.push(step(deps, ["daemon-reload"]));
  return {
    path,
    removed,
    systemd,
    steps,
    instructions: systemd.available
      ? []
      : [`if it was enabled on a machine with systemd: systemctl --user disable --now ${name}`],
  };
};

export type ServiceStatus = {
  readonly path: string;
  readonly installed: boolean;
  /** The unit does what `claire service install` would write now (same Node, Claire, environment). */
  readonly current: boolean;
  /** Paths in ExecStart that no longer exist (Node or Claire moved or was upgraded). */
  readonly missing: readonly string[];
  readonly systemd: SystemdState;
  readonly enabled: string | null;
  readonly active: string | null;
};

export const serviceStatus = (deps: ServiceDeps, opts: { name: string }): ServiceStatus => {
  const { path } = unitLocation(deps, opts.name);
  const name = unitName(opts.name);
  const installed = existsSync(path);
  const text = installed ? readFileSync(path, "utf8") : "";
  const systemd = detectSystemd(deps);
  const ask = (verb: string) => {
    if (!systemd.available) return null;
    const r = deps.run("systemctl", ["--user", verb, name]);
    return (r.stdout.trim().split("\n")[0] ?? "").trim() || `exit ${r.code}`;
  };
  return {
    path,
    installed,
    current: installed && unitBody(text) === unitBody(renderUnit(currentSpec(deps))),
    missing: installed ? unitPrograms(text).filter((p) => !existsSync(p)) : [],
    systemd,
    enabled: ask("is-enabled"),
    active: ask("is-active"),
  };
};
