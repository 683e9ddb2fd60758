// The launchd agent that runs `claire serve` on macOS, where there is no systemd: printed by
// `claire service install` with the commands that load it.
import { join } from "node:path";
import type { ServiceSpec } from "./systemd.ts";

export const LAUNCHD_LABEL = "local.claire.serve";

const xml = (s: string): string =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** A LaunchAgent that keeps `claire serve` running for the logged-in user, logging to ~/Library/Logs. */
export const renderLaunchdPlist = (spec: ServiceSpec, home: string): string => {
  const log = join(home, "Library", "Logs", "claire.log");
  const string = (s: string) => `<string>${xml(s)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "<dict>",
    `  <key>Label</key>${string(LAUNCHD_LABEL)}`,
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...[spec.node, spec.entry, "serve"].map((a) => `    ${string(a)}`),
    "  </array>",
    "  <key>EnvironmentVariables</key>",
    "  <dict>",
    ...spec.env.map(([k, v]) => `    <key>${xml(k)}</key>${string(v)}`),
    "  </dict>",
    "  <key>RunAtLoad</key><true/>",
    // Restart when it fails, not after a clean stop.
    "  <key>KeepAlive</key>",
    "  <dict><key>SuccessfulExit</key><false/></dict>",
    "  <key>ThrottleInterval</key><integer>5</integer>",
    `  <key>StandardOutPath</key>${string(log)}`,
    `  <key>StandardErrorPath</key>${string(log)}`,
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
};

export const launchdPlistPath = (home: string): string =>
  join(home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
