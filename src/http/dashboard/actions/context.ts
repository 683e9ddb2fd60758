// What every dashboard action has: the service, who is acting, and how to answer (finish).
import type { Context } from "hono";
import type { Actor } from "../../../domain/actor.ts";
import type { Service } from "../../../service/index.ts";
import { type FormValues, formValues, localPath } from "../forms.ts";
import type { FinishDeps } from "./finish.tsx";

export type ActionDeps = FinishDeps & {
  readonly service: Service;
  /** Who the dashboard's writes are attributed to. */
  readonly actor: Actor;
};

/** The posted form's values and the page to return to (the form's `back`, if it is a local path). */
export const readForm = async (
  c: Context,
  fallback: string,
): Promise<{ values: FormValues; back: string }> => {
  const values = formValues(await c.req.parseBody());
  return { values, back: localPath(values.back, fallback) };
};
