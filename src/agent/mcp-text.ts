// How Claire's MCP tools (mcp-tools.ts) write tasks and messages for an agent: short lines it can
// act on, its own tasks and sessions named as "yours" / "you".
import { shortHandle } from "../domain/ids.ts";
import type { Message } from "../domain/message.ts";
import type { Task } from "../domain/task.ts";
import type { Update } from "../domain/update.ts";
import type { SessionIdentity } from "./mcp-identity.ts";

/** An id as Claire's handles show it: a UUIDv7's last 8 digits (its first are a shared timestamp). */
export const short = (id: string) => shortHandle(id);

export const taskLine = (t: Task, me: SessionIdentity): string => {
  const owner = !t.owner
    ? ""
    : `${t.owner.session.machineId}/${t.owner.session.sessionId}` === me.key
      ? ` — yours (${t.owner.via})`
      : ` — owned by session ${short(t.owner.session.sessionId)} (${t.owner.via})`;
  const labels = t.labels.length > 0 ? ` #${t.labels.join(" #")}` : "";
  return `- ${t.handle} [${t.status}, ${t.priority}] ${t.title ?? "(untitled)"}${labels}${owner}`;
};

export const taskDetail = (t: Task, me: SessionIdentity, updates: readonly Update[]): string => {
  const lines = [
    `task ${t.handle} (${t.id})`,
    `title: ${t.title ?? "(untitled)"}`,
    `status: ${t.status}, priority: ${t.priority}`,
    `owner: ${
      t.owner
        ? `${t.owner.session.machineId}/${t.owner.session.sessionId}` === me.key
          ? `you (${t.owner.via})`
          : `session ${short(t.owner.session.sessionId)} on machine ${short(t.owner.session.machineId)} (${t.owner.via})`
        : "nobody"
    }`,
  ];
  if (t.labels.length > 0) lines.push(`labels: ${t.labels.join(", ")}`);
  if (t.dependsOn.length > 0) lines.push(`depends on: ${t.dependsOn.map(short).join(", ")}`);
  lines.push("", t.description.trim() ? t.description : "(no description)");
  if (updates.length > 0) {
    lines.push("", "latest updates:");
    for (const u of updates) lines.push(`- ${u.createdAt} ${u.kind} by ${actorText(u.actor)}: ${u.text}`);
  }
  return lines.join("\n");
};

/** Who did something, with sessions and machines by their handles (a person's id is its name). */
export const actorText = (a: { kind: string; id: string }): string =>
  a.kind === "session" || a.kind === "machine" ? `${a.kind}:${short(a.id)}` : `${a.kind}:${a.id}`;

export const senderText = (m: Omit<Message, "deliveries">) => actorText(m.sender);
