// claire task add|list|show|edit|start|block|done|cancel|reopen|ready|next|dep add|dep rm
import type { Command } from "commander";
import type { Task } from "../../domain/task.ts";
import { PRIORITIES, TASK_STATUSES } from "../../domain/vocabulary.ts";
import { enc, oneOf, output, parseIntOption, requireChange, sessionOption, withApi } from "../command-kit.ts";
import { color, relativeTime, statusColor, table, truncate } from "../format.ts";

type TaskPage = { tasks: Task[]; total: number; limit: number; offset: number };
type NextResult = { task: Task | null; claimed: boolean; reason: string };
type TimelineEntry = { type: string; at: string; actor: { kind: string; id: string } };

const owner = (t: Task): string =>
  t.owner ? `${t.owner.session.sessionId.slice(0, 8)}${t.owner.via === "claimed" ? "*" : ""}` : "-";

export const taskLine = (t: Task): string =>
  `${color.cyan(t.handle)}  ${statusColor(t.status)}  ${t.title ?? "(pending)"}`;

export const taskTable = (tasks: readonly Task[]): string =>
  table(
    ["ID", "STATUS", "PRI", "TITLE", "OWNER", "LABELS"],
    tasks.map((t) => [
      color.cyan(t.handle),
      statusColor(t.status),
      t.priority,
      truncate(t.title, 50),
      owner(t),
      t.labels.join(","),
    ]),
  );

const showTask = (t: Task & { timeline?: TimelineEntry[] }): string =>
  [
    `${color.bold(t.title ?? "(pending: only later events have arrived)")}  ${color.dim(t.id)}`,
    `status ${statusColor(t.status)}   priority ${t.priority}   project ${t.projectId ?? "-"}`,
    `owner ${t.owner ? `${t.owner.session.sessionId} on ${t.owner.session.machineId.slice(0, 8)} (${t.owner.via})` : "-"}`,
    t.labels.length > 0 ? `labels ${t.labels.join(", ")}` : "",
    t.dependsOn.length > 0 ? `depends on ${t.dependsOn.map((d) => d.slice(-8)).join(", ")}` : "",
    `created ${relativeTime(t.createdAt)}, updated ${relativeTime(t.updatedAt)}`,
    t.description ? `\n${t.description}` : "",
  ]
    .filter(Boolean)
    .join("\n");

const collect = (v: string, acc: string[] = []) => [
  ...acc,
  ...v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
];

export const registerTask = (program: Command): void => {
  const task = program.command("task").description("Create, change and list tasks");

  task
    .command("add <title>")
    .description("Create a task in a project")
    .requiredOption("-p, --project <project>", "project id, handle or name")
    .option("-d, --description <text>", "details")
    .option("--priority <p>", "low, normal, high or urgent", oneOf("--priority", PRIORITIES), "normal")
    .option("-l, --label <labels>", "labels (repeat or comma-separate)", collect)
    .option("--depends-on <tasks>", "tasks this one waits for (repeat or comma-separate)", collect)
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      '\nExample:\n  claire task add "Write the migration" -p "Payments API" -l db --priority high',
    )
    .action(
      async (
        title: string,
        o: {
          project: string;
          description?: string;
          priority: string;
          label?: string[];
          dependsOn?: string[];
        },
        cmd: Command,
      ) => {
        const t = await withApi(cmd, (a) =>
          a.post<Task>("/tasks", {
            projectId: o.project,
            title,
            description: o.description,
            priority: o.priority,
            labels: o.label,
            dependsOn: o.dependsOn,
          }),
        );
        output(cmd, t, (v) => `created task ${taskLine(v)}`);
      },
    );

  task
    .command("list")
    .alias("ls")
    .description("List tasks, most urgent first")
    .option("-p, --project <project>", "only this project")
    .option(
      "-s, --status <statuses>",
      `only these statuses, comma-separated: ${TASK_STATUSES.join(", ")}`,
      oneOf("--status", TASK_STATUSES, true),
    )
    .option("--session <session>", "only tasks owned by this session")
    .option("-l, --label <label>", "only tasks with this label")
    .option("--limit <n>", "at most n tasks", parseIntOption("--limit", 1), 100)
    .option("--offset <n>", "skip the first n", parseIntOption("--offset"), 0)
    .option("--json", "print JSON")
    .action(
      async (
        o: {
          project?: string;
          status?: string[];
          session?: string;
          label?: string;
          limit: number;
          offset: number;
        },
        cmd: Command,
      ) => {
        const page = await withApi(cmd, (a) =>
          a.get<TaskPage>("/tasks", {
            project: o.project,
            status: o.status,
            session: o.session,
            label: o.label,
            limit: o.limit,
            offset: o.offset,
          }),
        );
        output(cmd, page, (p) =>
          p.tasks.length === 0
            ? "no tasks match"
            : `${taskTable(p.tasks)}${p.total > p.offset + p.tasks.length ? color.dim(`\n… ${p.total - p.offset - p.tasks.length} more (--offset ${p.offset + p.tasks.length})`) : ""}`,
        );
      },
    );

  task
    .command("show <task>")
    .description("Show a task with its details")
    .option("--json", "print JSON")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const t = await withApi(cmd, (a) => a.get<Task>(`/tasks/${enc(id)}`));
      output(cmd, t, showTask);
    });

  task
    .command("edit <task>")
    .description("Change a task's title, description, priority, project or labels")
    .option("-t, --title <title>", "new title")
    .option("-d, --description <text>", "new description")
    .option("--priority <p>", "low, normal, high or urgent", oneOf("--priority", PRIORITIES))
    .option("-p, --project <project>", "move to this project")
    .option("--add-label <labels>", "labels to add", collect)
    .option("--remove-label <labels>", "labels to remove", collect)
    .option("--json", "print JSON")
    .action(
      async (
        id: string,
        o: {
          title?: string;
          description?: string;
          priority?: string;
          project?: string;
          addLabel?: string[];
          removeLabel?: string[];
        },
        cmd: Command,
      ) => {
        requireChange(cmd, o);
        const t = await withApi(cmd, (a) =>
          a.patch<Task>(`/tasks/${enc(id)}`, {
            title: o.title,
            description: o.description,
            priority: o.priority,
            projectId: o.project,
            addLabels: o.addLabel,
            removeLabels: o.removeLabel,
          }),
        );
        output(cmd, t, (v) => `updated task ${taskLine(v)}`);
      },
    );

  for (const [verb, status, help] of [
    ["start", "in_progress", "Mark a task in progress"],
    ["block", "blocked", "Mark a task blocked"],
    ["done", "done", "Mark a task done"],
    ["cancel", "cancelled", "Cancel a task"],
    ["reopen", "todo", "Put a task back to todo"],
  ] as const) {
    task
      .command(`${verb} <task>`)
      .description(help)
      .option("--json", "print JSON")
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const t = await withApi(cmd, (a) => a.post<Task>(`/tasks/${enc(id)}/status`, { status }));
        output(cmd, t, (v) => taskLine(v));
      });
  }

  task
    .command("ready")
    .description("Todo tasks whose dependencies are all done")
    .option("-p, --project <project>", "only this project")
    .option("--json", "print JSON")
    .action(async (o: { project?: string }, cmd: Command) => {
      const list = await withApi(cmd, (a) => a.get<Task[]>("/tasks/ready", { project: o.project }));
      output(cmd, list, (ts) => (ts.length === 0 ? "nothing is ready" : taskTable(ts)));
    });

  task
    .command("next")
    .description("The task a session should work on next (its own first, then the ready queue)")
    .option("--session <session>", "the session (default: $CLAUDE_CODE_SESSION_ID)")
    .option("-p, --project <project>", "only this project")
    .option("--claim", "claim it for the session")
    .option("--json", "print JSON")
    .action(async (o: { session?: string; project?: string; claim?: boolean }, cmd: Command) => {
      const session = sessionOption(o.session);
      const r = await withApi(cmd, (a) =>
        a.post<NextResult>("/tasks/next", { session, claim: o.claim ?? false, project: o.project }),
      );
      output(cmd, r, (v) =>
        v.task ? `${taskLine(v.task)}${color.dim(`  (${v.reason})`)}` : `no task: ${v.reason}`,
      );
    });

  const dep = task.command("dep").description("Task dependencies");
  dep
    .command("add <task> <dependsOn>")
    .description("Make <task> wait for <dependsOn> (refused if it would make a cycle)")
    .option("--json", "print JSON")
    .action(async (id: string, on: string, _o: unknown, cmd: Command) => {
      const t = await withApi(cmd, (a) => a.post<Task>(`/tasks/${enc(id)}/dependencies`, { dependsOn: on }));
      output(cmd, t, (v) => `${taskLine(v)} now depends on ${on}`);
    });
  dep
    .command("rm <task> <dependsOn>")
    .description("Remove a dependency")
    .option("--json", "print JSON")
    .action(async (id: string, on: string, _o: unknown, cmd: Command) => {
      const t = await withApi(cmd, (a) => a.del<Task>(`/tasks/${enc(id)}/dependencies/${enc(on)}`));
      output(cmd, t, (v) => `${taskLine(v)} no longer depends on ${on}`);
    });
};
