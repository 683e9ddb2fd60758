// Form controls with their label and inline error. Validation is the server's (the service's
// schemas): a failed post shows the form again with what was typed and each field's message.
import type { Child } from "hono/jsx";
import type { FormState } from "../forms.ts";

type Base = {
  /** The form's id; field ids are `<form>-<name>`. */
  form: string;
  name: string;
  label: Child;
  state: FormState;
  hint?: string;
  value?: string;
};

const ids = (p: Base) => {
  const id = `${p.form}-${p.name}`;
  const error = p.state.errors[p.name];
  const described = [p.hint ? `${id}-hint` : null, error ? `${id}-err` : null].filter(Boolean).join(" ");
  return { id, error, described: described || undefined };
};

const Help = (p: Base & { id: string; error: string | undefined }) => (
  <>
    {p.hint && (
      <p class="hint" id={`${p.id}-hint`}>
        {p.hint}
      </p>
    )}
    {p.error && (
      <p class="field-error" id={`${p.id}-err`}>
        {p.error}
      </p>
    )}
  </>
);

export const TextField = (
  p: Base & { type?: "text" | "search" | "password"; placeholder?: string; autocomplete?: string },
) => {
  const { id, error, described } = ids(p);
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? "text"}
        value={p.state.values[p.name] ?? p.value ?? ""}
        placeholder={p.placeholder}
        autocomplete={p.autocomplete ?? "off"}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described}
      />
      <Help {...p} id={id} error={error} />
    </div>
  );
};

export const TextArea = (p: Base & { rows?: number; placeholder?: string }) => {
  const { id, error, described } = ids(p);
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{p.label}</label>
      <textarea
        id={id}
        name={p.name}
        rows={p.rows ?? 3}
        placeholder={p.placeholder}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described}
      >
        {p.state.values[p.name] ?? p.value ?? ""}
      </textarea>
      <Help {...p} id={id} error={error} />
    </div>
  );
};

export type Option = { readonly value: string; readonly label: string; readonly disabled?: boolean };
export type OptionGroup = { readonly label: string; readonly options: readonly Option[] };

export const SelectField = (p: Base & { options: readonly (Option | OptionGroup)[] }) => {
  const { id, error, described } = ids(p);
  const current = p.state.values[p.name] ?? p.value ?? "";
  const opt = (o: Option) => (
    <option value={o.value} selected={o.value === current && !o.disabled} disabled={o.disabled}>
      {o.label}
    </option>
  );
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{p.label}</label>
      <select id={id} name={p.name} aria-invalid={error ? "true" : undefined} aria-describedby={described}>
        {p.options.map((o) =>
          "options" in o ? (
            o.options.length > 0 ? (
              <optgroup label={o.label}>{o.options.map(opt)}</optgroup>
            ) : null
          ) : (
            opt(o)
          ),
        )}
      </select>
      <Help {...p} id={id} error={error} />
    </div>
  );
};

/** The form's own message (a conflict, an unknown id), announced when it appears. */
export const FormMessage = (p: { state: FormState }) =>
  p.state.message ? (
    <p class="form-error" role="alert">
      {p.state.message}
    </p>
  ) : null;

/**
 * A form that posts to a dashboard action: as a plain form without JavaScript (the server answers
 * with a redirect, or the form again with its errors), or through htmx, which swaps the answer in
 * place of the form.
 */
export const ActionForm = (p: {
  id: string;
  action: string;
  back: string;
  class?: string;
  /** Where htmx puts the answer: the form itself (default) or the dialog. */
  target?: "self" | "dialog";
  label?: string;
  children?: Child;
}) => (
  <form
    id={p.id}
    class={p.class ? `form ${p.class}` : "form"}
    method="post"
    action={p.action}
    hx-post={p.action}
    hx-target={p.target === "dialog" ? "#dialog-body" : "this"}
    hx-swap={p.target === "dialog" ? "innerHTML" : "outerHTML"}
    aria-label={p.label}
  >
    <input type="hidden" name="back" value={p.back} />
    {p.children}
  </form>
);

/** A one-button form (archive, remove, unassign): errors go to the page's message area. */
export const ButtonForm = (p: {
  action: string;
  back: string;
  label: Child;
  id?: string;
  class?: string;
  name?: string;
  value?: string;
  title?: string;
  /** Posted from the dialog: a success closes it. */
  dialog?: boolean;
}) => (
  <form
    class="inline"
    method="post"
    action={p.action}
    hx-post={p.action}
    hx-target={p.dialog ? "#dialog-body" : undefined}
    hx-swap={p.dialog ? "innerHTML" : "none"}
  >
    <input type="hidden" name="back" value={p.back} />
    <button
      type="submit"
      id={p.id}
      class={p.class ?? "secondary"}
      name={p.name}
      value={p.value}
      title={p.title}
    >
      {p.label}
    </button>
  </form>
);
