// claire completion bash|zsh|fish: a completion script generated from this very command tree.
import type { Command, Option } from "commander";
import type { CompletionCommand } from "../../ops/completion.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { writeStdout } from "../stdout.ts";

type Hidden = { _hidden?: boolean; hidden?: boolean };

const optionModel = (o: Option) => ({
  flags: [o.short, o.long].filter((f): f is string => typeof f === "string"),
  takesValue: o.required || o.optional,
  description: o.description,
});

/** The command tree as completion needs it (hidden commands and options left out). */
export const completionModel = (cmd: Command): CompletionCommand => ({
  name: cmd.name(),
  aliases: cmd.aliases(),
  description: cmd.description(),
  takesArgs: cmd.registeredArguments.length > 0,
  options: cmd.options.filter((o) => !(o as Hidden).hidden).map(optionModel),
  commands: cmd.commands.filter((c) => !(c as unknown as Hidden)._hidden).map(completionModel),
});

export const registerCompletion = (program: Command): void => {
  program
    .command("completion <shell>")
    .description("Print a completion script for bash, zsh or fish (commands, subcommands, options)")
    .addHelpText(
      "after",
      `
Load it in the current shell:
  source <(claire completion bash)          # bash
  source <(claire completion zsh)           # zsh
  claire completion fish | source           # fish
Install it for every new shell:
  claire completion bash > ~/.local/share/bash-completion/completions/claire
  claire completion zsh > "\${fpath[1]}/_claire"
  claire completion fish > ~/.config/fish/completions/claire.fish`,
    )
    .action(async (shell: string, _o: unknown, cmd: Command) => {
      const { SHELLS, completionScript } = await import("../../ops/completion.ts");
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new CliError(`no completion for '${shell}': choose bash, zsh or fish`, EXIT.usage);
      let root = cmd;
      while (root.parent) root = root.parent;
      writeStdout(completionScript(shell as (typeof SHELLS)[number], completionModel(root)));
    });
};
