// The one error type of the config module: what is wrong, where, and the exact step that fixes it.

export type ConfigError = {
  readonly type: "ConfigError";
  readonly file: string;
  /** Dotted TOML key, e.g. "server.port" or "peers[0].url". */
  readonly key?: string;
  readonly line?: number;
  readonly message: string;
  readonly fix: string;
};

export const configError = (
  file: string,
  message: string,
  fix: string,
  where: { key?: string; line?: number } = {},
): ConfigError => ({
  type: "ConfigError",
  file,
  ...(where.key !== undefined && { key: where.key }),
  ...(where.line !== undefined && { line: where.line }),
  message,
  fix,
});

/** What a failed read or write of `file` means to the user, from the Node error code. */
export const ioConfigError = (
  file: string,
  action: "read" | "write" | "create",
  cause: unknown,
): ConfigError => {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT" && action === "read")
    return configError(
      file,
      `no config file at ${file}`,
      "run `claire init` to create it (or point CLAIRE_HOME or XDG_CONFIG_HOME at the directory that holds it)",
    );
  const reason = cause instanceof Error ? cause.message : String(cause);
  const fix =
    code === "EACCES" || code === "EPERM"
      ? `check the owner and permissions of ${file} and its directory`
      : code === "EISDIR"
        ? `${file} is a directory; move it aside and run \`claire init\``
        : `check that ${file} and its directory are ${action === "read" ? "readable" : "writable"}`;
  return configError(file, `cannot ${action} ${file}: ${reason}`, fix);
};

/**
 * A multi-line message for people: "file:line: message", then the key and the fix, in the
 * file:line form editors and terminals turn into links.
 */
export const describeConfigError = (e: ConfigError): string => {
  const where = e.line !== undefined ? `${e.file}:${e.line}` : e.file;
  const lines = [`config error in ${where}`, `  ${e.message}`];
  if (e.key !== undefined) lines.push(`  key: ${e.key}`);
  lines.push(`  fix: ${e.fix}`);
  return lines.join("\n");
};
