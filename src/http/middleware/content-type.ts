// Request bodies are JSON: a write that carries a body labelled otherwise (or not labelled at all)
// gets 415, rather than being read as an empty object and failing validation confusingly.
import type { MiddlewareHandler } from "hono";
import { PROBLEM_JSON, problem } from "../problem.ts";

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export const isJsonMediaType = (contentType: string): boolean =>
  JSON_MEDIA_TYPE.test(contentType.split(";")[0]!.trim());

/** Whether the request says it carries a body (a bodiless POST, as curl -X POST sends, is fine). */
const declaresBody = (length: string | undefined, transferEncoding: string | undefined): boolean =>
  transferEncoding !== undefined || (length !== undefined && length.trim() !== "0");

export const jsonBodies = (): MiddlewareHandler => async (c, next) => {
  if (!SAFE.has(c.req.method)) {
    const type = c.req.header("content-type");
    const refused =
      type !== undefined
        ? !isJsonMediaType(type)
        : declaresBody(c.req.header("content-length"), c.req.header("transfer-encoding"));
    if (refused) {
      return c.json(
        problem(415, `send the body as application/json${type ? `, not ${type.slice(0, 100)}` : ""}`),
        415,
        PROBLEM_JSON,
      );
    }
  }
  await next();
};
