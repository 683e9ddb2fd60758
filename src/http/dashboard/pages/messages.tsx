// Messages: compose to a session, a group, a machine or everyone; the latest messages, each with the
// delivery state of every session it reached (pending, delivered, acknowledged).
import { DELIVERY_STATES, type Message } from "../../../domain/message.ts";
import { freshForm } from "../forms.ts";
import type { PageCtx, PageDef } from "../page.ts";
import { actorLabel, groupHref, sessionHref } from "../views/format.ts";
import { COMPOSE_FORM, ComposeForm } from "../views/message-form.tsx";
import { Empty, FreeText, Panel, Time } from "../views/parts.tsx";

const MESSAGES_SHOWN = 100;
const DELIVERIES_SHOWN = 40;

const Target = (p: { m: Message; ctx: PageCtx; names: Names }) => {
  const t = p.m.target;
  switch (t.kind) {
    case "all":
      return <>everyone</>;
    case "group": {
      const name = p.names.groups.get(t.groupId);
      return name ? <a href={groupHref(t.groupId)}>group {name}</a> : <>a group</>;
    }
    case "machine":
      return <>machine {p.names.machines.get(t.machineId) ?? t.machineId.slice(0, 8)}</>;
    case "session":
      return (
        <a href={sessionHref(t.session)}>
          session <code>{t.session.sessionId.slice(0, 8)}</code>
        </a>
      );
  }
};

type Names = { groups: Map<string, string>; machines: Map<string, string> };

const MessageItem = (p: { m: Message; ctx: PageCtx; names: Names }) => {
  const m = p.m;
  const counts = DELIVERY_STATES.map((s) => [s, m.deliveries.filter((d) => d.state === s).length] as const);
  return (
    <li>
      <strong>{actorLabel(m.sender)}</strong> to <Target m={m} ctx={p.ctx} names={p.names} />,{" "}
      <Time iso={m.createdAt} /> <code class="handle">{m.handle}</code>
      <FreeText class="message-body" text={m.body} />
      {m.deliveries.length === 0 ? (
        <p class="muted">No target session has it yet.</p>
      ) : (
        <>
          <p class="muted">
            {m.deliveries.length} {m.deliveries.length === 1 ? "session" : "sessions"}:{" "}
            {counts
              .filter(([, n]) => n > 0)
              .map(([s, n]) => `${n} ${s}`)
              .join(", ")}
          </p>
          <ul class="chips" aria-label="Delivery per session">
            {m.deliveries.slice(0, DELIVERIES_SHOWN).map((d) => (
              <li>
                <a href={sessionHref(d.session)}>
                  <code>{d.session.sessionId.slice(0, 8)}</code>
                </a>
                <span class={`badge dl-${d.state}`}>{d.state}</span>
              </li>
            ))}
            {m.deliveries.length > DELIVERIES_SHOWN && (
              <li>and {m.deliveries.length - DELIVERIES_SHOWN} more</li>
            )}
          </ul>
        </>
      )}
    </li>
  );
};

export const messagesPage: PageDef = {
  pattern: "/messages",
  render: (ctx) => ({
    title: "Messages",
    nav: "messages",
    body: (
      <>
        <h1>Messages</h1>
        <Panel title="New message" id="compose-panel">
          <ComposeForm
            state={ctx.forms.get(COMPOSE_FORM) ?? freshForm()}
            back="/messages"
            targets={{
              groups: ctx.service.listGroups(),
              machines: ctx.service.listMachines(),
              sessions: ctx.choices(),
            }}
          />
        </Panel>
        {ctx.live.section("messages-list", () => {
          const messages = ctx.service.listMessages(MESSAGES_SHOWN);
          const names: Names = {
            groups: new Map(ctx.service.listGroups().map((g) => [g.id, g.name])),
            machines: new Map(ctx.service.listMachines().map((m) => [m.id, m.name ?? m.handle])),
          };
          return (
            <Panel title="Latest messages" id="messages">
              {messages.length === 0 ? (
                <Empty>No messages yet.</Empty>
              ) : (
                <ol class="timeline">
                  {messages.map((m) => (
                    <MessageItem m={m} ctx={ctx} names={names} />
                  ))}
                </ol>
              )}
            </Panel>
          );
        })}
      </>
    ),
  }),
};
