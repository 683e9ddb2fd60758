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
