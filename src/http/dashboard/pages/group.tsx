// A group: its description, rules (machine:<id|name>, cwd:<glob>, project:<id>) and explicit
// members, each removable, and forms to add rules and members and change the description.
import type { Group } from "../../../domain/group.ts";
import type { SessionView } from "../../../service/dashboard.ts";
import { type FormState, freshForm } from "../forms.ts";
import type { PageDef } from "../page.ts";
import { ActionForm, ButtonForm, FormMessage, SelectField, TextArea, TextField } from "../views/fields.tsx";
import { groupHref, sessionHref, sessionKeyOf } from "../views/format.ts";
import { Empty, Panel } from "../views/parts.tsx";
import { sessionOptions } from "../views/pickers.tsx";

export const GROUP_FORMS = {
  description: "group-description",
  rule: "add-rule",
  member: "add-member",
} as const;

export const DescriptionForm = (p: { group: Group; state: FormState }) => {
  const state =
    Object.keys(p.state.values).length > 0
      ? p.state
      : { ...p.state, values: { description: p.group.description } };
  return (
    <ActionForm
      id={GROUP_FORMS.description}
      action={`${groupHref(p.group.id)}/description`}
      back={groupHref(p.group.id)}
    >
      <FormMessage state={state} />
      <TextArea
        form={GROUP_FORMS.description}
        name="description"
        label="Description"
        state={state}
        rows={2}
      />
      <div class="actions">
        <button type="submit">Save description</button>
      </div>
    </ActionForm>
  );
};

export const RuleForm = (p: { group: Group; state: FormState }) => (
  <ActionForm
    id={GROUP_FORMS.rule}
    action={`${groupHref(p.group.id)}/rules`}
    back={groupHref(p.group.id)}
    class="row"
  >
    <FormMessage state={p.state} />
    <SelectField
      form={GROUP_FORMS.rule}
      name="kind"
      label="Rule"
      state={p.state}
      options={[
        { value: "cwd", label: "Directory (glob)" },
        { value: "machine", label: "Machine (id or name)" },
        { value: "project", label: "Project (id)" },
      ]}
    />
    <TextField
      form={GROUP_FORMS.rule}
      name="value"
      label="Matches"
      state={p.state}
      placeholder="/home/*/src/api/**"
    />
    <button type="submit">Add rule</button>
  </ActionForm>
);

export const MemberForm = (p: { group: Group; sessions: readonly SessionView[]; state: FormState }) => (
  <ActionForm
    id={GROUP_FORMS.member}
    action={`${groupHref(p.group.id)}/members`}
    back={groupHref(p.group.id)}
    class="row"
  >
    <FormMessage state={p.state} />
    {p.sessions.length === 0 ? (
      <p class="empty">No sessions to add yet.</p>
    ) : (
      <>
        <SelectField
          form={GROUP_FORMS.member}
          name="session"
          label="Session"
          state={p.state}
          options={sessionOptions(p.sessions)}
        />
        <button type="submit">Add member</button>
      </>
    )}
  </ActionForm>
);

const GroupDetail = (p: { group: Group; sessions: ReadonlyMap<string, SessionView> }) => {
  const g = p.group;
  const back = groupHref(g.id);
  return (
    <>
      <Panel title={`Rules (${g.rules.length})`} id="rules">
        {g.rules.length === 0 ? (
          <Empty>No rules: only explicit members belong.</Empty>
        ) : (
          <ul class="chips">
            {g.rules.map((r) => (
              <li>
                <code>{r}</code>
                <ButtonForm
                  action={`${back}/rules/remove`}
                  back={back}
                  name="rule"
                  value={r}
                  class="secondary small"
                  label={
                    <>
                      Remove<span class="vh"> rule {r}</span>
                    </>
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={`Members (${g.members.length})`} id="members">
        {g.members.length === 0 ? (
          <Empty>No explicit members.</Empty>
        ) : (
          <ul class="chips">
            {g.members.map((m) => {
              const key = sessionKeyOf(m);
              const s = p.sessions.get(key);
              return (
                <li>
                  <a href={sessionHref(m)}>
                    {s ? `${s.title ?? s.cwd ?? s.handle}` : m.sessionId.slice(0, 8)}
                  </a>
                  <ButtonForm
                    action={`${back}/members/remove`}
                    back={back}
                    name="session"
                    value={key}
                    class="secondary small"
                    label={
                      <>
                        Remove<span class="vh"> member {m.sessionId.slice(0, 8)}</span>
                      </>
                    }
                  />
                </li>
              );
            })}
          </ul>
        )}
      </Panel>
    </>
  );
};

export const groupPage: PageDef = {
  pattern: "/groups/:id",
  render: (ctx) => {
    const first = ctx.service.getGroup(ctx.params.id!);
    if (!first.ok) return null;
    const id = first.value.id;
    const group = () => {
      const g = ctx.service.getGroup(id);
      return g.ok ? g.value : first.value;
    };
    return {
      title: `Group ${first.value.name}`,
      nav: "groups",
      body: (
        <>
          {ctx.live.section("group-head", () => (
            <div class="page-head">
              <h1>Group {group().name}</h1>
              {group().description && <p class="muted">{group().description}</p>}
            </div>
          ))}
          {ctx.live.section("group-detail", () => (
            <GroupDetail group={group()} sessions={new Map(ctx.choices().map((s) => [sessionKeyOf(s), s]))} />
          ))}
          <div class="grid">
            <Panel title="Add a rule" id="rule-panel">
              <RuleForm group={first.value} state={ctx.forms.get(GROUP_FORMS.rule) ?? freshForm()} />
            </Panel>
            <Panel title="Add a member" id="member-panel">
              <MemberForm
                group={first.value}
                sessions={ctx.choices().filter((s) => s.shownState !== "ended")}
                state={ctx.forms.get(GROUP_FORMS.member) ?? freshForm()}
              />
            </Panel>
            <Panel title="Description" id="description-panel">
              <DescriptionForm
                group={first.value}
                state={ctx.forms.get(GROUP_FORMS.description) ?? freshForm()}
              />
            </Panel>
          </div>
        </>
      ),
    };
  },
};
