// `claire completion bash|zsh|fish`: scripts generated from the command tree, checked by the real
// shells (Debian's bash, zsh and fish): they parse, and typing a partial command line completes
// subcommands at any depth, options of the command typed, and files after options that take one.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { completionModel } from "../src/cli/commands/completion.ts";
import { buildProgram } from "../src/cli/program.ts";
import { completionScript, SHELLS } from "../src/ops/completion.ts";
import { tempHome } from "./support/cli-run.ts";

const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
for (const shell of SHELLS)
  if (!has(shell) && process.env.CI)
    throw new Error(`${shell} is missing: apt-get install ${shell} (.ci/run installs it)`);

const program = buildProgram();
const model = completionModel(program);
const dir = tempHome("claire-completion-");
const script = (shell: (typeof SHELLS)[number]) => {
  const file = join(dir, `claire.${shell}`);
  writeFileSync(file, completionScript(shell, model));
  return file;
};

const run = (shell: string, code: string) => {
  const r = spawnSync(shell, ["-c", code], {
    encoding: "utf8",
    timeout: 20_000,
    env: { PATH: process.env.PATH, HOME: dir },
  });
  expect(r.stderr, `${shell}: ${code}`).toBe("");
  return r.stdout.trim().split("\n").filter(Boolean);
};

/** Every command path and its options, from the commander tree itself. */
const everyCommand = (cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] => [
  { path, cmd },
  ...cmd.commands.flatMap((c) => everyCommand(c, [...path, c.name()])),
];

describe("completion scripts", () => {
  it("name every command, subcommand and option of the program", () => {
    for (const shell of SHELLS) {
      const text = completionScript(shell, model);
      for (const { path, cmd } of everyCommand(program)) {
        if (path.length > 0) expect(text, `${shell}: ${path.join(" ")}`).toContain(path.at(-1)!);
        for (const o of cmd.options)
          if (o.long) expect(text, `${shell}: ${path.join(" ")} ${o.long}`).toContain(o.long.slice(2));
      }
    }
    expect(model.commands.map((c) => c.name)).toEqual(
      expect.arrayContaining(["service", "doctor", "export", "import", "demo", "completion", "task"]),
    );
  });

  it.skipIf(!has("bash"))("bash: parses and completes", () => {
    const file = script("bash");
    const complete = (...words: string[]) =>
      run(
        "bash",
        `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _claire; printf '%s\\n' "\${COMPREPLY[@]}"`,
      );
    expect(complete("claire", "doc")).toEqual(["doctor"]);
    expect(complete("claire", "task", "d")).toEqual(["done", "dep"]);
    expect(complete("claire", "task", "dep", "")).toEqual(["add", "rm"]);
    expect(complete("claire", "task", "add", "--pr")).toEqual(["--project", "--priority"]);
    expect(complete("claire", "--server", "http://x:1", "service", "")).toEqual([
      "install",
      "uninstall",
      "status",
    ]);
    expect(complete("claire", "service", "install", "--d")).toEqual(["--dry-run"]);
    expect(complete("claire", "export", "--since", "7d", "--o")).toEqual(["--output"]);
    // After an option that takes a value, files.
    expect(complete("claire", "export", "-o", `${dir}/claire.b`)).toEqual([`${dir}/claire.bash`]);
  });

  it.skipIf(!has("zsh"))("zsh: parses and completes", () => {
    const file = script("zsh");
    expect(spawnSync("zsh", ["-n", file]).status).toBe(0);
    // The completion system's builtins stubbed: _describe prints what it was given.
    const complete = (...words: string[]) =>
      run(
        "zsh",
        `compdef(){}; _describe(){ print -l -- "\${(@P)4}"; }; _files(){ print FILES; }; source ${file}; words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}; _claire`,
      );
    expect(complete("claire", "task", "dep", "").map((l) => l.split(":")[0])).toEqual(["add", "rm"]);
    expect(complete("claire", "service", "")).toEqual([
      expect.stringMatching(/^install:Write the systemd --user unit/),
      expect.stringMatching(/^uninstall:/),
      expect.stringMatching(/^status:/),
    ]);
    expect(complete("claire", "doctor", "--")).toEqual(
      expect.arrayContaining(["--json:print JSON", expect.stringMatching(/^--timeout:/), "--help:show help"]),
    );
    expect(complete("claire", "import", "")).toEqual(["FILES"]);
  });

  it.skipIf(!has("fish"))("fish: parses and completes", () => {
    const file = script("fish");
    expect(spawnSync("fish", ["-n", file]).status).toBe(0);
    const complete = (line: string) =>
      run("fish", `source ${file}; complete -C '${line}'`).map((l) => l.split("\t")[0]);
    expect(complete("claire task d")).toEqual(["dep", "done"]);
    expect(complete("claire task dep ")).toEqual(["add", "rm"]);
    expect(complete("claire --server http://x:1 service ")).toEqual(["install", "status", "uninstall"]);
    expect(complete("claire task add --pr")).toEqual(["--priority", "--project"]);
    expect(complete("claire demo --")).toEqual(expect.arrayContaining(["--home", "--port", "--no-activity"]));
    expect(complete(`claire import ${dir}/claire.f`)).toEqual([`${dir}/claire.fish`]);
  });
});
