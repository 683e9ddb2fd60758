// Exit codes, and the one place where errors become them (documented in the README).
export const EXIT = {
  ok: 0,
  /** The request was understood but refused: bad input, unknown id, conflict. */
  user: 1,
  /** The command line itself was wrong. */
  usage: 2,
  /** A server named by --server or CLAIRE_SERVER did not answer. */
  unreachable: 3,
  /** Something broke inside Claire; the message says what. */
  internal: 4,
} as const;

const CLI_ERROR = Symbol.for("claire.CliError");

export class CliError extends Error {
  readonly [CLI_ERROR] = true;
  /**
   * The CLI and the code it loads for local work are two bundles that each hold a copy of this
   * module (scripts/build.mjs), so an error thrown by one copy is recognised by its brand.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && CLI_ERROR in value;
  }
  readonly exitCode: number;
  readonly details: readonly string[];
  constructor(message: string, exitCode: number = EXIT.user, details: readonly string[] = []) {
    super(message);
    this.exitCode = exitCode;
    this.details = details;
  }
}
