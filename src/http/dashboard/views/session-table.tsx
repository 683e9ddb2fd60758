// A table of sessions (the fleet page's state groups and the sessions page): machine, directory,
// branch, title, current task, last activity, tokens, cost. Rows stack into cards on phones.
import type { Child } from "hono/jsx";
import type { SessionView } from "../../../service/dashboard.ts";
import { escHtml, timeHtml, trusted } from "./escape.ts";
import { fmtCount, fmtUsd, sessionHref, sessionName, taskHref, totalTokens } from "./format.ts";

export type Column = {
  readonly key: string;
  readonly label: string;
  readonly num?: boolean;
};

export const SESSION_COLUMNS: readonly Column[] = [
  { key: "title", label: "Session" },
  { key: "state", label: "State" },
  { key: "machine", label: "Machine" },
  { key: "cwd", label: "Directory" },
  { key: "branch", label: "Branch" },
  { key: "task", label: "Current task" },
  { key: "activity", label: "Last activity" },
  { key: "tokens", label: "Tokens", num: true },
  { key: "cost", label: "Cost", num: true },
];

/** One row, as a string (see escape.ts): the fleet page lists every running session of the fleet. */
export const sessionRowHtml = (s: SessionView): string => {
  const cell = (label: string, html: string, num = false) =>
    `<td data-label="${label}"${num ? ' class="num"' : ""}>${html}</td>`;
  const none = '<span class="muted">—</span>';
  const since =
    s.shownState === "unknown" && s.shownSince
      ? `<span class="muted"> since ${timeHtml(s.shownSince)}</span>`
      : "";
  const task = s.currentTask
    ? `<a href="${escHtml(taskHref(s.currentTask.id))}">${escHtml(s.currentTask.title ?? "(untitled)")} <code class="handle">${escHtml(s.currentTask.handle)}</code></a>`
    : none;
  return (
    "<tr>" +
    cell(
      "Session",
      `<a href="${escHtml(sessionHref(s))}" class="session-link">${escHtml(sessionName(s))} <code class="handle">${escHtml(s.handle)}</code></a>`,
    ) +
    cell("State", `<span class="badge st-${s.shownState}">${s.shownState}</span>${since}`) +
    cell("Machine", escHtml(s.machineName ?? s.machineId.slice(0, 8))) +
    cell("Directory", s.cwd ? `<code>${escHtml(s.cwd)}</code>` : none) +
    cell("Branch", s.gitBranch ? escHtml(s.gitBranch) : none) +
    cell("Current task", task) +
    cell("Last activity", timeHtml(s.lastActivity)) +
    cell("Tokens", fmtCount(totalTokens(s.tokens)), true) +
    cell("Cost", escHtml(fmtUsd(s.costUsd)), true) +
    "</tr>"
  );
};

/** The table; `header` renders each column heading (the sessions page makes them sort links). */
export const SessionTable = (p: {
  sessions: readonly SessionView[];
  caption?: Child;
  header?: (c: Column) => Child;
  sorted?: (c: Column) => "ascending" | "descending" | undefined;
  id?: string;
}) => (
  <div class="table-wrap">
    <table class="stack sessions" id={p.id}>
      {p.caption && <caption>{p.caption}</caption>}
      <thead>
        <tr>
          {SESSION_COLUMNS.map((c) => (
            <th scope="col" class={c.num ? "num" : undefined} aria-sort={p.sorted?.(c)}>
              {p.header ? p.header(c) : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{trusted(p.sessions.map(sessionRowHtml).join(""))}</tbody>
    </table>
  </div>
);
