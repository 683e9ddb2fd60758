// Shared text field rules, so every face (API, CLI, MCP, dashboard) enforces the same limits.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";

/**
 * One-line text (names, titles): trimmed, no control characters (C0, DEL, C1), no line or
 * paragraph separator, and no bidirectional override or isolate, which would make a name display
 * as another (U+202E turns "txt.exe" into "exe.txt").
 */
export const lineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `at most ${max} characters`)
    .regex(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
      /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/,
      "must be one line without control or text-direction characters",
    );

/** Free text (descriptions, messages): newlines allowed, NUL not. */
export const longText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

export const LabelSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.:/-]*$/u, "letters, digits and _ . : / - (no spaces)"),
);

/** ISO-8601 timestamp from milliseconds since the epoch. */
export const msToIso = (ms: number): string => new Date(ms).toISOString();
