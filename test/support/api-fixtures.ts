// The world API suites start from: projects, tasks in every interesting state, sessions on this
// machine, a group, an update and a message, made through the service. Each route's test case has
// fixtures of its own, so the cases can run in any order.
import type { Assignment } from "../../src/domain/assignment.ts";
import type { Message } from "../../src/domain/message.ts";
import type { Project } from "../../src/domain/project.ts";
import type { SessionRef } from "../../src/domain/session-ref.ts";
import type { Task } from "../../src/domain/task.ts";
import type { Update } from "../../src/domain/update.ts";
import { must, type TempClaire } from "./temp-claire.ts";

export type ApiFixtures = {
  readonly machineId: string;
  readonly projects: {
    readonly main: Project;
    readonly toEdit: Project;
    readonly toArchive: Project;
    readonly archived: Project;
    readonly forNext: Project;
  };
  readonly tasks: {
    readonly plain: Task;
    readonly history: Task;
    readonly base: Task;
    readonly dependent: Task;
    readonly toDepend: Task;
    readonly toMove: Task;
    readonly toEdit: Task;
    readonly toAssign: Task;
    readonly toUnassign: Task;
    readonly toClaim: Task;
    readonly toComplete: Task;
    readonly done: Task;
  };
  readonly sessions: {
    readonly s1: SessionRef;
    readonly s2: SessionRef;
    readonly s3: SessionRef;
    readonly s4: SessionRef;
  };
  readonly assignment: Assignment;
  readonly group: { readonly name: string; readonly id: string };
  readonly update: Update;
  readonly message: Message;
  /** One stored event in its wire form, for the sync push route. */
  readonly wireEvent: unknown;
};

const sid = (n: number) => `${String(n).repeat(8)}-aaaa-4bbb-8ccc-00000000000${n}`;

export const seedApiFixtures = (c: TempClaire): ApiFixtures => {
  const { service: s, human } = c;
  s.announceMachine({ kind: "machine", id: c.machineId });
  const project = (name: string) => must(s.createProject(human, { name, description: `${name} work` }));
  const main = project("apollo");
  const toEdit = project("gemini");
  const toArchive = project("mercury");
  const archived = project("vostok");
  must(s.archiveProject(human, archived.id));
  const forNext = project("soyuz");

  const session = (n: number, cwd: string, state: "idle" | "working"): SessionRef => {
    const ref = { machineId: c.machineId, sessionId: sid(n) };
    must(s.observeSession(human, ref, { cwd, state, title: `session ${n}`, model: "claude-test" }));
    return ref;
  };
  const sessions = {
    s1: session(1, "/w/api", "idle"),
    s2: session(2, "/w/web", "working"),
    s3: session(3, "/w/next", "idle"),
    s4: session(4, "/w/claims", "idle"),
  };

  const task = (title: string, extra: Record<string, unknown> = {}, projectId = main.id) =>
    must(s.createTask(human, { projectId, title, ...extra }));
  const base = task("base", { priority: "high" });
  const history = task("history", { labels: ["api"] });
  must(s.updateTask(human, history.id, { addLabels: ["timeline"], description: "has a past" }));
  must(s.changeTaskStatus(human, history.id, "in_progress"));
  must(s.addDependency(human, history.id, base.id));
  const historyAssigned = must(s.assignTask(human, { taskId: history.id, session: sessions.s2.sessionId }));
  must(s.changeAssignmentState(human, historyAssigned.assignment!.id, "accepted"));

  const toAssigned = task("assigned");
  const assigned = must(s.assignTask(human, { taskId: toAssigned.id, session: sessions.s1.sessionId }));
  const toUnassign = task("to unassign");
  must(s.assignTask(human, { taskId: toUnassign.id, session: sessions.s1.sessionId }));
  const done = task("finished");
  must(s.changeTaskStatus(human, done.id, "done"));
  task("next up", { priority: "urgent" }, forNext.id);

  const g = must(
    s.createGroup(human, { name: "backend", rules: ["cwd:/w/**"], members: [sessions.s1.sessionId] }),
  );
  const update = must(s.postUpdate(human, { taskId: history.id, text: "halfway there", kind: "progress" }));
  const message = must(s.sendMessage(human, { to: "all", body: "standup in five" })).message;

  return {
    machineId: c.machineId,
    projects: { main, toEdit, toArchive, archived, forNext },
    tasks: {
      plain: task("plain", { description: "nothing special", labels: ["api"] }),
      history,
      base,
      dependent: task("dependent", { dependsOn: [base.id] }),
      toDepend: task("to depend"),
      toMove: task("to move"),
      toEdit: task("to edit"),
      toAssign: task("to assign"),
      toUnassign,
      toClaim: task("to claim"),
      toComplete: task("to complete"),
      done,
    },
    sessions,
    assignment: assigned.assignment!,
    group: { name: g.name, id: g.id },
    update,
    message,
    wireEvent: (() => {
      const { seq: _s, applied: _a, ...wire } = c.store.q.events.page(0, 1)[0]!;
      return wire;
    })(),
  };
};
