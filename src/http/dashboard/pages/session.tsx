// A session: what its transcript says (directory, branch, title, model, activity, tokens, cost),
// its tasks and assignments, its inbox with each message's delivery state, notes about it, and a
// form to message it.
import type { Session } from "../../../domain/session.ts";
import { freshForm } from "../forms.ts";
import type { PageCtx, PageDef } from "../page.ts";
import {
  actorLabel,
  fmtCount,
  fmtUsd,
  sessionHref,
  sessionKeyOf,
  sessionName,
  totalTokens,
} from "../views/format.ts";
import { COMPOSE_FORM, ComposeForm } from "../views/message-form.tsx";
import { Empty, FreeText, Panel, StateBadge, StatusBadge, TaskLink, Time } from "../views/parts.tsx";

const Fact = (p: { term: string; children?: unknown }) => (
  <>
    <dt>{p.term}</dt>
    <dd>{(p.children as never) ?? <span class="muted">—</span>}</dd>
  </>
);

const Facts = (p: { s: Session }) => {
  const s = p.s;
  return (
    <Panel title="Session" id="facts">
      <dl class="facts">
        <Fact term="State">
          <StateBadge state={s.state} />
          {s.stateSince && (
            <span class="muted">
              {" "}
              since <Time iso={s.stateSince} />
            </span>
          )}
          {s.stateReason && <span class="muted"> — {s.stateReason}</span>}
        </Fact>
        <Fact term="Machine">{s.machineName ?? s.machineId}</Fact>
        <Fact term="Session id">
          <code>{s.sessionId}</code>
        </Fact>
        <Fact term="Directory">{s.cwd && <code>{s.cwd}</code>}</Fact>
        <Fact term="Branch">{s.gitBranch}</Fact>
        <Fact term="Title">{s.title}</Fact>
        <Fact term="Model">{s.model}</Fact>
        <Fact term="Claude Code">{s.version}</Fact>
        <Fact term="Started">
          <Time iso={s.firstActivity} />
        </Fact>
        <Fact term="Last activity">
          <Time iso={s.lastActivity} />
        </Fact>
        <Fact term="Messages">
          {s.userMessages} from the user, {s.assistantMessages} from Claude
        </Fact>
        <Fact term="Tokens">
          {fmtCount(totalTokens(s.tokens))} (input {fmtCount(s.tokens.input)}, output{" "}
          {fmtCount(s.tokens.output)}, cache write {fmtCount(s.tokens.cacheCreation)}, cache read{" "}
          {fmtCount(s.tokens.cacheRead)})
        </Fact>
        <Fact term="Cost">{fmtUsd(s.costUsd)}</Fact>
        {s.predecessor && (
          <Fact term="Continues">
            <a href={sessionHref({ machineId: s.machineId, sessionId: s.predecessor })}>
              {s.predecessor.slice(0, 8)}
            </a>
          </Fact>
        )}
        {s.successor && (
          <Fact term="Continued as">
            <a href={sessionHref({ machineId: s.machineId, sessionId: s.successor })}>
              {s.successor.slice(0, 8)}
            </a>
          </Fact>
        )}
        {s.transcriptPath && (
          <Fact term="Transcript">
            <code>{s.transcriptPath}</code>
          </Fact>
        )}
      </dl>
    </Panel>
  );
};

const Tasks = (p: { ctx: PageCtx; sessionKey: string }) => {
  const tasks = p.ctx.service.listTasks({ session: p.sessionKey, limit: 200 });
  const list = tasks.ok ? tasks.value.tasks : [];
  return (
    <Panel title={`Tasks (${list.length})`} id="tasks">
      {list.length === 0 ? (
        <Empty>No task is assigned to or claimed by this session.</Empty>
      ) : (
        <ul>
          {list.map((t) => (
            <li>
              <TaskLink task={t} /> <StatusBadge status={t.status} />
              {t.owner && <span class="muted"> ({t.owner.via})</span>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
};

const Inbox = (p: { ctx: PageCtx; sessionKey: string }) => {
  const r = p.ctx.service.inbox(p.sessionKey, { all: true });
  const items = r.ok ? [...r.value].reverse() : [];
  return (
    <Panel title={`Inbox (${items.length})`} id="inbox">
      {items.length === 0 ? (
        <Empty>No messages for this session.</Empty>
      ) : (
        <ol class="timeline">
          {items.map((i) => (
            <li>
              <span class={`badge dl-${i.delivery.state}`}>{i.delivery.state}</span>{" "}
              <strong>{actorLabel(i.message.sender)}</strong>, <Time iso={i.message.createdAt} />
              <FreeText class="message-body" text={i.message.body} />
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
};

const Notes = (p: { ctx: PageCtx; sessionKey: string }) => {
  const r = p.ctx.service.listUpdates({ session: p.sessionKey, limit: 50 });
  const notes = r.ok ? r.value : [];
  return (
    <Panel title="Notes" id="notes">
      {notes.length === 0 ? (
        <Empty>No notes about this session.</Empty>
      ) : (
        <ol class="timeline">
          {notes.map((u) => (
            <li>
              <Time iso={u.createdAt} /> — <strong>{actorLabel(u.actor)}</strong> ({u.kind}):{" "}
              <span class="message-body">{u.text}</span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
};

export const sessionPage: PageDef = {
  pattern: "/sessions/:id",
  render: (ctx) => {
    const first = ctx.service.getSession(ctx.params.id!);
    if (!first.ok) return null;
    const key = sessionKeyOf(first.value);
    const href = sessionHref(first.value);
    return {
      title: sessionName(first.value),
      nav: "sessions",
      body: (
        <>
          <h1>
            {sessionName(first.value)} <code class="handle">{first.value.handle}</code>
          </h1>
          <div class="grid">
            {ctx.live.section("session-facts", () => {
              const s = ctx.service.getSession(key);
              return <Facts s={s.ok ? s.value : first.value} />;
            })}
            <div>
              {ctx.live.section("session-tasks", () => (
                <Tasks ctx={ctx} sessionKey={key} />
              ))}
              <Panel title="Send a message" id="send">
                <ComposeForm
                  state={ctx.forms.get(COMPOSE_FORM) ?? freshForm()}
                  back={href}
                  targets={{ fixed: `session:${key}`, label: `this session (${first.value.handle})` }}
                />
              </Panel>
            </div>
          </div>
          {ctx.live.section("session-inbox", () => (
            <Inbox ctx={ctx} sessionKey={key} />
          ))}
          {ctx.live.section("session-notes", () => (
            <Notes ctx={ctx} sessionKey={key} />
          ))}
        </>
      ),
    };
  },
};
