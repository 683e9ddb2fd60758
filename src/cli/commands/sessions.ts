// claire sessions list|show
import type { Command } from "commander";
import type { Session } from "../../domain/session.ts";
import { SESSION_STATES } from "../../domain/vocabulary.ts";
import { enc, oneOf, output, parseIntOption, withApi } from "../command-kit.ts";
import { color, compactNumber, relativeTime, statusColor, table, truncate, usd } from "../format.ts";

type SessionPage = { sessions: Session[]; total: number };

const tokens = (s: Session) =>
  compactNumber(s.tokens.input + s.tokens.output + s.tokens.cacheCreation + s.tokens.cacheRead);

const when = (iso: string | null): string => (iso ? `${relativeTime(iso)} ${color.dim(`(${iso})`)}` : "-");

const showSession = (s: Session): string =>
  [
    `${color.bold(s.title ?? "(untitled)")}  ${color.cyan(s.handle)}  ${color.dim(s.sessionId)}`,
    `state ${statusColor(s.state)}${s.stateReason ? ` (${s.stateReason})` : ""} since ${relativeTime(s.stateSince)}`,
    `machine ${s.machineName ?? s.machineId}   dir ${s.cwd ?? "-"}   branch ${s.gitBranch ?? "-"}`,
    `model ${s.model ?? "-"}   claude ${s.version ?? "-"}   source ${s.source ?? "-"}${s.pid ? `   pid ${s.pid}` : ""}`,
    `messages ${s.userMessages} user / ${s.assistantMessages} assistant   first ${when(s.firstActivity)}   last ${when(s.lastActivity)}`,
    `tokens in ${s.tokens.input}, out ${s.tokens.output}, cache write ${s.tokens.cacheCreation}, cache read ${s.tokens.cacheRead}   cost ${usd(s.costUsd)}`,
    s.predecessor ? `continues ${s.predecessor}` : "",
    s.successor ? `continued by ${s.successor}` : "",
    s.transcriptPath ? color.dim(s.transcriptPath) : "",
  ]
    .filter(Boolean)
    .join("\n");

export const registerSessions = (program: Command): void => {
  const sessions = program.command("sessions").description("Claude Code sessions on every machine");
  sessions
    .command("list", { isDefault: true })
    .alias("ls")
    .description("List sessions, most recently active first")
    .option("-m, --machine <machine>", "only this machine (id or name)")
    .option(
      "-s, --state <states>",
      `only these states, comma-separated: ${SESSION_STATES.join(", ")}`,
      oneOf("--state", SESSION_STATES, true),
    )
    .option("--cwd <dir>", "only sessions in this directory or below (relative to the current one: --cwd .)")
    .option("-p, --project <project>", "only sessions owning tasks of this project")
    .option("--limit <n>", "at most n sessions (up to 5000)", parseIntOption("--limit", 1, 5000), 200)
    .option("--offset <n>", "skip the first n", parseIntOption("--offset"), 0)
    .option("--json", "print JSON")
    .action(
      async (
        o: {
          machine?: string;
          state?: string[];
          cwd?: string;
          project?: string;
          limit: number;
          offset: number;
        },
        cmd: Command,
      ) => {
        const { resolve } = await import("node:path");
        const filtered = o.machine || o.state || o.cwd || o.project;
        const page = await withApi(cmd, (a) =>
          a.get<SessionPage>("/sessions", {
            machine: o.machine,
            state: o.state,
            // Sessions record absolute directories; a relative one means the user's, not the server's.
            cwd: o.cwd === undefined ? undefined : resolve(o.cwd),
            project: o.project,
            limit: o.limit,
            offset: o.offset,
          }),
        );
        const more = (p: SessionPage) =>
          p.total > o.offset + p.sessions.length
            ? color.dim(
                `\n… ${p.total - o.offset - p.sessions.length} more (--offset ${o.offset + p.sessions.length})`,
              )
            : "";
        output(cmd, page, (p) =>
          p.sessions.length === 0
            ? p.total > 0
              ? `past the last of ${p.total} session(s)${filtered ? " that match" : ""} (--offset ${o.offset})`
              : filtered
                ? "no sessions match"
                : "no sessions known yet (claire pull scans this machine's Claude Code sessions)"
            : table(
                [
                  "ID",
                  "MACHINE",
                  "STATE",
                  "DIR",
                  "BRANCH",
                  "TITLE",
                  "MODEL",
                  "MSGS",
                  "LAST",
                  "TOKENS",
                  "COST",
                ],
                p.sessions.map((s) => [
                  color.cyan(s.handle),
                  truncate(s.machineName ?? s.machineId, 14),
                  statusColor(s.state),
                  truncate(s.cwd, 30),
                  truncate(s.gitBranch, 16),
                  truncate(s.title, 40),
                  truncate(s.model, 24),
                  String(s.userMessages + s.assistantMessages),
                  relativeTime(s.lastActivity),
                  tokens(s),
                  usd(s.costUsd),
                ]),
              ) + more(p),
        );
      },
    );
  sessions
    .command("show <session>")
    .description("Everything known about one session")
    .option("--json", "print JSON")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const s = await withApi(cmd, (a) => a.get<Session>(`/sessions/${enc(id)}`));
      output(cmd, s, showSession);
    });
};
