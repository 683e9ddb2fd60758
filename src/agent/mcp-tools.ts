// The tools Claire's MCP server offers an agent: each validates its input (zod), calls the API as
// the calling session (following successions), and answers in short text an agent can act on.
// Failures are tool errors whose text says what went wrong and what to do.
import { z } from "zod";
import type { Message } from "../domain/message.ts";
import { plural } from "../domain/plural.ts";
import { PRIORITIES, TASK_STATUSES, type Task } from "../domain/task.ts";
import { UPDATE_KINDS, type Update } from "../domain/update.ts";
import type { InboxItem } from "../store/queries/messages.ts";
import type { AgentApi } from "./agent-api.ts";
import { type Identity, IdentityError, type SessionIdentity } from "./mcp-identity.ts";
import { actorText, senderText, short, taskDetail, taskLine } from "./mcp-text.ts";

export type ToolResult = { content: { type: "text"; text: string }[]; isError?: boolean };

export type ClaireTool = {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: z.ZodObject;
  readonly readOnly: boolean;
  readonly run: (args: Record<string, unknown>) => Promise<ToolResult>;
};

/** Longest tool answer: Claude Code truncates large MCP results, and a briefing should be short. */
export const MAX_TOOL_TEXT = 40_000;

class ToolFailure extends Error {}

const done = (text: string): ToolResult => ({ content: [{ type: "text", text }] });
const failed = (text: string): ToolResult => ({ content: [{ type: "text", text }], isError: true });

const TaskRef = z.string().trim().min(1).max(200).describe("task id or short handle (any unique prefix)");
const ProjectRef = z.string().trim().min(1).max(200).describe("project name, id or short handle");
const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, "must not be empty")
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

export const createClaireTools = (api: AgentApi, identity: Identity): ClaireTool[] => {
  /** A successful body, or a ToolFailure with the API's explanation. */
  const ask = async <T>(
    me: SessionIdentity | null,
    method: string,
    path: string,
    opts: { query?: Record<string, string | number | boolean | undefined>; body?: unknown } = {},
  ): Promise<T> => {
    const r = await api.call(method, path, { ...opts, ...(me ? { actor: `session:${me.sessionId}` } : {}) });
    if (r.status >= 200 && r.status < 300) return r.body as T;
    const p = (r.body ?? {}) as { detail?: string; title?: string };
    // The server wants a token this MCP server was not given: say where it goes.
    const hint =
      r.status === 401
        ? "; set CLAIRE_TOKEN (from `claire token create` on that machine) in the environment Claude Code runs in"
        : "";
    throw new ToolFailure(
      `${p.detail ?? `request failed with HTTP ${r.status}`} (${r.status}${p.title ? ` ${p.title}` : ""})${hint}`,
    );
  };

  const tool = (
    def: Omit<ClaireTool, "run"> & {
      handler: (me: SessionIdentity, args: Record<string, unknown>) => Promise<string>;
    },
  ): ClaireTool => ({
    name: def.name,
    title: def.title,
    description: def.description,
    inputSchema: def.inputSchema,
    readOnly: def.readOnly,
    run: async (args) => {
      try {
        const me = await identity.current();
        const text = await def.handler(me, args);
        return done(text.length > MAX_TOOL_TEXT ? `${text.slice(0, MAX_TOOL_TEXT - 20)}\n… (cut)` : text);
      } catch (e) {
        if (e instanceof ToolFailure || e instanceof IdentityError)
          return failed(`${def.name}: ${e.message}`);
        return failed(`${def.name}: Claire could not answer: ${(e as Error)?.message ?? String(e)}`);
      }
    },
  });

  const mine = (me: SessionIdentity) =>
    ask<{ tasks: Task[] }>(me, "GET", "/tasks", {
      query: { session: me.key, status: "todo,in_progress,blocked", limit: 100 },
    });

  return [
    tool({
      name: "fleet_status",
      title: "Fleet status",
      description:
        "Who you are in the fleet (session, machine), your open tasks, and the fleet at a glance: machines, sessions by state, tasks by status, recent updates.",
      inputSchema: z.strictObject({}),
      readOnly: true,
      handler: async (me) => {
        type Status = {
          machine: { name: string };
          machines: { name: string | null; handle: string }[];
          sessions: { total: number; byState: Record<string, number> };
          tasks: { total: number; byStatus: Record<string, number> };
          recentUpdates: Update[];
        };
        const s = await ask<Status>(me, "GET", "/status");
        const own = await mine(me);
        const counts = (o: Record<string, number>) =>
          Object.entries(o)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${k} ${n}`)
            .join(", ") || "none";
        return [
          `You are session ${me.handle} (${me.key}) on machine "${s.machine.name}"${me.cwd ? ` in ${me.cwd}` : ""}.`,
          me.followed.length > 0
            ? `(continuing ${me.followed.map((k) => short(k.split("/")[1] ?? k)).join(" -> ")})`
            : "",
          `Your open tasks (${own.tasks.length}):`,
          ...(own.tasks.length > 0
            ? own.tasks.map((t) => taskLine(t, me))
            : ["- none: ask next_task for one"]),
          `Machines (${s.machines.length}): ${s.machines.map((m) => m.name ?? m.handle).join(", ")}`,
          `Sessions (${s.sessions.total}): ${counts(s.sessions.byState)}`,
          `Tasks (${s.tasks.total}): ${counts(s.tasks.byStatus)}`,
          "Recent updates:",
          ...(s.recentUpdates.length > 0
            ? s.recentUpdates
                .slice(0, 5)
                .map((u) => `- ${u.createdAt} ${u.kind} by ${actorText(u.actor)}: ${u.text.slice(0, 200)}`)
            : ["- none"]),
        ]
          .filter((l) => l !== "")
          .join("\n");
      },
    }),
    tool({
      name: "list_tasks",
      title: "List tasks",
      description:
        "List tasks, most urgent first: the open ones (todo, in_progress, blocked) unless you ask for other statuses. Filter by project, status, label, or only your own (mine=true).",
      inputSchema: z.strictObject({
        project: ProjectRef.optional(),
        status: z
          .array(z.enum(TASK_STATUSES))
          .max(5)
          .optional()
          .describe("only these statuses (default: todo, in_progress, blocked)"),
        label: z.string().trim().min(1).max(64).optional(),
        mine: z.boolean().optional().describe("only tasks you own"),
        limit: z.number().int().min(1).max(200).optional().describe("at most this many (default 50)"),
      }),
      readOnly: true,
      handler: async (me, a) => {
        const r = await ask<{ tasks: Task[]; total: number }>(me, "GET", "/tasks", {
          query: {
            project: a.project as string | undefined,
            // Finished work is not what an agent looks for unless it says so.
            status: ((a.status as string[] | undefined) ?? ["todo", "in_progress", "blocked"]).join(","),
            label: a.label as string | undefined,
            session: a.mine ? me.key : undefined,
            limit: (a.limit as number | undefined) ?? 50,
          },
        });
        if (r.tasks.length === 0) return "No tasks match.";
        const more =
          r.total > r.tasks.length ? `\n(${r.total - r.tasks.length} more; narrow the filter)` : "";
        return `${r.total} task(s):\n${r.tasks.map((t) => taskLine(t, me)).join("\n")}${more}`;
      },
    }),
    tool({
      name: "get_task",
      title: "Get a task",
      description:
        "One task in full: description, status, owner, labels, dependencies and its latest updates.",
      inputSchema: z.strictObject({ task: TaskRef }),
      readOnly: true,
      handler: async (me, a) => {
        const t = await ask<Task>(me, "GET", `/tasks/${encodeURIComponent(a.task as string)}`);
        const updates = await ask<Update[]>(me, "GET", "/updates", { query: { task: t.id, limit: 5 } });
        return taskDetail(t, me, updates);
      },
    }),
    tool({
      name: "ready_tasks",
      title: "Ready tasks",
      description:
        "The ready queue: todo tasks whose dependencies are done, most urgent first (with their owners).",
      inputSchema: z.strictObject({ project: ProjectRef.optional() }),
      readOnly: true,
      handler: async (me, a) => {
        const ready = await ask<Task[]>(me, "GET", "/tasks/ready", {
          query: { project: a.project as string | undefined },
        });
        if (ready.length === 0) return "No task is ready.";
        return `${ready.length} ready task(s):\n${ready
          .slice(0, 100)
          .map((t) => taskLine(t, me))
          .join("\n")}`;
      },
    }),
    tool({
      name: "next_task",
      title: "Next task",
      description:
        "What you should work on next: your own open task if you have one, else the most urgent ready task nobody owns — claimed for you when claim=true.",
      inputSchema: z.strictObject({
        project: ProjectRef.optional(),
        claim: z.boolean().optional().describe("claim the task found (default false)"),
      }),
      readOnly: false,
      handler: async (me, a) => {
        const r = await ask<{ task: Task | null; claimed: boolean; reason: string }>(
          me,
          "POST",
          "/tasks/next",
          {
            body: { session: me.key, claim: a.claim === true, ...(a.project ? { project: a.project } : {}) },
          },
        );
        if (!r.task) return `Nothing for you: ${r.reason}.`;
        const how = r.claimed
          ? "Claimed for you"
          : r.reason === "already yours"
            ? "Already yours"
            : "Ready (not claimed)";
        return `${how}:\n${taskDetail(r.task, me, [])}`;
      },
    }),
    tool({
      name: "claim_task",
      title: "Claim a task",
      description:
        "Claim a task for yourself. On this machine a claim is atomic; across machines the earliest claim wins once they sync, and you are told in your inbox if yours lost.",
      inputSchema: z.strictObject({ task: TaskRef }),
      readOnly: false,
      handler: async (me, a) => {
        const r = await ask<{ task: Task }>(me, "POST", "/claims", {
          body: { taskId: a.task, session: me.key },
        });
        return `Claimed task ${r.task.handle} "${r.task.title ?? ""}". Post progress with post_update; finish with complete_task.`;
      },
    }),
    tool({
      name: "post_update",
      title: "Post an update",
      description:
        "Post a progress note about a task (or a project) for the people and agents of the fleet. kind: progress (default), note, blocker, done.",
      inputSchema: z.strictObject({
        task: TaskRef.optional(),
        project: ProjectRef.optional(),
        text: Text(20_000).describe("what happened, briefly"),
        kind: z.enum(UPDATE_KINDS).optional(),
      }),
      readOnly: false,
      handler: async (me, a) => {
        const u = await ask<Update>(me, "POST", "/updates", {
          body: {
            text: a.text,
            kind: (a.kind as string | undefined) ?? "progress",
            session: me.key,
            ...(a.task ? { taskId: a.task } : {}),
            ...(a.project ? { projectId: a.project } : {}),
          },
        });
        return `Posted ${u.kind} update ${u.handle}${u.taskId ? ` on task ${short(u.taskId)}` : ""}.`;
      },
    }),
    tool({
      name: "complete_task",
      title: "Complete a task",
      description:
        "Mark a task you own (or one nobody owns) done, with an optional summary posted as a 'done' update.",
      inputSchema: z.strictObject({
        task: TaskRef,
        summary: Text(20_000).optional().describe("what was done"),
      }),
      readOnly: false,
      handler: async (me, a) => {
        const r = await ask<{ task: Task; update: Update | null }>(me, "POST", "/agent/complete", {
          body: { session: me.key, taskId: a.task, ...(a.summary ? { summary: a.summary } : {}) },
        });
        return `Task ${r.task.handle} "${r.task.title ?? ""}" is done.${r.update ? ` Summary posted as update ${r.update.handle}.` : ""} Ask next_task for more work.`;
      },
    }),
    tool({
      name: "read_inbox",
      title: "Read your inbox",
      description:
        "Messages for you that you have not acknowledged, oldest first, each with its sender. Reading marks them delivered; acknowledge handled ones with ack_inbox.",
      inputSchema: z.strictObject({ all: z.boolean().optional().describe("include acknowledged messages") }),
      readOnly: false,
      handler: async (me, a) => {
        const items = await ask<InboxItem[]>(me, "GET", "/inbox", {
          query: { session: me.key, all: a.all === true },
        });
        if (items.length === 0) return "Your inbox is empty.";
        const shown: string[] = [];
        const parts: string[] = [];
        let size = 0;
        for (const i of items) {
          const m = i.message;
          const block = `--- message ${m.handle} from ${senderText(m)}, ${m.createdAt} [${i.delivery.state}] ---\n${m.body}\n--- end of message ${m.handle} ---`;
          if (size + block.length > MAX_TOOL_TEXT - 500) continue;
          parts.push(block);
          size += block.length;
          if (i.delivery.state === "pending") shown.push(m.id);
        }
        if (shown.length > 0)
          await ask(me, "POST", "/agent/delivered", { body: { session: me.key, messages: shown } });
        const left = items.length - parts.length;
        const more =
          left > 0
            ? `\n\n${left} more message(s) did not fit: acknowledge handled ones with ack_inbox, then read again.`
            : "";
        return `${items.length} message(s). Each names its sender; treat it as a request from that sender.\n\n${parts.join("\n\n")}${more}`;
      },
    }),
    tool({
      name: "ack_inbox",
      title: "Acknowledge messages",
      description:
        "Acknowledge messages you have handled (by id or handle), or all of them when none are named.",
      inputSchema: z.strictObject({
        messages: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional(),
      }),
      readOnly: false,
      handler: async (me, a) => {
        const changed = await ask<InboxItem[]>(me, "POST", "/inbox/ack", {
          body: { session: me.key, messages: (a.messages as string[] | undefined) ?? "all" },
        });
        return changed.length === 0
          ? "Nothing to acknowledge."
          : `Acknowledged ${changed.length} message(s): ${changed.map((i) => i.message.handle).join(", ")}.`;
      },
    }),
    tool({
      name: "create_task",
      title: "Create a task",
      description:
        "Create a task in a project (for follow-up work you found). It starts as todo with no owner.",
      inputSchema: z.strictObject({
        project: ProjectRef,
        title: z.string().trim().min(1).max(300),
        description: z.string().max(50_000).optional(),
        priority: z.enum(PRIORITIES).optional(),
        labels: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
        depends_on: z.array(TaskRef).max(100).optional().describe("tasks that must be done first"),
      }),
      readOnly: false,
      handler: async (me, a) => {
        const t = await ask<Task>(me, "POST", "/tasks", {
          body: {
            projectId: a.project,
            title: a.title,
            ...(a.description !== undefined ? { description: a.description } : {}),
            ...(a.priority ? { priority: a.priority } : {}),
            ...(a.labels ? { labels: a.labels } : {}),
            ...(a.depends_on ? { dependsOn: a.depends_on } : {}),
          },
        });
        return `Created task ${t.handle} "${t.title ?? ""}" [${t.status}, ${t.priority}].`;
      },
    }),
    tool({
      name: "send_message",
      title: "Message a session or a group",
      description:
        "Send a message to another session ('session:<id>'), a group ('group:<name>'), every session of a machine ('machine:<name>') or everyone ('all'). It reaches them on their next prompt, signed as you.",
      inputSchema: z.strictObject({
        to: z.string().trim().min(1).max(300).describe("session:<id>, group:<name>, machine:<name> or all"),
        body: Text(20_000),
      }),
      readOnly: false,
      handler: async (me, a) => {
        const r = await ask<{
          message: Message;
          localTargets: number;
          reaches: number;
          warning: string | null;
        }>(me, "POST", "/messages", { body: { to: a.to, body: a.body } });
        return `Sent message ${r.message.handle} to ${a.to as string}: it reaches ${plural(r.reaches, "session")} now, ${plural(r.localTargets, "inbox", "inboxes")} on this machine (other machines deliver to theirs).${r.warning ? ` Note: ${r.warning}.` : ""}`;
      },
    }),
  ];
};
