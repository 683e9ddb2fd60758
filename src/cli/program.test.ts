import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram, COMMAND_GROUPS, commandGroupOf } from "./program.ts";

const topLevelNames = (cmd: Command): string[] =>
  cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]).sort();

describe("COMMAND_GROUPS", () => {
  it("names exactly the commands (and aliases) each function registers", () => {
    for (const [names, register] of COMMAND_GROUPS) {
      const scratch = new Command("claire");
      register(scratch);
      expect(topLevelNames(scratch), register.name).toEqual([...names].sort());
    }
  });

  it("covers the whole program, each command once", () => {
    const all = COMMAND_GROUPS.flatMap(([names]) => names);
    expect(new Set(all).size).toBe(all.length);
    expect(topLevelNames(buildProgram())).toEqual([...all].sort());
  });
});

describe("commandGroupOf", () => {
  const group = (argv: string[]) => commandGroupOf(argv)?.[0] ?? null;

  it("finds the group of the command named on the line", () => {
    expect(group(["status", "--json"])).toEqual(["status"]);
    expect(group(["unassign", "abc"])).toEqual(["assign", "unassign", "claim"]);
    expect(group(["--server", "http://127.0.0.1:1", "task", "list"])).toEqual(["task"]);
    expect(group(["--server=http://127.0.0.1:1", "inbox"])).toContain("inbox");
  });

  it("wants the whole tree for help, completion, typos and no command", () => {
    expect(group([])).toBeNull();
    expect(group(["--help"])).toBeNull();
    expect(group(["help", "status"])).toBeNull();
    expect(group(["completion", "bash"])).toBeNull();
    expect(group(["stauts"])).toBeNull();
  });

  it("builds a program that still runs the named command's help", () => {
    const program = buildProgram(["status", "--help"]);
    expect(topLevelNames(program)).toEqual(["status"]);
  });
});
