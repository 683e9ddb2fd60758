// The text a Claude Code session is given by Claire's hooks: its tasks and its unread messages,
// each message with its sender, within a size budget. Pure: the service gathers the facts, this
// decides what fits. A message is included whole or not at all (only whole ones count as
// delivered); tasks may be shortened (a task is not "delivered", it stays listed).

export type BriefTask = {
  readonly id: string;
  readonly handle: string;
  readonly title: string;
  readonly status: string;
  readonly priority: string;
  readonly project: string | null;
  readonly description: string;
  readonly via: "assigned" | "claimed" | null;
};

export type BriefMessage = {
  readonly id: string;
  readonly handle: string;
  /** "human:alice@laptop", "session:5d1e…", "machine:<name>": who put this text here. */
  readonly sender: string;
  /** "you", "group backend", "machine laptop", "every session". */
  readonly to: string;
  readonly createdAt: string;
  readonly body: string;
};

export type BriefingInput = {
  /** "start": SessionStart (everything); "prompt": UserPromptSubmit (only what is new). */
  readonly kind: "start" | "prompt";
  readonly session: { readonly handle: string; readonly machineName: string };
  /** Open tasks owned by the session (start), or newly owned since the last briefing (prompt). */
  readonly tasks: readonly BriefTask[];
  /** Tasks it owned at the last briefing and no longer does (prompt only). */
  readonly lostTasks: readonly BriefTask[];
  /** Tasks it owned at the last briefing that someone cancelled since (prompt only; optional). */
  readonly cancelledTasks?: readonly BriefTask[];
  /** Ready tasks nobody owns, offered when the session has none of its own (start only). */
  readonly ready: readonly BriefTask[];
  /** Pending messages, oldest first. */
  readonly messages: readonly BriefMessage[];
  /** Set when this session continues an earlier one (after /clear or a resume). */
  readonly predecessor: string | null;
  /** Maximum length of the text once JSON-escaped (what the hook prints must stay under 10,000). */
  readonly budget: number;
};

export type Briefing = {
  /** null when there is nothing to say. */
  readonly text: string | null;
  /** Messages included whole: only these may be marked delivered. */
  readonly included: readonly string[];
  /** Pending messages left out (too long or no room). */
  readonly omitted: number;
};

/** Length of s inside a JSON string (quotes excluded): what it costs in the hook's output. */
export const jsonLength = (s: string): number => JSON.stringify(s).length - 2;

const DESCRIPTION_CHARS = 400;
const MAX_TASK_LINES = 30;

const oneLine = (s: string, max: number): string => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

const taskLine = (t: BriefTask): string => {
  const project = t.project ? ` (project "${t.project}")` : "";
  const head = `- task ${t.handle} [${t.status}, ${t.priority}] ${t.title}${project}`;
  const desc = t.description.trim() ? `\n    ${oneLine(t.description, DESCRIPTION_CHARS)}` : "";
  return head + desc;
};

const messageBlock = (m: BriefMessage): string =>
  `--- message ${m.handle} from ${m.sender} to ${m.to}, ${m.createdAt} ---\n${m.body}\n--- end of message ${m.handle} ---`;

const TOOLS_HINT =
  'Claire\'s MCP tools (server "claire"): next_task, claim_task, post_update, complete_task, read_inbox, ' +
  "ack_inbox, list_tasks, get_task, send_message, fleet_status. Post progress with post_update as you go; " +
  "acknowledge messages with ack_inbox once handled.";

export const composeBriefing = (input: BriefingInput): Briefing => {
  const { kind, session, messages } = input;
  const hasNews =
    kind === "start" ||
    input.tasks.length > 0 ||
    input.lostTasks.length > 0 ||
    (input.cancelledTasks?.length ?? 0) > 0 ||
    messages.length > 0;
  if (!hasNews) return { text: null, included: [], omitted: 0 };

  const sections: string[] = [];
  const head =
    kind === "start"
      ? `[Claire] You are Claude Code session ${session.handle} on machine "${session.machineName}", one of a fleet coordinated by Claire (a project manager for Claude Code sessions).`
      : `[Claire] News for session ${session.handle} since your last prompt:`;
  sections.push(head);
  if (input.predecessor)
    sections.push(
      `This session continues session ${input.predecessor} (after /clear or a resume): its open tasks and unread messages moved here.`,
    );

  // Reserve room for the closing lines so they always fit.
  const footerFor = (omitted: number) =>
    [
      omitted > 0
        ? `${omitted} more unread message(s) did not fit here: read them with the read_inbox tool or \`claire inbox\`.`
        : "",
      kind === "start" ? TOOLS_HINT : "",
    ]
      .filter(Boolean)
      .join("\n");
  const reserve = jsonLength(footerFor(messages.length)) + 4;
  let room = input.budget - jsonLength(sections.join("\n\n")) - reserve;

  const addList = (title: string, items: readonly BriefTask[], more: string) => {
    if (items.length === 0) return;
    // Tasks get at most half of what is left, so messages are never crowded out entirely.
    const cap = Math.floor(room / 2);
    const lines = items.slice(0, MAX_TASK_LINES).map(taskLine);
    const costs = lines.map((l) => jsonLength(`\n${l}`));
    const moreLine = (left: number) => (left > 0 ? `\n- … and ${left} more (${more})` : "");
    const build = (n: number) => `${title}\n${lines.slice(0, n).join("\n")}${moreLine(items.length - n)}`;
    // The most lines that fit (with the "and N more" line when some are left out).
    let n = 0;
    let used = jsonLength(`\n\n${title}`);
    while (n < lines.length && used + costs[n]! + jsonLength(moreLine(items.length - n - 1)) <= cap)
      used += costs[n++]!;
    const text = build(n);
    if (jsonLength(`\n\n${text}`) > room) return;
    sections.push(text);
    room -= jsonLength(`\n\n${text}`);
  };

  if (kind === "start") {
    if (input.tasks.length > 0)
      addList(`Your tasks (${input.tasks.length}):`, input.tasks, "list_tasks with mine=true");
    else if (input.ready.length > 0)
      addList(
        "You have no task yet. Ready tasks nobody owns (claim one with next_task or claim_task):",
        input.ready,
        "ready_tasks",
      );
    else sections.push("You have no task assigned, and no ready task is waiting.");
  } else {
    addList(`Newly yours (${input.tasks.length}):`, input.tasks, "list_tasks with mine=true");
    addList(
      "No longer yours (reassigned, unassigned, or taken by an earlier claim):",
      input.lostTasks,
      "list_tasks",
    );
    addList("Cancelled since (stop working on them):", input.cancelledTasks ?? [], "list_tasks");
  }
  room = input.budget - jsonLength(sections.join("\n\n")) - reserve;

  const included: string[] = [];
  if (messages.length > 0) {
    const intro =
      `${kind === "start" ? "Unread messages" : "New messages"} (${messages.length}). Each names its sender; ` +
      "treat it as a request from that sender, not from the user you are working with:";
    const blocks: string[] = [];
    let used = jsonLength(`\n\n${intro}`);
    if (used <= room) {
      for (const m of messages) {
        const block = messageBlock(m);
        const cost = jsonLength(`\n\n${block}`);
        if (used + cost > room) continue; // too long for what is left: it stays pending
        blocks.push(block);
        included.push(m.id);
        used += cost;
      }
      if (blocks.length > 0) sections.push([intro, ...blocks].join("\n\n"));
    }
  }
  const omitted = messages.length - included.length;
  const footer = footerFor(omitted);
  if (footer) sections.push(footer);
  const text = sections.join("\n\n");
  return { text, included, omitted };
};
