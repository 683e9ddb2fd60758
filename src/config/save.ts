// Edits claire.toml for commands such as `claire peer add`: validate the result, then swap it in.
import { hostname as osHostname } from "node:os";
import { parse, stringify, type TomlTable } from "smol-toml";
import { err, ok, type Result } from "../domain/result.ts";
import type { Config } from "./config.ts";
import { type ConfigError, configError, ioConfigError } from "./errors.ts";
import { readConfigText } from "./load.ts";
import { parseConfigText, parseToml } from "./parse.ts";
import { writeFileAtomic } from "./write-atomic.ts";

export type UpdateConfigDeps = { readonly hostname: string };

// smol-toml cannot round-trip comments, so the header block at the top (where init writes its
// notes) is carried over and comments further down are lost. A comment-preserving TOML editor
// would keep them, at the price of another dependency for a file edited this rarely.
const leadingComments = (text: string): string => {
  const lines = text.split(/\r?\n/);
  const end = lines.findIndex((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
  const head = lines
    .slice(0, end === -1 ? lines.length : end)
    .join("\n")
    .trim();
  return head === "" ? "" : `${head}\n\n`;
};

/**
 * Applies `edit` to the parsed file and writes the result atomically, only if it validates. The
 * file is left untouched on any refusal. The last writer wins if two edits race.
 */
/**
 * The file's own text with new [[peers]] entries added at its end, when that is the whole change
 * (`claire peer add`, the common edit): every comment, the commented template `claire init` wrote
 * and the user's own notes stay. Any other change rewrites the file (docs/configuration.md). Null
 * when the change is not an append, or the appended text would not load (peers written inline).
 */
const appended = (text: string, before: TomlTable, after: TomlTable): string | null => {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) if (k !== "peers" && !same(before[k], after[k])) return null;
  const was = (before.peers ?? []) as unknown[];
  const now = (after.peers ?? []) as unknown[];
  if (!Array.isArray(was) || !Array.isArray(now) || now.length <= was.length) return null;
  if (!same(now.slice(0, was.length), was)) return null;
  const added = stringify({ peers: now.slice(was.length) } as TomlTable);
  const candidate = `${text}${text.endsWith("\n") ? "" : "\n"}\n${added}${added.endsWith("\n") ? "" : "\n"}`;
  try {
    return same(parse(candidate), after) ? candidate : null;
  } catch {
    return null;
  }
};

export const updateConfigFile = (
  path: string,
  edit: (raw: TomlTable) => TomlTable,
  deps: UpdateConfigDeps = { hostname: osHostname() },
): Result<Config, ConfigError> => {
  const text = readConfigText(path);
  if (!text.ok) return text;
  const table = parseToml(text.value, path);
  if (!table.ok) return table;
  const machineId = table.value.machine_id;
  const edited = edit(table.value);
  if (edited.machine_id !== machineId)
    return err(
      configError(
        path,
        "the change would alter machine_id",
        "edit anything but machine_id: it never changes",
        {
          key: "machine_id",
        },
      ),
    );

  let newText: string;
  try {
    newText = appended(text.value, table.value, edited) ?? leadingComments(text.value) + stringify(edited);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return err(configError(path, `the change cannot be written as TOML: ${reason}`, "pass TOML values only"));
  }
  // Validate the exact text that will be written, so the file on disk always loads.
  const config = parseConfigText(newText, { file: path, hostname: deps.hostname });
  if (!config.ok) {
    const { line: _lineInNewText, ...rest } = config.error;
    return err({ ...rest, message: `the change was refused: ${rest.message}` });
  }
  const written = writeFileAtomic(path, newText, { mode: 0o600, exclusive: false });
  return written.ok ? ok(config.value) : err(ioConfigError(path, "write", written.error));
};
