// Form state: what a person typed and what the service said was wrong with it, field by field, so
// a form can be shown again with its errors inline. Errors come from the service's typed errors
// (the same validation the API applies); nothing is validated twice.
import { describeError, type ServiceError } from "../../domain/errors.ts";

export type FormValues = Readonly<Record<string, string>>;

export type FormState = {
  readonly values: FormValues;
  /** Message per field name. */
  readonly errors: Readonly<Record<string, string>>;
  /** A problem that is not about one field (a conflict, an unknown id). */
  readonly message: string | null;
};

/** Forms on a page shown again after a failed plain (non-htmx) post, by form id. */
export type FormStates = ReadonlyMap<string, FormState>;

export const NO_FORMS: FormStates = new Map();

export const freshForm = (values: FormValues = {}): FormState => ({ values, errors: {}, message: null });

/**
 * The form state for a service error. A validation issue's path ("labels.0", "to") names the field
 * by its first part unless `fieldOf` says otherwise; issues on no known field join the message.
 */
export const formStateFromError = (
  error: ServiceError,
  values: FormValues,
  fields: readonly string[],
  fieldOf: (path: string) => string = (p) => p.split(".")[0] ?? "",
): FormState => {
  if (error.type !== "ValidationError") return { values, errors: {}, message: describeError(error) };
  const errors: Record<string, string> = {};
  const loose: string[] = [];
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    if (fields.includes(field) && !errors[field]) errors[field] = issue.message;
    else if (!fields.includes(field))
      loose.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  const message =
    loose.length > 0 || Object.keys(errors).length === 0
      ? loose.length > 0
        ? `${error.message}: ${loose.join("; ")}`
        : error.message
      : null;
  return { values, errors, message };
};

/** Reads a urlencoded or multipart body as single string values (the last one wins). */
export const formValues = (body: Record<string, unknown>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof last === "string") out[k] = last;
  }
  return out;
};

/** Splits a list typed into one field ("db, api  urgent") into its items. */
export const splitList = (text: string | undefined): string[] =>
  (text ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** Splits text into its non-empty lines (one rule per line). */
export const splitLines = (text: string | undefined): string[] =>
  (text ?? "")
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** A path on this site to come back to after a post; anything else becomes the fallback. */
export const localPath = (value: string | undefined, fallback: string): string =>
  // A browser drops tabs and newlines from a URL, so "/<TAB>/evil.example" would become
  // "//evil.example", another site: no control character is let through.
  value?.startsWith("/") &&
  !value.startsWith("//") &&
  !value.startsWith("/\\") &&
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  !/[\u0000-\u001f\u007f]/.test(value)
    ? value
    : fallback;
