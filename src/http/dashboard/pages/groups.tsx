// Groups: the list of groups and a form to create one (rules and explicit members at once).
import type { Group } from "../../../domain/group.ts";
import { type FormState, freshForm } from "../forms.ts";
import type { PageDef } from "../page.ts";
import { ActionForm, FormMessage, TextArea, TextField } from "../views/fields.tsx";
import { groupHref } from "../views/format.ts";
import { Empty, Panel, Time } from "../views/parts.tsx";

export const CREATE_GROUP_FORM = "new-group";

export const CreateGroupForm = (p: { state: FormState }) => {
  const f = CREATE_GROUP_FORM;
  return (
    <ActionForm id={f} action="/groups" back="/groups" label="New group">
      <FormMessage state={p.state} />
      <TextField
        form={f}
        name="name"
        label="Name"
        state={p.state}
        hint="lowercase letters, digits, '_', '.', '-'"
      />
      <TextArea form={f} name="description" label="Description" state={p.state} rows={2} />
      <TextArea
        form={f}
        name="rules"
        label="Rules"
        state={p.state}
        rows={2}
        hint="one per line: machine:<id or name>, cwd:<glob> or project:<id>"
      />
      <TextField
        form={f}
        name="members"
        label="Members"
        state={p.state}
        hint="session ids or handles, separated by spaces"
      />
      <div class="actions">
        <button type="submit">Create group</button>
      </div>
    </ActionForm>
  );
};

const GroupList = (p: { groups: readonly Group[] }) =>
  p.groups.length === 0 ? (
    <Empty>No groups yet.</Empty>
  ) : (
    <div class="table-wrap">
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Rules</th>
            <th scope="col" class="num">
              Members
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {p.groups.map((g) => (
            <tr>
              <td data-label="Group">
                <a href={groupHref(g.id)}>{g.name}</a>
                {g.description && <p class="muted">{g.description}</p>}
              </td>
              <td data-label="Rules">
                {g.rules.length > 0 ? g.rules.map((r) => <code class="rule">{r} </code>) : "—"}
              </td>
              <td data-label="Members" class="num">
                {g.members.length}
              </td>
              <td data-label="Created">
                <Time iso={g.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

export const groupsPage: PageDef = {
  pattern: "/groups",
  render: (ctx) => ({
    title: "Groups",
    nav: "groups",
    body: (
      <>
        <h1>Groups</h1>
        {ctx.live.section("groups-list", () => (
          <Panel title="All groups" id="groups">
            <GroupList groups={ctx.service.listGroups()} />
          </Panel>
        ))}
        <Panel title="New group" id="new-group-panel">
          <CreateGroupForm state={ctx.forms.get(CREATE_GROUP_FORM) ?? freshForm()} />
        </Panel>
      </>
    ),
  }),
};
