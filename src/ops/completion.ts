// Shell completion scripts for bash, zsh and fish, generated from the command tree (the same one
// `--help` prints), so every command, subcommand and option completes, and none goes stale.

export type CompletionOption = {
  /** "-p", "--project": every spelling. */
  readonly flags: readonly string[];
  readonly takesValue: boolean;
  readonly description: string;
};

export type CompletionCommand = {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  /** Whether it takes positional arguments (files complete there). */
  readonly takesArgs: boolean;
  readonly options: readonly CompletionOption[];
  readonly commands: readonly CompletionCommand[];
};

type Node = { path: string; cmd: CompletionCommand; options: CompletionOption[] };

/** Every command path ("" for the program, "task", "task dep"...), each with its options plus the global ones. */
const flatten = (root: CompletionCommand): Node[] => {
  // --version belongs to the program alone; --server and the like work after any command.
  const globals = root.options.filter((o) => !o.flags.includes("--version"));
  const out: Node[] = [];
  const walk = (cmd: CompletionCommand, path: string) => {
    out.push({ path, cmd, options: path === "" ? [...cmd.options] : [...cmd.options, ...globals] });
    for (const sub of cmd.commands) walk(sub, path === "" ? sub.name : `${path} ${sub.name}`);
  };
  walk(root, "");
  return out;
};

const names = (c: CompletionCommand) => [c.name, ...c.aliases];
const oneLine = (s: string, max = 90) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const sq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Aliases lead to the same node as the name: "task ls" completes like "task list". */
const resolveAliases = (nodes: Node[]): { key: string; node: Node }[] =>
  nodes.flatMap((n) => {
    if (n.path === "") return [{ key: "", node: n }];
    const parts = n.path.split(" ");
    const parent = parts.slice(0, -1).join(" ");
    return names(n.cmd).map((name) => ({ key: parent ? `${parent} ${name}` : name, node: n }));
  });

// The three tables every shell's script consults: subcommands of a path, options of a path, and
// whether an option of a path takes a value (so the word after it is not a subcommand).
const caseTable = (entries: { key: string; value: string }[], indent = "  "): string =>
  entries.map((e) => `${indent}${sq(e.key)}) echo ${sq(e.value)} ;;`).join("\n");

const posixTables = (root: CompletionCommand, prefix: string): string => {
  const nodes = resolveAliases(flatten(root));
  const subs = nodes
    .filter((e) => e.node.cmd.commands.length > 0)
    .map((e) => ({ key: e.key, value: e.node.cmd.commands.flatMap(names).join(" ") }));
  const opts = nodes.map((e) => ({
    key: e.key,
    value: e.node.options
      .flatMap((o) => o.flags)
      .concat("--help")
      .join(" "),
  }));
  const valued = nodes.flatMap((e) =>
    e.node.options.filter((o) => o.takesValue).flatMap((o) => o.flags.map((f) => `${e.key}|${f}`)),
  );
  return `${prefix}_subs() {
  case "$1" in
${caseTable(subs)}
  esac
}
${prefix}_opts() {
  case "$1" in
${caseTable(opts)}
  esac
}
${prefix}_valued() {
  case "$1|$2" in
${valued.length > 0 ? `    ${valued.map(sq).join("|")}) return 0 ;;` : ""}
  esac
  return 1
}`;
};

export const bashCompletion = (
  root: CompletionCommand,
  bin = "claire",
): string => `# ${bin} completion for bash. Load it now:   source <(${bin} completion bash)
# or for every shell:   ${bin} completion bash > ~/.local/share/bash-completion/completions/${bin}
${posixTables(root, "_claire")}
_claire_path() {
  # The command path typed so far (e.g. "task dep"), skipping options and their values.
  local i w cpath=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == -* ]]; then
      _claire_valued "$cpath" "$w" && ((i++))
      continue
    fi
    [[ " $(_claire_subs "$cpath") " == *" $w "* ]] && cpath="\${cpath:+$cpath }$w"
  done
  printf '%s' "$cpath"
}
_claire() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cpath
  cpath="$(_claire_path)"
  if [[ "$prev" == -* ]] && _claire_valued "$cpath" "$prev"; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_claire_opts "$cpath")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_claire_subs "$cpath")" -- "$cur"))
  fi
}
complete -o default -o bashdefault -F _claire ${bin}
`;

const described = (root: CompletionCommand, pick: (n: Node) => { word: string; description: string }[]) =>
  resolveAliases(flatten(root)).map((e) => ({
    key: e.key,
    value: pick(e.node)
      .map((x) => `${x.word.replaceAll(":", "\\:")}:${oneLine(x.description)}`)
      .join("\n"),
  }));

export const zshCompletion = (root: CompletionCommand, bin = "claire"): string => {
  const subs = described(root, (n) =>
    n.cmd.commands.flatMap((c) => names(c).map((word) => ({ word, description: c.description }))),
  ).filter((e) => e.value !== "");
  const opts = described(root, (n) => [
    ...n.options.flatMap((o) => o.flags.map((word) => ({ word, description: o.description }))),
    { word: "--help", description: "show help" },
  ]);
  return `#compdef ${bin}
# ${bin} completion for zsh. Load it now:   source <(${bin} completion zsh)
# or for every shell: ${bin} completion zsh > "\${fpath[1]}/_${bin}"  (then restart zsh)
${posixTables(root, "_claire")}
_claire_subs_described() {
  case "$1" in
${caseTable(subs, "  ")}
  esac
}
_claire_opts_described() {
  case "$1" in
${caseTable(opts, "  ")}
  esac
}
_claire() {
  local i w cpath="" cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local -a items
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    if [[ "$w" == -* ]]; then
      _claire_valued "$cpath" "$w" && ((i++))
      continue
    fi
    [[ " $(_claire_subs "$cpath") " == *" $w "* ]] && cpath="\${cpath:+$cpath }$w"
  done
  if [[ "$prev" == -* ]] && _claire_valued "$cpath" "$prev"; then
    _files
    return
  fi
  if [[ "$cur" == -* ]]; then
    items=("\${(@f)$(_claire_opts_described "$cpath")}")
    _describe -t options 'option' items
  else
    items=("\${(@f)$(_claire_subs_described "$cpath")}")
    if [[ -n "\${items[1]}" ]]; then _describe -t commands 'command' items; else _files; fi
  fi
}
if [[ "$funcstack[1]" == "_claire" ]]; then _claire "$@"; else compdef _claire ${bin}; fi
`;
};

const fishQuote = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

export const fishCompletion = (root: CompletionCommand, bin = "claire"): string => {
  const nodes = flatten(root);
  const aliased = resolveAliases(nodes);
  const subsCases = aliased
    .filter((e) => e.node.cmd.commands.length > 0)
    .map(
      (e) =>
        `        case ${fishQuote(e.key)}\n            echo ${e.node.cmd.commands.flatMap(names).join(" ")}`,
    )
    .join("\n");
  const valued = aliased.flatMap((e) =>
    e.node.options.filter((o) => o.takesValue).flatMap((o) => o.flags.map((f) => fishQuote(`${e.key}|${f}`))),
  );
  const spelling = (o: CompletionOption) =>
    o.flags.map((f) => (f.startsWith("--") ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(" ");
  const lines: string[] = [];
  for (const e of aliased) {
    const cond = `-n ${fishQuote(`__claire_at ${fishQuote(e.key)}`)}`;
    for (const c of e.node.cmd.commands)
      for (const word of names(c))
        lines.push(
          `complete -c ${bin} -f ${cond} -a ${fishQuote(word)} -d ${fishQuote(oneLine(c.description, 60))}`,
        );
    if (e.node.cmd.commands.length === 0 && e.node.cmd.takesArgs) lines.push(`complete -c ${bin} ${cond} -F`);
    const own = e.key === "" ? [] : e.node.options.filter((o) => !root.options.includes(o));
    for (const o of own)
      lines.push(
        `complete -c ${bin} ${cond} ${spelling(o)}${o.takesValue ? " -r -F" : ""} -d ${fishQuote(oneLine(o.description, 60))}`,
      );
  }
  for (const o of root.options)
    lines.push(
      `complete -c ${bin} ${spelling(o)}${o.takesValue ? " -r" : ""} -d ${fishQuote(oneLine(o.description, 60))}`,
    );
  return `# ${bin} completion for fish. Load it now:   ${bin} completion fish | source
# or for every shell:   ${bin} completion fish > ~/.config/fish/completions/${bin}.fish
function __claire_subs
    switch $argv[1]
${subsCases}
    end
end
function __claire_path
    # The command path typed so far (e.g. "task dep"), skipping options and their values.
    set -l words (commandline -opc)
    set -e words[1]
    set -l cpath ''
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
            continue
        end
        if string match -q -- '-*' $w
            if contains -- "$cpath|$w" ${valued.join(" ")}
                set skip 1
            end
            continue
        end
        if contains -- $w (string split ' ' -- (__claire_subs "$cpath"))
            if test -z "$cpath"
                set cpath $w
            else
                set cpath "$cpath $w"
            end
        end
    end
    echo $cpath
end
function __claire_at
    set -l p (__claire_path)
    test "$p" = "$argv[1]"
end
complete -c ${bin} -f
${lines.join("\n")}
`;
};

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

export const completionScript = (shell: Shell, root: CompletionCommand, bin = "claire"): string =>
  shell === "bash"
    ? bashCompletion(root, bin)
    : shell === "zsh"
      ? zshCompletion(root, bin)
      : fishCompletion(root, bin);
