// claire update | msg | broadcast | inbox
import type { Command } from "commander";
import type { Message } from "../../domain/message.ts";
import { plural } from "../../domain/plural.ts";
import type { Update } from "../../domain/update.ts";
import { output, parseIntOption, parseSince, sessionOption, withApi } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { color, relativeTime, table, truncate } from "../format.ts";

type Sent = { message: Message; localTargets: number; reaches: number; warning: string | null };
type InboxItem = { message: Omit<Message, "deliveries">; delivery: { state: string } };

/** A message's sender as a person reads it: Claire itself (a notice) by its machine's short id. */
const senderName = (a: { kind: string; id: string }): string =>
  a.kind === "machine" ? `claire on machine ${a.id.slice(0, 8)}` : `${a.kind}:${a.id}`;

/** `named`: the target as the user gave it (group:backend), which the message itself holds as an id. */
const sentLine = (s: Sent, named?: string) =>
  `sent message ${color.cyan(s.message.handle)} to ${named ?? describeTarget(s.message)}; it reaches ${plural(s.reaches, "session")} now, ${plural(s.localTargets, "inbox", "inboxes")} on this machine (other machines deliver to theirs as they sync)${
    s.warning ? `\n${color.yellow(`note: ${s.warning}`)}` : ""
  }`;

const describeTarget = (m: Omit<Message, "deliveries">): string => {
  const t = m.target;
  switch (t.kind) {
    case "all":
      return "every session";
    case "group":
      return `group ${t.groupId.slice(0, 8)}`;
    case "machine":
      return `machine ${t.machineId.slice(0, 8)}`;
    case "session":
      return `session ${t.session.sessionId}`;
  }
};

export const registerMessages = (program: Command): void => {
  program
    .command("update <text>")
    .description("Post a progress note about a task, a project or a session")
    .option("-t, --task <task>", "the task it is about")
    .option("-p, --project <project>", "the project it is about")
    .option("--session <session>", "the session posting it (default: $CLAUDE_CODE_SESSION_ID when set)")
    .option("-k, --kind <kind>", "note, progress, blocker or done", "note")
    .option("--json", "print JSON")
    .addHelpText("after", '\nExample:\n  claire update "schema migrated, tests next" -t 3f9a1c2e -k progress')
    .action(
      async (
        text: string,
        o: { task?: string; project?: string; session?: string; kind: string },
        cmd: Command,
      ) => {
        const session = o.session ?? process.env.CLAUDE_CODE_SESSION_ID;
        if (o.task === undefined && o.project === undefined && session === undefined)
          throw new CliError("say what the update is about: --task, --project or --session", EXIT.usage, [
            'e.g. claire update "schema migrated" --task 3f9a1c2e',
          ]);
        const u = await withApi(cmd, (a) =>
          a.post<Update>("/updates", { text, kind: o.kind, taskId: o.task, projectId: o.project, session }),
        );
        output(cmd, u, (v) => `posted ${v.kind} ${color.cyan(v.handle)}`);
      },
    );

  program
    .command("updates")
    .description("Read progress notes, newest first")
    .option("-t, --task <task>", "about this task")
    .option("-p, --project <project>", "about this project")
    .option("--session <session>", "posted for this session")
    .option("--since <time>", "only after this time: an ISO date/time or a duration such as 7d or 12h")
    .option("--limit <n>", "at most n", parseIntOption("--limit", 1), 50)
    .option("--json", "print JSON")
    .action(
      async (
        o: { task?: string; project?: string; session?: string; since?: string; limit: number },
        cmd: Command,
      ) => {
        const list = await withApi(cmd, (a) =>
          a.get<Update[]>("/updates", {
            task: o.task,
            project: o.project,
            session: o.session,
            since:
              o.since === undefined ? undefined : new Date(parseSince(o.since, Date.now())).toISOString(),
            limit: o.limit,
          }),
        );
        output(cmd, list, (us) =>
          us.length === 0
            ? "no updates"
            : table(
                ["WHEN", "KIND", "BY", "TEXT"],
                us.map((u) => [
                  relativeTime(u.createdAt),
                  u.kind,
                  truncate(`${u.actor.kind}:${u.actor.id}`, 24),
                  truncate(u.text, 70),
                ]),
              ),
        );
      },
    );

  program
    .command("msg <session> <text>")
    .description("Send a message to one session (it sees it on its next prompt)")
    .option("--json", "print JSON")
    .action(async (session: string, text: string, _o: unknown, cmd: Command) => {
      const s = await withApi(cmd, (a) =>
        a.post<Sent>("/messages", { to: `session:${session}`, body: text }),
      );
      output(cmd, s, sentLine);
    });

  program
    .command("broadcast <target> <text>")
    .description(
      "Send a message to a group, a machine or every session: all | group:<name> | machine:<id|name>",
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  claire broadcast group:backend 'freeze merges until 5pm'\n  claire broadcast all 'new CI runner is live'",
    )
    .action(async (target: string, text: string, _o: unknown, cmd: Command) => {
      const to = target === "all" || target.includes(":") ? target : `group:${target}`;
      if (!/^(all|\*|(group|machine):\S.*)$/s.test(to.trim()))
        throw new CliError(
          `'${target}' is not a broadcast target: all, group:<name> or machine:<id|name>`,
          EXIT.usage,
          ["to one session: claire msg <session> <text>"],
        );
      const s = await withApi(cmd, (a) => a.post<Sent>("/broadcast", { to, body: text }));
      output(cmd, s, (v) => sentLine(v, to === "all" || to === "*" ? "every session" : to.replace(":", " ")));
    });

  program
    .command("inbox")
    .description("Messages for a session that it has not acknowledged")
    .option("--session <session>", "the session (default: $CLAUDE_CODE_SESSION_ID)")
    .option("-a, --all", "include acknowledged messages")
    .option("--ack", "acknowledge everything shown")
    .option("--json", "print JSON")
    .action(async (o: { session?: string; all?: boolean; ack?: boolean }, cmd: Command) => {
      const session = sessionOption(o.session);
      const items = await withApi(cmd, async (a) => {
        const list = await a.get<InboxItem[]>("/inbox", { session, all: o.all });
        if (!o.ack || list.length === 0) return list;
        // Exactly what is shown (not "all": a message arriving in between was never seen), and
        // shown as it is afterwards.
        const changed = await a.post<InboxItem[]>("/inbox/ack", {
          session,
          messages: list.map((i) => i.message.id),
        });
        const now = new Map(changed.map((i) => [i.message.id, i]));
        return list.map((i) => now.get(i.message.id) ?? i);
      });
      output(cmd, items, (list) =>
        list.length === 0
          ? "inbox empty"
          : list
              .map(
                (i) =>
                  `${color.cyan(i.message.handle)} ${color.dim(`${relativeTime(i.message.createdAt)} from ${senderName(i.message.sender)} [${i.delivery.state}]`)}\n  ${i.message.body}`,
              )
              .join("\n"),
      );
    });
};
