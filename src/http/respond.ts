// Turning a service Result into a response: the value with the success status, or the problem.
import type { Context } from "hono";
import type { ServiceError } from "../domain/errors.ts";
import type { Result } from "../domain/result.ts";
import { serviceErrorToProblem } from "./problem.ts";

type SuccessStatus = 200 | 201;

export const respond = <T, S extends SuccessStatus>(c: Context, r: Result<T, ServiceError>, status: S) => {
  if (r.ok) return c.json(r.value as T, status);
  const p = serviceErrorToProblem(r.error);
  return c.json(p, p.status as 404, { "content-type": "application/problem+json" });
};
