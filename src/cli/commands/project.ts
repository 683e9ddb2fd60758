// claire project add|list|show|edit|archive|unarchive
import type { Command } from "commander";
import type { Project } from "../../domain/project.ts";
import { enc, output, requireChange, withApi } from "../command-kit.ts";
import { color, relativeTime, table, truncate } from "../format.ts";

export const projectLine = (p: Project): string =>
  `${color.cyan(p.handle)}  ${p.name}${p.archived ? color.dim(" (archived)") : ""}`;

const showProject = (p: Project): string =>
  [
    `${color.bold(p.name)}  ${color.dim(p.id)}${p.archived ? color.yellow("  archived") : ""}`,
    p.description ? `\n${p.description}\n` : "",
    `tasks: ${p.taskCounts.todo} todo, ${p.taskCounts.in_progress} in progress, ${p.taskCounts.blocked} blocked, ${p.taskCounts.done} done, ${p.taskCounts.cancelled} cancelled`,
    `created ${relativeTime(p.createdAt)}, updated ${relativeTime(p.updatedAt)}`,
  ]
    .filter(Boolean)
    .join("\n");

export const registerProject = (program: Command): void => {
  const project = program.command("project").description("Create and manage projects");

  project
    .command("add <name>")
    .description("Create a project")
    .option("-d, --description <text>", "what the project is about")
    .option("--json", "print JSON")
    .addHelpText("after", '\nExample:\n  claire project add "Payments API" -d "Stripe migration"')
    .action(async (name: string, o: { description?: string }, cmd: Command) => {
      const p = await withApi(cmd, (a) => a.post<Project>("/projects", { name, description: o.description }));
      output(cmd, p, (v) => `created project ${projectLine(v)}`);
    });

  project
    .command("list")
    .alias("ls")
    .description("List projects")
    .option("-a, --all", "include archived projects")
    .option("--json", "print JSON")
    .action(async (o: { all?: boolean }, cmd: Command) => {
      const list = await withApi(cmd, (a) => a.get<Project[]>("/projects", { archived: o.all }));
      output(cmd, list, (ps) =>
        ps.length === 0
          ? "no projects yet: claire project add <name>"
          : table(
              ["ID", "NAME", "TODO", "DOING", "BLOCKED", "DONE", "UPDATED"],
              ps.map((p) => [
                color.cyan(p.handle),
                truncate(p.name, 40) + (p.archived ? color.dim(" (archived)") : ""),
                String(p.taskCounts.todo),
                String(p.taskCounts.in_progress),
                String(p.taskCounts.blocked),
                String(p.taskCounts.done),
                relativeTime(p.updatedAt),
              ]),
            ),
      );
    });

  project
    .command("show <project>")
    .description("Show a project (id, short handle, or name)")
    .option("--json", "print JSON")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const p = await withApi(cmd, (a) => a.get<Project>(`/projects/${enc(id)}`));
      output(cmd, p, showProject);
    });

  project
    .command("edit <project>")
    .description("Rename a project or change its description")
    .option("-n, --name <name>", "new name")
    .option("-d, --description <text>", "new description")
    .option("--json", "print JSON")
    .action(async (id: string, o: { name?: string; description?: string }, cmd: Command) => {
      requireChange(cmd, o);
      const p = await withApi(cmd, (a) =>
        a.patch<Project>(`/projects/${enc(id)}`, { name: o.name, description: o.description }),
      );
      output(cmd, p, (v) => `updated project ${projectLine(v)}`);
    });

  for (const [verb, path, done] of [
    ["archive", "archive", "archived"],
    ["unarchive", "unarchive", "unarchived"],
  ] as const) {
    project
      .command(`${verb} <project>`)
      .description(
        verb === "archive"
          ? "Archive a project (hidden from lists, kept forever)"
          : "Bring an archived project back",
      )
      .option("--json", "print JSON")
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const p = await withApi(cmd, (a) => a.post<Project>(`/projects/${enc(id)}/${path}`));
        output(cmd, p, (v) => `${done} project ${projectLine(v)}`);
      });
  }
};
