// Turning hono/jsx trees into HTML strings (sections are compared by hash before they are sent).
import { createHash } from "node:crypto";
import type { Child } from "hono/jsx";

/** Renders a tree to its HTML (awaiting async parts, though the dashboard's views are synchronous). */
export const renderToString = async (node: Child): Promise<string> => {
  if (node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number") return String(node);
  return String(await (node as { toString: () => string | Promise<string> }).toString());
};

export const hashHtml = (html: string): string => createHash("sha1").update(html).digest("base64url");
