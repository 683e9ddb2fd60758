// How every dashboard form post ends. Through htmx: the form again (fresh, or with its errors inline)
// plus the page's live sections that changed, swapped by id, and a short confirmation. Without
// JavaScript: a redirect back to the page (post/redirect/get), or a page showing the form with its
// errors. Service errors decide the status: 422 for invalid input, 409 for the rest.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ServiceError } from "../../../domain/errors.ts";
import type { Result } from "../../../domain/result.ts";
import type { SyncControl } from "../../env.ts";
import { type FormState, type FormValues, formStateFromError, freshForm } from "../forms.ts";
import type { LiveHub } from "../live/hub.ts";
import type { SectionRenderer } from "../live/renderer.tsx";
import { renderToString } from "../render.ts";

export type FinishDeps = {
  readonly hub: LiveHub;
  readonly renderer: SectionRenderer;
  readonly sync: SyncControl | null;
  /** A whole page (for answers to posts made without JavaScript). */
  readonly page: (c: Context, title: string, body: Child, status: 200 | 409 | 422) => Promise<Response>;
};

export type FormSpec = {
  /** The form element's id (forms are swapped by id). */
  readonly id: string;
  readonly fields: readonly string[];
  readonly render: (state: FormState) => Child;
  readonly fieldOf?: (path: string) => string;
  /** Values kept in the fresh form after a success (e.g. the message target). */
  readonly keep?: readonly string[];
};

export type Outcome = {
  readonly values: FormValues;
  readonly result: Result<unknown, ServiceError>;
  /** The page the form is on: a plain post returns there on success. */
  readonly back: string;
  /** Where a plain post goes on success instead of `back` (e.g. the new project's board). */
  readonly next?: string;
  readonly form?: FormSpec;
  /** A confirmation shown in the page's message area. */
  readonly done?: string;
  /** Heading of the page shown when a plain post fails. */
  readonly title: string;
};

export const isHtmx = (c: Context): boolean => c.req.header("hx-request") === "true";

/** The live sections of the posting page that changed, for this browser (or all, if it is not live). */
export const changedSections = async (c: Context, deps: FinishDeps): Promise<string> => {
  const id = c.req.header("x-claire-client");
  const client = id ? deps.hub.get(id) : undefined;
  if (client) {
    const rendered = await deps.renderer.sections(client.url);
    return rendered ? deps.hub.take(client, rendered) : "";
  }
  const current = c.req.header("hx-current-url");
  if (!current) return "";
  let url: URL;
  try {
    url = new URL(current);
  } catch {
    return "";
  }
  const rendered = await deps.renderer.sections(url.pathname + url.search);
  return rendered ? [...rendered.values()].map((r) => r.html).join("") : "";
};

const Flash = (p: { text: string; error?: boolean }) => (
  <div id="flash" hx-swap-oob="innerHTML">
    <p class={p.error ? "flash-msg error" : "flash-msg"} role={p.error ? "alert" : undefined}>
      {p.text}
    </p>
  </div>
);

const errorStatus = (e: ServiceError): 409 | 422 => (e.type === "ValidationError" ? 422 : 409);

export const finish = async (c: Context, deps: FinishDeps, o: Outcome): Promise<Response> => {
  const htmx = isHtmx(c);
  if (o.result.ok) {
    deps.sync?.nudge();
    if (!htmx) return c.redirect(o.next ?? o.back, 303);
    const sections = await changedSections(c, deps);
    const flash = o.done ? await renderToString(<Flash text={o.done} />) : "";
    if (c.req.header("hx-target") === "dialog-body") {
      c.header("HX-Trigger-After-Settle", "claire:dialog-close");
      return c.html(sections + flash, 200);
    }
    // A form inside a live section comes back with its section; otherwise fresh, in its place.
    if (!o.form || sections.includes(`id="${o.form.id}"`)) {
      c.header("HX-Reswap", "none");
      return c.html(sections + flash, 200);
    }
    const kept: Record<string, string> = {};
    for (const k of o.form.keep ?? []) if (o.values[k] !== undefined) kept[k] = o.values[k]!;
    c.header("HX-Retarget", `#${o.form.id}`);
    c.header("HX-Reswap", "outerHTML");
    return c.html((await renderToString(o.form.render(freshForm(kept)))) + sections + flash, 200);
  }
  const error = o.result.error;
  const status = errorStatus(error);
  const state = formStateFromError(error, o.values, o.form?.fields ?? [], o.form?.fieldOf);
  if (htmx) {
    if (o.form) {
      if (c.req.header("hx-target") !== "dialog-body") {
        c.header("HX-Retarget", `#${o.form.id}`);
        c.header("HX-Reswap", "outerHTML");
      }
      // The error is said at the form: an earlier confirmation ("Added …") must not stay above it.
      const clear = '<div id="flash" hx-swap-oob="innerHTML"></div>';
      return c.html((await renderToString(o.form.render(state))) + clear, status);
    }
    c.header("HX-Retarget", "#flash");
    c.header("HX-Reswap", "innerHTML");
    return c.html(
      await renderToString(
        <p class="flash-msg error" role="alert">
          {state.message ?? Object.values(state.errors).join("; ")}
        </p>,
      ),
      status,
    );
  }
  return deps.page(
    c,
    o.title,
    <>
      <h1>{o.title}</h1>
      {o.form ? (
        o.form.render(state)
      ) : (
        <p class="form-error" role="alert">
          {state.message ?? Object.values(state.errors).join("; ")}
        </p>
      )}
      <p>
        <a href={o.back}>Back</a>
      </p>
    </>,
    status,
  );
};
