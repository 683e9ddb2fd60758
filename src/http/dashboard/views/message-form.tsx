// Composing a message: to one session, a group, a machine or everyone. The session page uses the
// same form with its session as the fixed target.
import type { Group } from "../../../domain/group.ts";
import type { Machine } from "../../../domain/machine.ts";
import type { SessionView } from "../../../service/dashboard.ts";
import type { FormState } from "../forms.ts";
import { ActionForm, FormMessage, SelectField, TextArea } from "./fields.tsx";
import { sessionOptions } from "./pickers.tsx";

export const COMPOSE_FORM = "compose";

export type Targets = {
  readonly groups: readonly Group[];
  readonly machines: readonly Machine[];
  readonly sessions: readonly SessionView[];
};

export const ComposeForm = (p: {
  state: FormState;
  back: string;
  /** Options to choose from, or a fixed target (the session page). */
  targets: Targets | { readonly fixed: string; readonly label: string };
}) => (
  <ActionForm id={COMPOSE_FORM} action="/messages" back={p.back} label="New message">
    <FormMessage state={p.state} />
    {"fixed" in p.targets ? (
      <>
        <input type="hidden" name="to" value={p.targets.fixed} />
        <p>To {p.targets.label}</p>
      </>
    ) : (
      <SelectField
        form={COMPOSE_FORM}
        name="to"
        label="To"
        state={p.state}
        options={[
          { label: "Everyone", options: [{ value: "all", label: "Every session on every machine" }] },
          {
            label: "Groups",
            options: p.targets.groups.map((g) => ({ value: `group:${g.name}`, label: `Group ${g.name}` })),
          },
          {
            label: "Machines",
            options: p.targets.machines.map((m) => ({
              value: `machine:${m.id}`,
              label: `Machine ${m.name ?? m.handle}`,
            })),
          },
          ...sessionOptions(p.targets.sessions, { prefix: "session:", withEnded: false }),
        ]}
      />
    )}
    <TextArea
      form={COMPOSE_FORM}
      name="body"
      label="Message"
      state={p.state}
      rows={3}
      hint="Agents see who sent it. Anyone who can use this dashboard can put text into agents' context."
    />
    <div class="actions">
      <button type="submit">Send</button>
    </div>
  </ActionForm>
);
