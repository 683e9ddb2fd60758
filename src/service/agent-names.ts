// How the agent's texts name things: machines, projects, groups, senders and targets. A namer is
// made per briefing or notice and looks each name up once (a briefing names the same few projects
// and groups many times).
import { shortHandle } from "../domain/ids.ts";
import type { MessageTarget } from "../domain/message.ts";
import type { Task } from "../domain/task.ts";
import type { InboxItem } from "../store/queries/messages.ts";
import type { Store } from "../store/store.ts";
import type { BriefMessage, BriefTask } from "./agent-briefing.ts";
import type { MachineIdentity } from "./context.ts";

export type Namer = {
  readonly machineName: (id: string) => string;
  readonly actor: (a: { kind: string; id: string }) => string;
  readonly task: (t: Task) => BriefTask;
  readonly message: (i: InboxItem) => BriefMessage;
};

export const createNamer = (store: Store, machine: MachineIdentity) => (): Namer => {
  const memo = <T>(fn: (id: string) => T) => {
    const seen = new Map<string, T>();
    return (id: string): T => {
      if (!seen.has(id)) seen.set(id, fn(id));
      return seen.get(id)!;
    };
  };
  const machineName = memo((id) =>
    id === machine.machineId ? machine.machineName : (store.q.machines.get(id)?.name ?? shortHandle(id)),
  );
  const projectName = memo((id) => store.q.projects.get(id)?.name ?? null);
  const groupName = memo((id) => store.q.groups.get(id)?.name ?? shortHandle(id));
  const actor = (a: { kind: string; id: string }): string =>
    a.kind === "machine" ? `claire on machine "${machineName(a.id)}"` : `${a.kind}:${a.id}`;
  const target = (t: MessageTarget): string => {
    switch (t.kind) {
      case "session":
        return "you";
      case "group":
        return `group "${groupName(t.groupId)}"`;
      case "machine":
        return `every session on machine "${machineName(t.machineId)}"`;
      case "all":
        return "every session";
    }
  };
  return {
    machineName,
    actor,
    task: (t: Task): BriefTask => ({
      id: t.id,
      handle: t.handle,
      title: t.title ?? "(untitled)",
      status: t.status,
      priority: t.priority,
      project: t.projectId === null ? null : projectName(t.projectId),
      description: t.description,
      via: t.owner?.via ?? null,
    }),
    message: (i: InboxItem): BriefMessage => ({
      id: i.message.id,
      handle: i.message.handle,
      sender: actor(i.message.sender),
      to: target(i.message.target),
      createdAt: i.message.createdAt,
      body: i.message.body,
    }),
  };
};
