// Live sections: the parts of a page that follow the database. A page declares each one with an id
// and a render function; in the page it is rendered in place, and when the data changes the same
// function renders it again to be swapped in by id (htmx out-of-band swap), nothing else moving.
import type { Child } from "hono/jsx";

export type SectionRender = () => Child;

export type LiveSections = {
  /** Declares a live section and returns it rendered in place. */
  readonly section: (id: string, render: SectionRender, opts?: { readonly class?: string }) => Child;
  readonly all: () => ReadonlyMap<string, { readonly render: SectionRender; readonly class: string }>;
};

export const Section = (props: { id: string; class: string; oob?: boolean; children?: Child }) => (
  <div
    id={props.id}
    class={props.class ? `live ${props.class}` : "live"}
    hx-swap-oob={props.oob ? "true" : undefined}
  >
    {props.children}
  </div>
);

// Rendered when the page is turned into HTML, not when it is declared: the live endpoint builds a
// page only to collect its sections, and must not pay for the rest.
const Deferred = (props: { render: SectionRender }) => <>{props.render()}</>;

export const createLiveSections = (): LiveSections => {
  const sections = new Map<string, { render: SectionRender; class: string }>();
  return {
    section: (id, render, opts) => {
      const cls = opts?.class ?? "";
      sections.set(id, { render, class: cls });
      return (
        <Section id={id} class={cls}>
          <Deferred render={render} />
        </Section>
      );
    },
    all: () => sections,
  };
};
