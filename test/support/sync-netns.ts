// Network namespaces standing in for separate hosts (root only): a line of three hosts
//   A 10.231.77.1/30 == veth == 10.231.77.2/30 B 10.231.77.5/30 == veth == 10.231.77.6/30 C
// B serves on 10.231.77.9/32 (on its loopback device), which A and C reach through their link.
// B does not forward, so A and C cannot reach each other: everything between them goes by B.
// Addresses exist only inside the namespaces; nothing is sent anywhere else.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export const NETNS_PREFIX = "csync";
export const SUBNET = "10.231.77";

export type Host = { readonly ns: string; readonly address: string };
export type Line = {
  readonly a: Host;
  readonly b: Host;
  readonly c: Host;
  /** Takes the B-C link down (B's end) or up again. */
  readonly setBcLink: (up: boolean) => void;
  readonly destroy: () => void;
};

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe", timeout: 10_000 });

/** What is missing to run namespace tests here, or null when nothing is. */
export const missingPrerequisite = (): string | null => {
  if (process.platform !== "linux") return "network namespace tests need Linux";
  if (typeof process.getuid === "function" && process.getuid() !== 0)
    return "network namespace tests need root (run as root, as CI does)";
  const v = spawnSync("ip", ["-V"], { stdio: "pipe" });
  if (v.error || v.status !== 0)
    return "network namespace tests need the `ip` command: apt-get install iproute2";
  const probe = `${NETNS_PREFIX}probe${process.pid}`;
  const add = spawnSync("ip", ["netns", "add", probe], { stdio: "pipe" });
  spawnSync("ip", ["netns", "del", probe], { stdio: "pipe" });
  if (add.status !== 0)
    return `network namespace tests cannot create a namespace: ${add.stderr.toString().trim() || "ip netns add failed"}`;
  return null;
};

/** Kills processes left in a namespace and deletes it. */
const removeNamespace = (ns: string) => {
  const pids = spawnSync("ip", ["netns", "pids", ns], { stdio: "pipe" }).stdout?.toString().trim();
  for (const pid of pids ? pids.split(/\s+/) : []) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {}
  }
  spawnSync("ip", ["netns", "del", ns], { stdio: "pipe" });
};

/** Removes namespaces and veth ends a crashed earlier run left behind. */
export const cleanLeftovers = (): void => {
  const list = spawnSync("ip", ["netns", "list"], { stdio: "pipe" }).stdout?.toString() ?? "";
  for (const line of list.split("\n")) {
    const ns = line.split(/\s+/)[0];
    if (ns?.startsWith(NETNS_PREFIX)) removeNamespace(ns);
  }
  const links = spawnSync("ip", ["-o", "link", "show"], { stdio: "pipe" }).stdout?.toString() ?? "";
  for (const m of links.matchAll(/^\d+: (cs[0-9a-f]{4}(?:ab|ba|bc|cb))[@:]/gm)) {
    spawnSync("ip", ["link", "del", m[1]!], { stdio: "pipe" });
  }
};

/** Builds the line A-B-C. On any failure everything made so far is removed again. */
export const createLine = (): Line => {
  const id = randomBytes(2).toString("hex");
  const ns = { a: `${NETNS_PREFIX}${id}-a`, b: `${NETNS_PREFIX}${id}-b`, c: `${NETNS_PREFIX}${id}-c` };
  const dev = { ab: `cs${id}ab`, ba: `cs${id}ba`, bc: `cs${id}bc`, cb: `cs${id}cb` };
  const destroy = () => {
    for (const n of Object.values(ns)) removeNamespace(n);
    for (const d of Object.values(dev)) spawnSync("ip", ["link", "del", d], { stdio: "pipe" });
  };
  try {
    for (const n of Object.values(ns)) {
      ip("netns", "add", n);
      ip("-n", n, "link", "set", "lo", "up");
    }
    ip("link", "add", dev.ab, "type", "veth", "peer", "name", dev.ba);
    ip("link", "add", dev.bc, "type", "veth", "peer", "name", dev.cb);
    ip("link", "set", dev.ab, "netns", ns.a);
    ip("link", "set", dev.ba, "netns", ns.b);
    ip("link", "set", dev.bc, "netns", ns.b);
    ip("link", "set", dev.cb, "netns", ns.c);
    ip("-n", ns.a, "addr", "add", `${SUBNET}.1/30`, "dev", dev.ab);
    ip("-n", ns.b, "addr", "add", `${SUBNET}.2/30`, "dev", dev.ba);
    ip("-n", ns.b, "addr", "add", `${SUBNET}.5/30`, "dev", dev.bc);
    ip("-n", ns.c, "addr", "add", `${SUBNET}.6/30`, "dev", dev.cb);
    ip("-n", ns.b, "addr", "add", `${SUBNET}.9/32`, "dev", "lo");
    for (const [n, d] of [
      [ns.a, dev.ab],
      [ns.b, dev.ba],
      [ns.b, dev.bc],
      [ns.c, dev.cb],
    ] as const)
      ip("-n", n, "link", "set", d, "up");
    ip("-n", ns.a, "route", "add", `${SUBNET}.9/32`, "via", `${SUBNET}.2`);
    ip("-n", ns.c, "route", "add", `${SUBNET}.9/32`, "via", `${SUBNET}.5`);
  } catch (e) {
    destroy();
    throw e;
  }
  return {
    a: { ns: ns.a, address: `${SUBNET}.1` },
    b: { ns: ns.b, address: `${SUBNET}.9` },
    c: { ns: ns.c, address: `${SUBNET}.6` },
    setBcLink: (up) => ip("-n", ns.b, "link", "set", dev.bc, up ? "up" : "down"),
    destroy,
  };
};
