// claire group add|list|show|edit
import type { Command } from "commander";
import type { Group } from "../../domain/group.ts";
import { enc, output, requireChange, withApi } from "../command-kit.ts";
import { color, table } from "../format.ts";

const collect = (v: string, acc: string[] = []) => [...acc, v];

const showGroup = (g: Group): string =>
  [
    `${color.bold(g.name)}  ${color.dim(g.id)}`,
    g.description,
    `rules: ${g.rules.length > 0 ? g.rules.join(", ") : "-"}`,
    `members: ${g.members.length > 0 ? g.members.map((m) => m.sessionId).join(", ") : "-"}`,
    `reaches: ${g.reaches.length} live session${g.reaches.length === 1 ? "" : "s"} now${
      g.reaches.length > 0
        ? ` (${g.reaches
            .slice(0, 20)
            .map((s) => s.sessionId.slice(0, 8))
            .join(", ")}${g.reaches.length > 20 ? ", …" : ""})`
        : ""
    }`,
  ]
    .filter(Boolean)
    .join("\n");

export const registerGroup = (program: Command): void => {
  const group = program.command("group").description("Groups of sessions, for broadcasts");
  group
    .command("add <name>")
    .description("Create a group")
    .option("-d, --description <text>", "what the group is for")
    .option(
      "-r, --rule <rule>",
      "machine:<id|handle|name>, cwd:<glob> or project:<id|handle|name> (repeatable)",
      collect,
    )
    .option("--member <session>", "a session to include explicitly (repeatable)", collect)
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExample:\n  claire group add backend -r 'cwd:/home/*/src/api/**' -r machine:buildbox",
    )
    .action(
      async (name: string, o: { description?: string; rule?: string[]; member?: string[] }, cmd: Command) => {
        const g = await withApi(cmd, (a) =>
          a.post<Group>("/groups", { name, description: o.description, rules: o.rule, members: o.member }),
        );
        output(cmd, g, (v) => `created group ${v.name}`);
      },
    );
  group
    .command("list")
    .alias("ls")
    .description("List groups")
    .option("--json", "print JSON")
    .action(async (_o: unknown, cmd: Command) => {
      const gs = await withApi(cmd, (a) => a.get<Group[]>("/groups"));
      output(cmd, gs, (list) =>
        list.length === 0
          ? "no groups yet: claire group add <name> -r <rule>"
          : table(
              ["NAME", "RULES", "MEMBERS", "REACHES"],
              list.map((g) => [
                g.name,
                g.rules.join(" "),
                String(g.members.length),
                String(g.reaches.length),
              ]),
            ),
      );
    });
  group
    .command("show <group>")
    .description("Show a group's rules and members")
    .option("--json", "print JSON")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = await withApi(cmd, (a) => a.get<Group>(`/groups/${enc(id)}`));
      output(cmd, g, showGroup);
    });
  group
    .command("edit <group>")
    .description("Change a group's description, rules or members")
    .option("-d, --description <text>", "new description")
    .option("--add-rule <rule>", "add a rule (repeatable)", collect)
    .option("--remove-rule <rule>", "remove a rule (repeatable)", collect)
    .option("--add-member <session>", "add a session (repeatable)", collect)
    .option("--remove-member <session>", "remove a session (repeatable)", collect)
    .option("--json", "print JSON")
    .action(
      async (
        id: string,
        o: {
          description?: string;
          addRule?: string[];
          removeRule?: string[];
          addMember?: string[];
          removeMember?: string[];
        },
        cmd: Command,
      ) => {
        requireChange(cmd, o);
        const g = await withApi(cmd, (a) =>
          a.patch<Group>(`/groups/${enc(id)}`, {
            description: o.description,
            addRules: o.addRule,
            removeRules: o.removeRule,
            addMembers: o.addMember,
            removeMembers: o.removeMember,
          }),
        );
        output(cmd, g, showGroup);
      },
    );
};
