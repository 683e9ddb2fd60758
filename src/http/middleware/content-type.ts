// Request bodies are JSON: a write that carries a body labelled otherwise (or not labelled at all)
// gets 415, rather than being read as an empty object and failing validation confusingly.
import { isUtf8 } from "node:buffer";
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
    if (type !== undefined) {
      const bad = await textProblem(new Uint8Array(await c.req.arrayBuffer()));
      if (bad) return c.json(problem(400, bad), 400, PROBLEM_JSON);
    }
  }
  await next();
};

/** Any string in a JSON value that is not well-formed Unicode (a lone surrogate). */
const illFormed = (v: unknown): boolean =>
  typeof v === "string"
    ? !v.isWellFormed()
    : Array.isArray(v)
      ? v.some(illFormed)
      : typeof v === "object" && v !== null
        ? Object.entries(v).some(([k, x]) => !k.isWellFormed() || illFormed(x))
        : false;

/**
 * Text that would be stored other than sent: bytes that are not UTF-8, or a JSON escape of half a
 * surrogate pair (both would become U+FFFD, so two different names could collide). The body is
 * read here once; the route's validator reads it again from Hono's cache.
 */
const textProblem = async (bytes: Uint8Array): Promise<string | null> => {
  if (!isUtf8(bytes)) return "the request body is not valid UTF-8";
  // Only a body with a surrogate escape can hold one; parsing it twice is for those alone.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (!/\\u[dD][89a-fA-F]/.test(text)) return null;
  try {
    return illFormed(JSON.parse(text))
      ? "the request body holds half a UTF-16 surrogate pair (\\ud800-\\udfff alone)"
      : null;
  } catch {
    return null; // malformed JSON: the validator says so
  }
};
