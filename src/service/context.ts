// What every service operation is given: the store, injected time, this machine's identity.
import type { Logger } from "pino";
import type { z } from "zod";
import type { Actor } from "../domain/actor.ts";
import { type FieldIssue, type ServiceError, validationError } from "../domain/errors.ts";
import type { IdDep } from "../domain/ids.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { Store } from "../store/store.ts";

export type MachineIdentity = {
  readonly machineId: string;
  readonly machineName: string;
  readonly groups: readonly string[];
};

export type ServiceDeps = {
  readonly store: Store;
  readonly ids: IdDep;
  readonly now: () => number;
  readonly machine: MachineIdentity;
  readonly log?: Logger | undefined;
};

export type Op<I, O> = (actor: Actor, input: I) => Result<O, ServiceError>;

export const zodIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));

/**
 * Validates input against a domain schema; the error names every bad field. `accepted`, where
 * given, is a hand-written check that answers only "the schema accepts this unchanged"
 * (domain/fast-accept.ts): what a hook sends is taken without building the schema.
 */
export const parseInput = <S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  accepted?: (input: unknown) => input is z.output<S>,
): Result<z.output<S>, ServiceError> => {
  if (accepted?.(input)) return ok(input);
  const r = schema.safeParse(input);
  return r.success ? ok(r.data) : err(validationError(`invalid ${what}`, zodIssues(r.error)));
};
