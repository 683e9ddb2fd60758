// claire token create|list|revoke: API tokens this machine accepts (local; stored hashed).
import type { Command } from "commander";
import { output } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { color, relativeTime, table } from "../format.ts";

const local = async () => {
  const { openLocalClaire } = await import("../../runtime/local-claire.ts");
  const { describeConfigError } = await import("../../config/index.ts");
  const { describeError } = await import("../../domain/errors.ts");
  const opened = openLocalClaire({ init: true });
  if (!opened.ok) throw new CliError(describeConfigError(opened.error), EXIT.user);
  return { claire: opened.value, describeError };
};

/** token-<date>, or token-<date>-2, -3... when that name is taken by an active token. */
const defaultName = (tokens: readonly { name: string; revokedAt: string | null }[]): string => {
  const base = `token-${new Date().toISOString().slice(0, 10)}`;
  const taken = new Set(tokens.filter((t) => t.revokedAt === null).map((t) => t.name));
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
};

export const registerToken = (program: Command): void => {
  const token = program
    .command("token")
    .description("API tokens other machines (and remote clients) use to reach this one");
  token
    .command("create [name]")
    .description("Make a token; it is printed once and only its hash is kept")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nThen on the other machine:\n  claire peer add http://<this machine>:8765 --token <the token>",
    )
    .action(async (name: string | undefined, _o: unknown, cmd: Command) => {
      const { claire, describeError } = await local();
      try {
        const r = claire.service.createToken(name ?? defaultName(claire.service.listTokens()));
        if (!r.ok) throw new CliError(describeError(r.error), EXIT.user);
        output(cmd, r.value, (t) =>
          [
            `${t.token}`,
            color.dim(`token '${t.name}' created; it is shown only now: store it where the peer can use it.`),
          ].join("\n"),
        );
      } finally {
        claire.close();
      }
    });
  token
    .command("list")
    .alias("ls")
    .description("Tokens (names and dates only; secrets are never stored)")
    .option("--json", "print JSON")
    .action(async (_o: unknown, cmd: Command) => {
      const { claire } = await local();
      const list = claire.service.listTokens();
      claire.close();
      output(cmd, list, (ts) =>
        ts.length === 0
          ? "no tokens: claire token create <name>"
          : table(
              ["ID", "NAME", "CREATED", "LAST USED", "STATUS"],
              ts.map((t) => [
                t.id.slice(-8),
                t.name,
                relativeTime(t.createdAt),
                relativeTime(t.lastUsedAt),
                t.revokedAt ? color.dim("revoked") : color.green("active"),
              ]),
            ),
      );
    });
  token
    .command("revoke <token>")
    .description("Revoke a token by name or id: requests with it are refused from now on")
    .option("--json", "print JSON")
    .action(async (which: string, _o: unknown, cmd: Command) => {
      const { claire, describeError } = await local();
      try {
        const r = claire.service.revokeToken(which);
        if (!r.ok) throw new CliError(describeError(r.error), EXIT.user);
        output(cmd, r.value, (t) => `revoked token '${t.name}'`);
      } finally {
        claire.close();
      }
    });
};
