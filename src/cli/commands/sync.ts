// claire sync [--peer URL] [--verify]: one sync round now (through the running server when there
// is one), printing per peer what moved; --verify compares summaries and names any gap.
import type { Command } from "commander";
import type { PeerRound } from "../../sync/sync-peer.ts";
import type { Verification } from "../../sync/verify.ts";
import { output, withApi } from "../command-kit.ts";
import { EXIT } from "../exit-codes.ts";
import { clockOffset, color, table } from "../format.ts";

const roundsTable = (rounds: readonly PeerRound[]): string =>
  rounds.length === 0
    ? "no peers configured: claire peer add <url> --token <token>"
    : table(
        ["PEER", "RESULT", "PULLED", "PUSHED", "REJECTED", "QUARANTINED", "BEHIND", "MS"],
        rounds.map((r) => [
          r.peer,
          r.ok ? color.green("ok") : color.red(`failed: ${r.error}`),
          String(r.pulled.accepted),
          String(r.pushed.accepted),
          String(r.pulled.rejected + r.pushed.rejected),
          String(r.pulled.quarantined),
          r.behind === null ? "-" : String(r.behind),
          String(Math.round(r.ms)),
        ]),
      );

export const verificationText = (v: Verification): string =>
  [
    v.equal
      ? color.green(
          v.peers.length === 0 ? "no peer to compare with" : "all peers hold the same events as this machine",
        )
      : v.peers.some((p) => !p.error && !p.equal)
        ? color.yellow("peers differ from this machine:")
        : color.yellow("could not compare with every peer:"),
    ...v.peers.flatMap((p) =>
      p.error
        ? [`  ${p.peer}: unreachable (${p.error})`]
        : p.equal
          ? [`  ${p.peer}: equal${clockOffset(p.clockOffsetMs) ? ` (${clockOffset(p.clockOffsetMs)})` : ""}`]
          : [`  ${p.peer}:`, ...p.gaps.map((g) => `    ${g}`)],
    ),
  ].join("\n");

export const registerSync = (program: Command): void => {
  program
    .command("sync")
    .description("Sync with peers now and print what was pulled, pushed and rejected, and the lag")
    .option("--peer <url|name>", "only this peer (its URL or its name in claire.toml)")
    .option("--verify", "then compare event summaries with each peer and name any gap (exit 1 if any)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  claire sync\n  claire sync --verify\n  claire sync --peer http://laptop.lan:8765\n  claire sync --peer laptop --verify",
    )
    .action(async (o: { peer?: string; verify?: boolean }, cmd: Command) => {
      const result = await withApi(cmd, async (a) => {
        const { rounds } = await a.post<{ rounds: PeerRound[] }>("/sync/run", { peer: o.peer });
        const verification = o.verify
          ? await a.get<Verification>("/sync/verify", { peer: o.peer })
          : undefined;
        return { rounds, ...(verification && { verification }) };
      });
      output(cmd, result, (r) =>
        [roundsTable(r.rounds), r.verification ? `\n${verificationText(r.verification)}` : ""]
          .filter(Boolean)
          .join("\n"),
      );
      if (result.rounds.some((r) => !r.ok) || (result.verification && !result.verification.equal))
        process.exitCode = EXIT.user;
    });
};
