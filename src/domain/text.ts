// Shared text field rules, so every face (API, CLI, MCP, dashboard) enforces the same limits.
import { z } from "zod";

/** One-line text: trimmed, no control characters. */
export const lineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `at most ${max} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must be one line without control characters");

/** Free text (descriptions, messages): newlines allowed, NUL not. */
export const longText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

export const LabelSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.:/-]*$/u, "letters, digits and _ . : / - (no spaces)");

/** ISO-8601 timestamp from milliseconds since the epoch. */
export const msToIso = (ms: number): string => new Date(ms).toISOString();
