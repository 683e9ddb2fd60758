// RFC 9457 problem bodies, and the one place where typed service errors become HTTP statuses.
import { z } from "zod";
import { describeError, type ServiceError } from "../domain/errors.ts";
import { lazySchema } from "../domain/lazy-schema.ts";

export const ProblemSchema = lazySchema(() =>
  z.strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  }),
);
export type Problem = z.infer<typeof ProblemSchema>;

/** Problem bodies go out as application/problem+json (RFC 9457). */
export const PROBLEM_JSON = { "content-type": "application/problem+json" } as const;

export type ProblemStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

const TITLES: Record<ProblemStatus, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export const problem = (
  status: ProblemStatus,
  detail: string,
  errors: readonly { path: string; message: string }[] = [],
  kind?: string,
): Problem => ({
  type: `https://claire.dev/problems/${kind ?? TITLES[status].toLowerCase().replaceAll(" ", "-")}`,
  title: TITLES[status],
  status,
  detail,
  errors: [...errors],
});

const STATUS: Record<ServiceError["type"], ProblemStatus> = {
  ValidationError: 422,
  NotFoundError: 404,
  AmbiguousIdError: 409,
  InvalidTransitionError: 409,
  DependencyCycleError: 409,
  ConflictError: 409,
};

const KIND: Record<ServiceError["type"], string> = {
  ValidationError: "validation",
  NotFoundError: "not-found",
  AmbiguousIdError: "ambiguous-id",
  InvalidTransitionError: "invalid-transition",
  DependencyCycleError: "dependency-cycle",
  ConflictError: "conflict",
};

export const serviceErrorToProblem = (e: ServiceError): Problem =>
  problem(STATUS[e.type], describeError(e), e.type === "ValidationError" ? e.issues : [], KIND[e.type]);

/** The problem statuses every route may answer with (500 only on a bug, never for bad input). */
export const PROBLEM_RESPONSES = Object.fromEntries(
  // 405: a path another route answers with other methods (its Allow header lists them).
  ([400, 401, 403, 404, 405, 409, 413, 415, 422, 500] as const).map((s) => [
    s,
    { description: TITLES[s], content: { "application/problem+json": { schema: ProblemSchema } } },
  ]),
) as Record<
  400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500,
  { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } }
>;
