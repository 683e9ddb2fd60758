// The systemd --user unit that runs `claire serve`, and the launchd agent for macOS. Pure text:
// what goes into the file is decided here; writing and enabling it is service-manager.ts.
import { isAbsolute, join, resolve } from "node:path";

export type Env = Readonly<Record<string, string | undefined>>;

/** What the service runs and with which environment, all captured when it is installed. */
export type ServiceSpec = {
  /** The Node runtime (process.execPath): Claude Code's PATH may hold an older Node. */
  readonly node: string;
  /** Claire's bin entry (bin/claire.cjs, or the `claire` link npm made to it). */
  readonly entry: string;
  /** Environment for `claire serve`, in a stable order. */
  readonly env: readonly (readonly [string, string])[];
};

/**
 * Variables the service keeps from the installing shell: PATH (so `claude` and a session lister
 * are found), where Claude Code keeps its sessions, and the settings that say which Claire home
 * to serve and how to log. Client-side settings (CLAIRE_SERVER, CLAIRE_TOKEN) are not for serve.
 */
export const CAPTURED = [
  "PATH",
  "CLAUDE_CONFIG_DIR",
  "CLAIRE_HOME",
  "CLAIRE_LOG_LEVEL",
  "XDG_CONFIG_HOME",
  "XDG_DATA_HOME",
] as const;

/** Paths are made absolute: the service does not start in the directory install ran in. */
const ABSOLUTE = new Set(["CLAUDE_CONFIG_DIR", "CLAIRE_HOME"]);

export const serviceSpec = (node: string, entry: string, env: Env): ServiceSpec => ({
  node: resolve(node),
  entry: resolve(entry),
  env: CAPTURED.flatMap((k) => {
    const v = env[k];
    if (v === undefined || v === "") return [];
    // XDG values must be absolute to count (the spec); a relative one is ignored by Claire too.
    if (k.startsWith("XDG_") && !isAbsolute(v)) return [];
    return [[k, ABSOLUTE.has(k) ? resolve(v) : v] as const];
  }),
});

export const DEFAULT_UNIT = "claire";

/** $XDG_CONFIG_HOME/systemd/user (default ~/.config/systemd/user). */
export const userUnitDir = (env: Env, home: string): string => {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg !== undefined && xdg !== "" && isAbsolute(xdg) ? xdg : join(home, ".config");
  return join(base, "systemd", "user");
};

export const unitFileName = (name: string): string => (name.endsWith(".service") ? name : `${name}.service`);

/** A unit name systemd accepts, without the suffix: letters, digits and :_.\- only. */
export const isUnitName = (name: string): boolean =>
  /^[A-Za-z0-9:_.-]{1,200}$/.test(name.replace(/\.service$/, ""));

// systemd's quoting: inside "...", backslash and double quote are escaped with a backslash;
// `%` starts a specifier everywhere (%% is a literal %); in arguments (not the program), `$`
// starts a variable ($$ is a literal $).
const unitEscape = (s: string): string =>
  s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("%", "%%");
const quoteArg = (s: string): string => `"${unitEscape(s).replaceAll("$", "$$$$")}"`;
const quoteEnv = (k: string, v: string): string => `"${unitEscape(`${k}=${v}`)}"`;

/** systemd refuses a program path holding quotes or backslashes ("special characters"). */
const ENV = "/usr/bin/env";
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const safeProgram = (p: string): boolean => !/["'\\\x00-\x1f]/.test(p);

/** The ExecStart= command: the Node directly, or through env(1) when its path is not one systemd takes. */
export const execStartLine = (spec: ServiceSpec): string =>
  safeProgram(spec.node)
    ? `"${unitEscape(spec.node)}" ${[spec.entry, "serve"].map(quoteArg).join(" ")}`
    : `${ENV} ${[spec.node, spec.entry, "serve"].map(quoteArg).join(" ")}`;

/** Lines starting with '#' are not part of what `claire service status` compares. */
export const renderUnit = (spec: ServiceSpec, installedAt?: string): string =>
  [
    `# Written by \`claire service install\`${installedAt ? ` on ${installedAt}` : ""}. It runs \`claire serve\``,
    "# with the Node and the PATH of the shell it was installed from: install again after moving",
    "# or upgrading Node or Claire (claire service install), and check with: claire doctor",
    "[Unit]",
    "Description=Claire: project manager for a fleet of Claude Code sessions (claire serve)",
    "StartLimitIntervalSec=120",
    "StartLimitBurst=5",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${execStartLine(spec)}`,
    ...spec.env.map(([k, v]) => `Environment=${quoteEnv(k, v)}`),
    "Restart=on-failure",
    "RestartSec=5",
    // serve finishes in-flight requests for up to 10 s after SIGTERM, then closes the database.
    "TimeoutStopSec=20",
    "UMask=0077",
    "NoNewPrivileges=true",
    "StandardOutput=journal",
    "StandardError=journal",
    "SyslogIdentifier=claire",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");

/** The unit without its comments: two units that differ only there do the same thing. */
export const unitBody = (text: string): string =>
  text
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n")
    .trim();

/** The words of an ExecStart= line (systemd's quoting undone). */
export const execStartOf = (unit: string): string[] => {
  const line = unit.split("\n").find((l) => l.startsWith("ExecStart="));
  if (!line) return [];
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.slice("ExecStart=".length).matchAll(re)) {
    const w = (m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2]!).replaceAll("%%", "%");
    words.push(words.length === 0 ? w : w.replaceAll("$$", "$"));
  }
  return words;
};

/** The Node and the Claire entry a unit runs (whether or not through env(1)). */
export const unitPrograms = (unit: string): string[] => {
  const words = execStartOf(unit);
  return (words[0] === ENV ? words.slice(1) : words).slice(0, 2);
};
