// claire assign|unassign|claim
import type { Command } from "commander";
import type { Assignment } from "../../domain/assignment.ts";
import type { Task } from "../../domain/task.ts";
import { enc, output, sessionOption, withApi } from "../command-kit.ts";
import { color } from "../format.ts";
import { taskLine } from "./task.ts";

type AssignResult = { task: Task; assignment: Assignment | null };

export const registerAssign = (program: Command): void => {
  program
    .command("assign <task> <session>")
    .description("Give a task to a session (starts a new assignment epoch; beats earlier claims)")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  claire assign 3f9a1c2e 5d1e  # task handle, session id prefix")
    .action(async (task: string, session: string, _o: unknown, cmd: Command) => {
      const { r, state } = await withApi(cmd, async (a) => {
        const r = await a.post<AssignResult>("/assignments", { taskId: task, session });
        const owner = r.task.owner?.session;
        // An ended session gets the task only when it is resumed: say so, the assignment stands.
        const s = owner
          ? await a
              .get<{ state: string }>(`/sessions/${enc(`${owner.machineId}/${owner.sessionId}`)}`)
              .catch(() => null)
          : null;
        return { r, state: s?.state ?? null };
      });
      output(cmd, r, (v) =>
        [
          `${taskLine(v.task)} -> session ${v.task.owner?.session.sessionId ?? session}`,
          ...(state === "ended"
            ? [
                color.yellow(
                  "that session has ended: it gets the task if it is resumed (claude --resume); else assign a live one",
                ),
              ]
            : []),
        ].join("\n"),
      );
    });

  program
    .command("unassign <task>")
    .description("Take a task away from its session")
    .option("--json", "print JSON")
    .action(async (task: string, _o: unknown, cmd: Command) => {
      const r = await withApi(cmd, (a) => a.post<AssignResult>(`/tasks/${enc(task)}/unassign`));
      output(cmd, r, (v) => `${taskLine(v.task)} has no owner now`);
    });

  program
    .command("claim <task>")
    .description("Claim a task for a session (as an agent would); the first claim wins")
    .option("--session <session>", "the session (default: $CLAUDE_CODE_SESSION_ID)")
    .option("--json", "print JSON")
    .action(async (task: string, o: { session?: string }, cmd: Command) => {
      const session = sessionOption(o.session);
      const r = await withApi(cmd, (a) => a.post<AssignResult>("/claims", { taskId: task, session }));
      output(cmd, r, (v) => `claimed ${taskLine(v.task)}`);
    });
};
