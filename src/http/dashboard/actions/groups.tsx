// Group actions: create a group; change its description; add and remove rules and members (each an
// editGroup call, like PATCH /api/v1/groups/{id}).
import { Hono } from "hono";
import { splitLines, splitList } from "../forms.ts";
import { DescriptionForm, GROUP_FORMS, MemberForm, RuleForm } from "../pages/group.tsx";
import { CREATE_GROUP_FORM, CreateGroupForm } from "../pages/groups.tsx";
import { groupHref } from "../views/format.ts";
import { type ActionDeps, readForm } from "./context.ts";
import { finish } from "./finish.tsx";

export const groupActions = (d: ActionDeps) => {
  const group = (id: string) => {
    const g = d.service.getGroup(id);
    return g.ok ? g.value : null;
  };
  return new Hono()
    .post("/groups", async (c) => {
      const { values, back } = await readForm(c, "/groups");
      const result = d.service.createGroup(d.actor, {
        name: values.name ?? "",
        description: values.description ?? "",
        rules: splitLines(values.rules),
        members: splitList(values.members),
      });
      return finish(c, d, {
        values,
        result,
        back,
        next: result.ok ? groupHref(result.value.id) : undefined,
        title: "Create a group",
        done: result.ok ? `Created group ${result.value.name}.` : undefined,
        form: {
          id: CREATE_GROUP_FORM,
          fields: ["name", "description", "rules", "members"],
          render: (state) => <CreateGroupForm state={state} />,
        },
      });
    })
    .post("/groups/:id/description", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, groupHref(id));
      const result = d.service.editGroup(d.actor, id, { description: values.description ?? "" });
      const g = group(id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Change a group",
        done: result.ok ? "Saved." : undefined,
        form: g
          ? {
              id: GROUP_FORMS.description,
              fields: ["description"],
              render: (state) => <DescriptionForm group={g} state={state} />,
            }
          : undefined,
      });
    })
    .post("/groups/:id/rules", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, groupHref(id));
      const kind = values.kind ?? "";
      const typed = (values.value ?? "").trim();
      // "cwd:/tmp/*" typed as the CLI and the API write it: the kind picked is not repeated.
      const rule = `${kind}:${typed.startsWith(`${kind}:`) ? typed.slice(kind.length + 1) : typed}`;
      const had = d.service.getGroup(id);
      const already = had.ok && had.value.rules.includes(rule);
      const result = d.service.editGroup(d.actor, id, { addRules: [rule] });
      const g = group(id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Add a rule",
        done: result.ok ? (already ? `${rule} was a rule already.` : `Added rule ${rule}.`) : undefined,
        form: g
          ? {
              id: GROUP_FORMS.rule,
              fields: ["kind", "value"],
              keep: ["kind"],
              fieldOf: (p) => (p.startsWith("addRules") ? "value" : p),
              render: (state) => <RuleForm group={g} state={state} />,
            }
          : undefined,
      });
    })
    .post("/groups/:id/rules/remove", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, groupHref(id));
      const result = d.service.editGroup(d.actor, id, { removeRules: [values.rule ?? ""] });
      return finish(c, d, { values, result, back, title: "Remove a rule", done: "Rule removed." });
    })
    .post("/groups/:id/members", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, groupHref(id));
      const result = d.service.editGroup(d.actor, id, { addMembers: [values.session ?? ""] });
      const g = group(id);
      return finish(c, d, {
        values,
        result,
        back,
        title: "Add a member",
        done: result.ok ? "Member added." : undefined,
        form: g
          ? {
              id: GROUP_FORMS.member,
              fields: ["session"],
              fieldOf: (p) => (p.startsWith("addMembers") ? "session" : p),
              render: (state) => (
                <MemberForm
                  group={g}
                  sessions={d.service.sessionChoices().filter((s) => s.shownState !== "ended")}
                  state={state}
                />
              ),
            }
          : undefined,
      });
    })
    .post("/groups/:id/members/remove", async (c) => {
      const id = c.req.param("id");
      const { values, back } = await readForm(c, groupHref(id));
      const result = d.service.editGroup(d.actor, id, { removeMembers: [values.session ?? ""] });
      return finish(c, d, { values, result, back, title: "Remove a member", done: "Member removed." });
    });
};
