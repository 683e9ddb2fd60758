// Pure: claire.toml text to a validated Config, or a ConfigError that says where and how to fix it.
import { parse, TomlError, type TomlTable } from "smol-toml";
import { err, ok, type Result } from "../domain/result.ts";
import type { Config } from "./config.ts";
import { type ConfigError, configError } from "./errors.ts";
import { issuesToConfigError } from "./issue-to-error.ts";
import { rawConfigSchema, rawToConfig } from "./schema.ts";

export type ParseContext = {
  readonly file: string;
  /** machine_name falls back to it when the file has none. */
  readonly hostname: string;
};

export const parseToml = (text: string, file: string): Result<TomlTable, ConfigError> => {
  try {
    return ok(parse(text));
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    // smol-toml's message carries a code excerpt after a blank line; the line number replaces it.
    const reason = (e.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
    return err(
      configError(
        file,
        `${file} is not valid TOML: ${reason} (line ${e.line}, column ${e.column})`,
        `edit line ${e.line} so it is valid TOML (https://toml.io); keep machine_id exactly as it is`,
        { line: e.line },
      ),
    );
  }
};

/** Validates an already parsed table; `text` is only used to find line numbers for errors. */
export const validateConfigTable = (
  table: unknown,
  text: string,
  ctx: ParseContext,
): Result<Config, ConfigError> => {
  const parsed = rawConfigSchema.safeParse(table);
  if (!parsed.success) return err(issuesToConfigError({ file: ctx.file, text, table }, parsed.error.issues));
  return ok(rawToConfig(parsed.data, ctx.hostname));
};

export const parseConfigText = (text: string, ctx: ParseContext): Result<Config, ConfigError> => {
  const table = parseToml(text, ctx.file);
  return table.ok ? validateConfigTable(table.value, text, ctx) : table;
};
