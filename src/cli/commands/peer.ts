// claire peer add|list|remove: the machines this one syncs with, kept in claire.toml (local).
import type { Command } from "commander";
import type { TomlTable } from "smol-toml";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { color, relativeTime, table } from "../format.ts";

type PeerEntry = { url: string; name?: string; token?: string };

const local = async () => {
  const { openLocalClaire } = await import("../../runtime/local-claire.ts");
  const { describeConfigError, updateConfigFile } = await import("../../config/index.ts");
  const opened = openLocalClaire({ init: true });
  if (!opened.ok) throw new CliError(describeConfigError(opened.error), EXIT.user);
  return { claire: opened.value, updateConfigFile, describeConfigError };
};

const normalise = (url: string): string => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CliError(`'${url}' is not a URL (expected e.g. http://laptop.lan:8765)`, EXIT.usage);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new CliError("a peer URL must be http or https", EXIT.usage);
  // Claire appends /api/v1/... to it: anything but the server's root never answers.
  if (u.username || u.password)
    throw new CliError("a peer URL carries no user or password: give the token with --token", EXIT.usage);
  if (u.search || u.hash || u.pathname.replace(/\/+$/, "") !== "")
    throw new CliError(
      `a peer URL is the server's root, without a path or query: ${u.protocol}//${u.host}`,
      EXIT.usage,
    );
  return `${u.protocol}//${u.host}`;
};

export const registerPeer = (program: Command): void => {
  const peer = program.command("peer").description("Machines this one syncs with (kept in claire.toml)");
  peer
    .command("add <url>")
    .description("Add a peer; its token is the one `claire token create` printed on that machine")
    .option("--token <token>", "bearer token for the peer (needed unless it is on loopback)")
    .option("--name <name>", "a short name for the peer")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExample:\n  claire peer add http://100.64.0.7:8765 --token claire_Xy… --name laptop",
    )
    .action(async (url: string, o: { token?: string; name?: string }, cmd: Command) => {
      const target = normalise(url);
      const { claire, updateConfigFile, describeConfigError } = await local();
      const path = claire.paths.configPath;
      const { runningServer } = await import("../../runtime/server-file.ts");
      const { sameListener } = await import("../../sync/same-listener.ts");
      const { isLoopbackHostName } = await import("../../http/middleware/host-check.ts");
      const own = runningServer(claire.paths.dataDir);
      if (own && sameListener(target, own.url)) {
        claire.close();
        throw new CliError(
          `${target} is this machine's own claire serve: a machine does not sync with itself`,
          EXIT.user,
          ["give the address of another machine's claire serve"],
        );
      }
      const existing = claire.config.peers.find((p) => p.url === target);
      const namesake = o.name
        ? claire.config.peers.find((p) => p.name === o.name && p.url !== target)
        : undefined;
      claire.close();
      if (namesake)
        throw new CliError(`a peer is already named '${o.name}': ${namesake.url}`, EXIT.user, [
          "pick another name, or remove that one first: claire peer remove " + namesake.url,
        ]);
      // Adding a peer again changes what is given and keeps the rest (a new token keeps the name).
      const entry: PeerEntry = {
        url: target,
        ...((o.name ?? existing?.name) && { name: o.name ?? existing?.name }),
        ...((o.token ?? existing?.token) && { token: o.token ?? existing?.token }),
      };
      const r = updateConfigFile(path, (raw: TomlTable) => {
        const peers = (raw.peers as PeerEntry[] | undefined) ?? [];
        const at = peers.findIndex((p) => p.url === target);
        const next = at >= 0 ? peers.map((p, i) => (i === at ? { ...p, ...entry } : p)) : [...peers, entry];
        return { ...raw, peers: next } as TomlTable;
      });
      if (!r.ok) throw new CliError(describeConfigError(r.error), EXIT.user);
      const serving = own !== null;
      const changed = existing
        ? [o.token && "token", o.name && o.name !== existing.name && "name"].filter(Boolean).join(" and ")
        : "";
      output(
        cmd,
        {
          added: target,
          updated: existing !== undefined,
          peers: r.value.peers.map((p) => ({ url: p.url, name: p.name ?? null, hasToken: Boolean(p.token) })),
        },
        (v) =>
          [
            v.updated
              ? `updated peer ${v.added}${changed ? ` (new ${changed})` : " (nothing changed)"}`
              : `added peer ${v.added}${entry.name ? ` as '${entry.name}'` : ""}`,
            serving
              ? "the running server picks it up at its next round (or run: claire sync)"
              : "run `claire sync` to sync now; `claire serve` syncs with it on its own",
            ...(!entry.token && !isLoopbackHostName(new URL(target).hostname)
              ? [
                  color.yellow(
                    "no token: that machine refuses requests from other machines without one (create it there: claire token create)",
                  ),
                ]
              : []),
          ].join("\n"),
      );
    });
  peer
    .command("list")
    .alias("ls")
    .description("Peers with their sync health")
    .option("--json", "print JSON")
    .action(async (_o: unknown, cmd: Command) => {
      const { claire } = await local();
      const health = new Map(claire.service.peerHealth().map((h) => [h.peer, h]));
      const list = claire.config.peers.map((p) => ({
        url: p.url,
        name: p.name ?? null,
        hasToken: Boolean(p.token),
        health: health.get(p.url) ?? null,
      }));
      claire.close();
      output(cmd, list, (ps) =>
        ps.length === 0
          ? "no peers: claire peer add <url> --token <token>"
          : table(
              ["PEER", "NAME", "TOKEN", "LAST SUCCESS", "BEHIND", "LAST ERROR"],
              ps.map((p) => [
                p.url,
                p.name ?? "-",
                p.hasToken ? "yes" : "no",
                relativeTime(p.health?.lastSuccessAt),
                // The count is from the last round that succeeded: not news about a peer failing now.
                p.health?.behind === null || p.health?.behind === undefined || p.health.lastError
                  ? "-"
                  : String(p.health.behind),
                p.health?.lastError ? color.red(p.health.lastError) : "-",
              ]),
            ),
      );
    });
  peer
    .command("remove <peer>")
    .alias("rm")
    .description("Stop syncing with a peer (by URL or name)")
    .option("--json", "print JSON")
    .action(async (which: string, _o: unknown, cmd: Command) => {
      const { claire, updateConfigFile, describeConfigError } = await local();
      const path = claire.paths.configPath;
      const byUrl = claire.config.peers.find((p) => p.url === which.replace(/\/+$/, ""));
      const byName = claire.config.peers.filter((p) => p.name === which);
      const known = byUrl ?? (byName.length === 1 ? byName[0] : undefined);
      try {
        if (known) claire.service.forgetPeer(known.url);
      } finally {
        claire.close();
      }
      if (!byUrl && byName.length > 1)
        throw new CliError(
          `several peers are named '${which}': ${byName.map((p) => p.url).join(", ")}`,
          EXIT.user,
          ["remove one by its URL"],
        );
      if (!known) throw new CliError(`no peer '${which}' in claire.toml (see claire peer list)`, EXIT.user);
      const r = updateConfigFile(path, (raw: TomlTable) => ({
        ...raw,
        peers: ((raw.peers as PeerEntry[] | undefined) ?? []).filter((p) => p.url !== known.url),
      }));
      if (!r.ok) throw new CliError(describeConfigError(r.error), EXIT.user);
      output(cmd, { removed: known.url }, (v) => `removed peer ${v.removed}`);
    });
};
