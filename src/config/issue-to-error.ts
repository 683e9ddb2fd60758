// Turns zod's issues about claire.toml into one ConfigError that names the key, the line and the fix.
import type { z } from "zod";
import { closest } from "./did-you-mean.ts";
import { type ConfigError, configError } from "./errors.ts";
import {
  describeValue,
  expectationFor,
  formatKey,
  type KeyPath,
  normalizeKey,
  valueAt,
} from "./field-hints.ts";
import { locateKey } from "./locate-key.ts";
import { knownKeys } from "./schema.ts";

type Source = { readonly file: string; readonly text: string; readonly table: unknown };

const SECTIONS = ["server", "auth", "sync", "sessions"] as const;

// A key that is valid elsewhere was most likely put under the wrong [header]: TOML assigns every
// key after a header to that table, which is easy to forget when appending to the end of a file.
const misplacedHint = (key: string, parent: KeyPath): { message: string; fix: string } | undefined => {
  const here = normalizeKey(parent);
  if (here !== "" && knownKeys()[""]?.includes(key))
    return {
      message: `'${key}' belongs at the top of the file, not in [${formatKey(parent)}]`,
      fix: `move the ${key} line above the first [table] header`,
    };
  const section = SECTIONS.find((s) => s !== here && knownKeys()[s]?.includes(key));
  if (section === undefined) return undefined;
  return {
    message: `did you mean '${section}.${key}'?`,
    fix: `move the ${key} line into the [${section}] table`,
  };
};

const unknownKeyError = (src: Source, parent: KeyPath, keys: readonly string[]): ConfigError => {
  const key = keys[0] ?? "";
  const full = formatKey([...parent, key]);
  const where = { key: full, line: locateKey(src.text, [...parent, key]) };
  const more = keys.length > 1 ? ` (and ${keys.length - 1} more: ${keys.slice(1).join(", ")})` : "";
  const known = knownKeys()[normalizeKey(parent)] ?? [];
  const suggestion = closest(key, known);
  if (suggestion !== undefined)
    return configError(
      src.file,
      `unknown key '${full}' (did you mean '${formatKey([...parent, suggestion])}'?)${more}`,
      `rename '${key}' to '${suggestion}'`,
      where,
    );
  const misplaced = misplacedHint(key, parent);
  if (misplaced !== undefined)
    return configError(src.file, `unknown key '${full}': ${misplaced.message}${more}`, misplaced.fix, where);
  return configError(
    src.file,
    `unknown key '${full}'${more}`,
    `remove it; the keys allowed ${parent.length === 0 ? "at the top level" : `in ${formatKey(parent)}`} are: ${known.join(", ")}`,
    where,
  );
};

const invalidValueError = (src: Source, issue: z.core.$ZodIssue): ConfigError => {
  const path = issue.path;
  const key = formatKey(path);
  const where = { key, line: locateKey(src.text, path) };
  const customFix = issue.code === "custom" ? (issue.params?.fix as string | undefined) : undefined;
  if (customFix !== undefined) return configError(src.file, issue.message, customFix, where);
  const expect = expectationFor(path);
  const value = valueAt(src.table, path);
  const found = value === undefined ? `${key} is missing` : `${key} is ${describeValue(value)}`;
  if (expect === undefined)
    return configError(src.file, `${found}: ${issue.message}`, `correct ${key}`, where);
  return configError(src.file, `${found}, but it must be ${expect}`, `set ${key} to ${expect}`, where);
};

/**
 * One error for the whole file: unknown keys first (a typo explains the other complaints more
 * often than not), then the first invalid value in file order of zod's report.
 */
export const issuesToConfigError = (src: Source, issues: readonly z.core.$ZodIssue[]): ConfigError => {
  const unknown = issues.find((i) => i.code === "unrecognized_keys");
  if (unknown?.code === "unrecognized_keys") return unknownKeyError(src, unknown.path, unknown.keys);
  const first = issues[0];
  if (first === undefined)
    return configError(src.file, "invalid configuration", "check the file against docs");
  return invalidValueError(src, first);
};
