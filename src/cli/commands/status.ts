// claire status: the fleet at a glance; claire machines: the machines this one has heard of.
import type { Command } from "commander";
import type { Machine } from "../../domain/machine.ts";
import type { FleetStatus } from "../../service/status.ts";
import { output, withApi } from "../command-kit.ts";
import { clockOffset, color, compactNumber, relativeTime, table, truncate, usd } from "../format.ts";

export const statusText = (s: FleetStatus): string => {
  const st = s.sessions.byState;
  const tk = s.tasks.byStatus;
  const tokens =
    s.sessions.tokens.input +
    s.sessions.tokens.output +
    s.sessions.tokens.cacheCreation +
    s.sessions.tokens.cacheRead;
  return [
    `${color.bold(s.machine.name)} ${color.dim(s.machine.id)}`,
    `machines  ${s.machines.map((m) => `${m.name ?? m.handle}${m.isLocal ? " (this)" : ""}`).join(", ") || "-"}`,
    `sessions  ${s.sessions.total} total: ${color.green(`${st.working} working`)}, ${color.yellow(`${st.waiting} waiting`)}, ${st.idle} idle, ${st.ended} ended${st.unknown ? `, ${st.unknown} unknown` : ""}   tokens ${compactNumber(tokens)}   cost ${s.sessions.unpricedSessions > 0 ? `at least ${usd(s.sessions.costUsd)} (${s.sessions.unpricedSessions} session(s) of unpriced models)` : usd(s.sessions.costUsd)}`,
    `tasks     ${s.tasks.total} in ${s.projects} project(s): ${tk.todo} todo, ${tk.in_progress} in progress, ${tk.blocked} blocked, ${tk.done} done`,
    ...(s.machine.clockAheadMs >= 60_000
      ? [
          color.yellow(
            `clock     this machine's clock state is ${clockOffset(s.machine.clockAheadMs).replace(/^clock /, "")} of its clock (it was fast): while that is more than the max drift, peers hold back its new events (claire doctor says until when)`,
          ),
        ]
      : []),
    `events    ${s.events.total}${s.events.quarantined ? color.yellow(`, ${s.events.quarantined} quarantined`) : ""}${s.events.rejected ? color.red(`, ${s.events.rejected} rejected`) : ""}`,
    ...s.peers.map(
      (p) =>
        `peer      ${p.name ? `${p.name} (${p.peer})` : p.peer}: ${p.lastError ? color.red(`failing (${p.lastError})`) : color.green("ok")}, last success ${relativeTime(p.lastSuccessAt)}${p.behind && !p.lastError ? `, ${p.behind} events behind` : ""}${clockOffset(p.clockOffsetMs) ? `, ${color.yellow(clockOffset(p.clockOffsetMs))}` : ""}`,
    ),
    ...(s.recentUpdates.length > 0
      ? [
          "",
          color.dim("recent updates"),
          ...s.recentUpdates
            .slice(0, 5)
            .map(
              (u) => `  ${relativeTime(u.createdAt).padEnd(8)} ${u.kind.padEnd(8)} ${truncate(u.text, 70)}`,
            ),
        ]
      : []),
  ].join("\n");
};

export const registerStatus = (program: Command): void => {
  program
    .command("status")
    .description("Fleet summary: machines, sessions by state, tasks by status, recent updates")
    .option("--json", "print JSON")
    .action(async (_o: unknown, cmd: Command) => {
      const s = await withApi(cmd, (a) => a.get<FleetStatus>("/status"));
      output(cmd, s, statusText);
    });
};

export const registerMachines = (program: Command): void => {
  program
    .command("machines")
    .description("Machines this one has heard of (itself first): name, groups, newest event held")
    .option("--json", "print JSON")
    .action(async (_o: unknown, cmd: Command) => {
      const machines = await withApi(cmd, (a) => a.get<Machine[]>("/machines"));
      output(cmd, machines, (ms) =>
        table(
          ["ID", "NAME", "GROUPS", "LAST EVENT"],
          ms.map((m) => [
            color.cyan(m.handle),
            `${m.name ?? "-"}${m.isLocal ? color.dim(" (this)") : ""}`,
            m.groups.join(",") || "-",
            m.lastEventAt ? relativeTime(m.lastEventAt) : "-",
          ]),
        ),
      );
    });
};
