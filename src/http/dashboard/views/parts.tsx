// Small pieces every page uses: times, state and status badges, links to sessions and tasks.
import type { Child } from "hono/jsx";
import type { SessionState } from "../../../domain/session.ts";
import type { TaskStatus } from "../../../domain/task.ts";
import { fmtTime, STATUS_LABEL, sessionHref, sessionName, taskHref } from "./format.ts";

/** A time; the page's script shows it relative ("3 min ago") and keeps it current. */
export const Time = (props: { iso: string | null | undefined; fallback?: string }) =>
  props.iso ? (
    <time datetime={props.iso} data-rel="">
      {fmtTime(props.iso)}
    </time>
  ) : (
    <span class="muted">{props.fallback ?? "—"}</span>
  );

export const StateBadge = (props: { state: SessionState }) => (
  <span class={`badge st-${props.state}`}>{props.state}</span>
);

export const StatusBadge = (props: { status: TaskStatus }) => (
  <span class={`badge ts-${props.status}`}>{STATUS_LABEL[props.status]}</span>
);

export const SessionLink = (props: {
  session: { machineId: string; sessionId: string; title: string | null; cwd: string | null; handle: string };
}) => (
  <a href={sessionHref(props.session)} class="session-link">
    {sessionName(props.session)} <code class="handle">{props.session.handle}</code>
  </a>
);

export const TaskLink = (props: { task: { id: string; handle: string; title: string | null } }) => (
  <a href={taskHref(props.task.id)}>
    {props.task.title ?? "(untitled)"} <code class="handle">{props.task.handle}</code>
  </a>
);

export const Empty = (props: { children?: Child }) => <p class="empty">{props.children}</p>;

/** A table whose rows stack into labelled blocks on narrow screens (each cell carries data-label). */
export const StackTable = (props: { columns: readonly string[]; children?: Child }) => (
  <div class="table-wrap">
    <table class="stack">
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col">{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  </div>
);

/** A titled block of a page. */
export const Panel = (props: {
  title: Child;
  id?: string;
  class?: string;
  children?: Child;
  actions?: Child;
}) => (
  <section
    class={props.class ? `panel ${props.class}` : "panel"}
    aria-labelledby={props.id ? `${props.id}-h` : undefined}
  >
    <div class="panel-head">
      <h2 id={props.id ? `${props.id}-h` : undefined}>{props.title}</h2>
      {props.actions}
    </div>
    {props.children}
  </section>
);

// Text-direction overrides and isolates: U+202E shows "exe.txt" for "txt.exe". Names and titles
// refuse them; free text (a message body) may hold them, so they are shown, not obeyed.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

const visibleControls = (text: string): Child[] => {
  const out: Child[] = [];
  let at = 0;
  for (const m of text.matchAll(BIDI)) {
    out.push(text.slice(at, m.index));
    const code = `U+${m[0].charCodeAt(0).toString(16).toUpperCase()}`;
    out.push(
      <span class="ctl" title="a text-direction character, shown rather than obeyed">
        {code}
      </span>,
    );
    at = m.index + m[0].length;
  }
  out.push(text.slice(at));
  return out;
};

/** Characters of a message body shown before "show the rest": a screenful, not 20,000. */
export const BODY_SHOWN = 800;

/** Free text someone else wrote (a message body): direction characters shown, a long one folded. */
export const FreeText = (p: { text: string; class: string }) =>
  p.text.length <= BODY_SHOWN ? (
    <div class={p.class}>{visibleControls(p.text)}</div>
  ) : (
    <div class={p.class}>
      {visibleControls(p.text.slice(0, BODY_SHOWN))}
      <details class="more">
        <summary>
          show the rest ({(p.text.length - BODY_SHOWN).toLocaleString("en-US")} more characters)
        </summary>
        {visibleControls(p.text.slice(BODY_SHOWN))}
      </details>
    </div>
  );
