// Typed errors of every business operation. Each has a `type` tag; http/ maps them to statuses in
// one place and cli/ to exit codes in one place.
export type FieldIssue = { readonly path: string; readonly message: string };

export type ValidationError = {
  readonly type: "ValidationError";
  readonly message: string;
  readonly issues: readonly FieldIssue[];
};
export type NotFoundError = { readonly type: "NotFoundError"; readonly entity: string; readonly id: string };
export type AmbiguousIdError = {
  readonly type: "AmbiguousIdError";
  readonly entity: string;
  readonly prefix: string;
  readonly matches: readonly string[];
};
export type InvalidTransitionError = {
  readonly type: "InvalidTransitionError";
  readonly entity: string;
  readonly id: string;
  readonly from: string;
  readonly to: string;
};
export type DependencyCycleError = {
  readonly type: "DependencyCycleError";
  readonly cycle: readonly string[];
};
export type ConflictError = { readonly type: "ConflictError"; readonly message: string };

export type ServiceError =
  | ValidationError
  | NotFoundError
  | AmbiguousIdError
  | InvalidTransitionError
  | DependencyCycleError
  | ConflictError;

export const validationError = (message: string, issues: readonly FieldIssue[] = []): ValidationError => ({
  type: "ValidationError",
  message,
  issues,
});
export const notFound = (entity: string, id: string): NotFoundError => ({
  type: "NotFoundError",
  entity,
  id,
});
export const conflict = (message: string): ConflictError => ({ type: "ConflictError", message });

/** A one-line human description, shared by the API's problem `detail` and the CLI. */
export const describeError = (e: ServiceError): string => {
  switch (e.type) {
    case "ValidationError":
      return e.issues.length > 0
        ? `${e.message}: ${e.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`
        : e.message;
    case "NotFoundError":
      return `no ${e.entity} matches '${e.id}'`;
    case "AmbiguousIdError":
      return `'${e.prefix}' matches several ${e.entity}s: ${e.matches.join(", ")}; give more characters`;
    case "InvalidTransitionError":
      return `${e.entity} ${e.id} cannot go from ${e.from} to ${e.to}`;
    case "DependencyCycleError":
      return `that dependency would make a cycle: ${e.cycle.join(" -> ")}`;
    case "ConflictError":
      return e.message;
  }
};
