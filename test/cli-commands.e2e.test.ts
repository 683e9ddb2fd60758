// Every command of the README's CLI usage, run as the real CLI in a subprocess, twice: through a
// running `claire serve` and in-process (no server). Both modes' --json output must be equal once
// ids and times are normalised; exit codes and human output are checked in both modes.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNormaliser } from "./support/cli-normalise.ts";
import {
  ANSI,
  BIN,
  cliEnv,
  closedPort,
  ensureBuilt,
  killAllServes,
  PINNED_NODE,
  runCli,
  type Served,
  startServe,
  tempHome,
} from "./support/cli-run.ts";
import { runScenario, type Step, seedSessions, startLiveProcesses } from "./support/cli-scenario.ts";

type Mode = "server" | "in-process";
const MODES: readonly Mode[] = ["server", "in-process"];

const homes = {} as Record<Mode, string>;
const steps: Record<Mode, Step[]> = { server: [], "in-process": [] };
let served: Served | null = null;
let deadPeer = "";
let live: ReturnType<typeof startLiveProcesses> | null = null;

beforeAll(async () => {
  ensureBuilt();
  deadPeer = `http://127.0.0.1:${await closedPort()}`;
  live = startLiveProcesses(2);
  const [busy, idle] = live.pids as [number, number];
  for (const mode of MODES) {
    const home = tempHome(`claire-cli-${mode}-`);
    homes[mode] = home;
    // init and the first pull are part of each transcript, both run before any server: the
    // server's own scan then finds nothing new, so both modes start from the same events.
    const init = await runCli(["init", "--json"], { home });
    expect(init.code, init.stderr).toBe(0);
    steps[mode].push({ label: "init", result: init });
    seedSessions(home, { busy, idle });
    const pull = await runCli(["pull", "--json"], { home });
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json).toMatchObject({ sessions: 3, live: 2, errors: [] });
    steps[mode].push({ label: "pull", result: pull });
  }
  served = await startServe(homes.server);
});

afterAll(async () => {
  if (served) await served.stop();
  await killAllServes();
  live?.stop();
  for (const home of Object.values(homes)) rmSync(home, { recursive: true, force: true });
});

const run = (mode: Mode, args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { home: homes[mode], env });

describe.each(MODES)("%s", (mode) => {
  it("runs every command of the README's usage section", async () => {
    const before = mode === "server" ? served!.requests().length : 0;
    await runScenario({ home: homes[mode], deadPeer, steps: steps[mode] });
    if (mode === "server") {
      // The API commands went over HTTP: the server logged their requests.
      const reqs = served!.requests().slice(before);
      const seen = new Set(reqs.map((r) => `${r.method} ${r.path.replace(/\/[0-9a-f-]{8,}/g, "/:id")}`));
      for (const route of [
        "GET /api/v1/status",
        "GET /api/v1/machines",
        "POST /api/v1/projects",
        "PATCH /api/v1/projects/:id",
        "POST /api/v1/projects/:id/archive",
        "POST /api/v1/tasks",
        "GET /api/v1/tasks",
        "POST /api/v1/tasks/:id/status",
        "POST /api/v1/tasks/:id/dependencies",
        "GET /api/v1/tasks/ready",
        "POST /api/v1/tasks/next",
        "GET /api/v1/sessions",
        "POST /api/v1/assignments",
        "POST /api/v1/claims",
        "POST /api/v1/groups",
        "POST /api/v1/updates",
        "POST /api/v1/messages",
        "POST /api/v1/broadcast",
        "GET /api/v1/inbox",
        "POST /api/v1/inbox/ack",
        "POST /api/v1/sync/run",
      ])
        expect(seen, route).toContain(route);
      expect(reqs.every((r) => r.status < 500)).toBe(true);
    }
  });

  it("tables have headers and aligned columns, with no ANSI escapes off a terminal", async () => {
    const table = async (args: string[], header: RegExp) => {
      const r = await run(mode, args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(ANSI);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(header);
      expect(lines.length).toBeGreaterThan(1);
      return lines;
    };
    const projects = await table(
      ["project", "list"],
      /^ID\s+NAME\s+TODO\s+DOING\s+BLOCKED\s+DONE\s+UPDATED$/,
    );
    // Columns line up: each row's name starts where the NAME header does.
    const nameAt = projects[0]!.indexOf("NAME");
    for (const row of projects.slice(1)) expect(row.slice(nameAt)).toMatch(/^(Payments API|Web site)/);
    await table(["task", "list"], /^ID\s+STATUS\s+PRI\s+TITLE\s+OWNER\s+LABELS$/);
    await table(["task", "ls", "-s", "done"], /^ID\s+STATUS/);
    const sessions = await table(["sessions", "list"], /^ID\s+MACHINE\s+STATE\s+DIR\s+.*\bLAST\b.*\bCOST$/);
    expect(sessions[1]).toMatch(/^5d1e1111\s/);
    expect(sessions.join("\n")).toMatch(/ago/); // relative times
    await table(["group", "list"], /^NAME\s+RULES\s+MEMBERS\s+REACHES$/);
    await table(["updates"], /^WHEN\s+KIND\s+BY\s+TEXT$/);
    await table(["token", "list"], /^ID\s+NAME\s+CREATED\s+LAST USED\s+STATUS$/);
    const machines = await table(["machines"], /^ID\s+NAME\s+GROUPS\s+LAST EVENT$/);
    expect(machines[1]).toMatch(/ \(this\)\s/);
    const status = await run(mode, ["status"]);
    expect(status.stdout).toMatch(/^sessions\s+3 total: 1 working, 0 waiting, 1 idle, 1 ended/m);
  });

  it("prints text from the log with its control characters escaped, so it cannot drive the terminal", async () => {
    const evil = "Clear\u001b[2J\u001b]0;owned\u0007 then\roverwrite";
    const add = await run(mode, ["task", "add", "Escapes", "-p", "Payments API", "-d", evil, "--json"]);
    expect(add.code, add.stderr).toBe(0);
    const { id } = add.json as { id: string };
    const shown = await run(mode, ["task", "show", id]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("Clear\\u001b[2J\\u001b]0;owned\\u0007 then\\u000doverwrite");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no raw control character may be printed
    expect(shown.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    // --json keeps the text exactly (JSON escapes it its own way).
    expect(
      ((await run(mode, ["task", "show", id, "--json"])).json as { description: string }).description,
    ).toBe(evil);
    const refused = await run(mode, ["project", "show", "No\u001b[2JSuch"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("No\\u001b[2JSuch");
    expect(refused.stderr).not.toContain("\u001b");
  });

  it("refusals exit 1 with the reason on stderr and nothing on stdout", async () => {
    const tasks = (await run(mode, ["task", "list", "--json"])).json as {
      tasks: { id: string; handle: string }[];
    };
    const [a, b] = tasks.tasks;
    let common = 0;
    while (a!.id[common] === b!.id[common]) common++;
    const refusals: [string[], RegExp][] = [
      [["task", "show", "ffffffff"], /no task matches 'ffffffff'/],
      [
        ["project", "show", "No Such Project"],
        /no project matches 'No Such Project'\n {2}see which there are: claire project list\n/,
      ],
      [
        ["task", "add", "x", "-p", "nope"],
        /no project matches 'nope'\n {2}see which there are: claire project list\n/,
      ],
      [["sessions", "show", "99999999"], /no session matches/],
      [["group", "show", "nobody"], /no group matches/],
      [["token", "revoke", "never-made"], /never-made/],
      [["peer", "remove", "nowhere"], /no peer 'nowhere'/],
      // ambiguous prefixes name the matches
      [["task", "show", a!.id.slice(0, common)], new RegExp(`matches several tasks: .*${a!.handle}`)],
      [
        ["sessions", "show", "5d1e"],
        /'5d1e' matches several sessions: (5d1e1111, 5d1e3333|5d1e3333, 5d1e1111)/,
      ],
    ];
    for (const [args, message] of refusals) {
      for (const json of [[], ["--json"]]) {
        const r = await run(mode, [...args, ...json]);
        expect({ args, code: r.code, stdout: r.stdout }, r.stderr).toEqual({ args, code: 1, stdout: "" });
        expect(r.stderr).toMatch(/^claire: /);
        expect(r.stderr).toMatch(message);
      }
    }
  });

  it("assigning a task to an ended session says that it gets it only if resumed", async () => {
    const add = await run(mode, ["task", "add", "For the ended one", "-p", "Payments API", "--json"]);
    const { id } = add.json as { id: string };
    const ended = await run(mode, ["assign", id, "5d1e3333"]);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toMatch(/that session has ended: it gets the task if it is resumed/);
    const live = await run(mode, ["assign", id, "5d1e1111"]);
    expect(live.stdout).not.toMatch(/has ended/);
  });

  it("updates --since takes an ISO date or a duration, as export does", async () => {
    const all = (await run(mode, ["updates", "--json"])).json as unknown[];
    expect(all.length).toBeGreaterThan(0);
    for (const since of ["7d", "12h", new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)]) {
      const r = await run(mode, ["updates", "--since", since, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toEqual(all);
    }
    expect((await run(mode, ["updates", "--since", "2099-01-01", "--json"])).json).toEqual([]);
  });

  it("usage errors exit 2", async () => {
    const usage: [string[], RegExp][] = [
      [["frobnicate"], /unknown command 'frobnicate'/],
      [["project", "frob"], /unknown command 'frob'/],
      [["project"], /Usage: claire project/],
      [["project", "add"], /missing required argument 'name'/],
      [["task", "dep", "add", "abc"], /missing required argument 'dependsOn'/],
      [["task", "add", "x"], /required option '-p, --project <project>' not specified/],
      [["task", "list", "--limit", "lots"], /--limit must be a whole number of at least 1, got 'lots'/],
      [["sessions", "list", "--limit", "-1"], /--limit must be a whole number/],
      [["--bogus"], /unknown option '--bogus'/],
      [["project", "show", ""], /an empty id names nothing/],
      [
        ["task", "edit", "abc"],
        /say what to change: --title, --description, --priority, --project, --add-label, --remove-label/,
      ],
      [["project", "edit", "Payments API"], /say what to change: --name, --description/],
      [["group", "edit", "backend"], /say what to change: --description, --add-rule/],
      [["doctor", "--timeout", "abc"], /--timeout must be a whole number of at least 1/],
      [["doctor", "--timeout", "0"], /--timeout must be a whole number of at least 1/],
      [["serve", "--host", "", "--port", "0"], /--host must name an address/],
      [
        ["broadcast", "group:", "x"],
        /'group:' is not a broadcast target: all, group:<name> or machine:<id\|name>\n {2}to one session: claire msg/,
      ],
      [["task", "list", "--limit", "0"], /--limit must be a whole number of at least 1, got '0'/],
      [
        ["task", "add", "x", "-p", "Payments API", "--priority", "extreme"],
        /--priority must be one of low, normal, high, urgent; got 'extreme'/,
      ],
      [
        ["task", "list", "-s", "todo,bogus"],
        /--status must be among todo, in_progress, blocked, done, cancelled; got 'bogus'/,
      ],
      [
        ["sessions", "list", "-s", "sleeping"],
        /--state must be among working, waiting, idle, ended, unknown; got 'sleeping'/,
      ],
      [["updates", "--limit", "x"], /--limit must be a whole number/],
      [["updates", "--since", "yesterday"], /--since wants an ISO date or time .* or a duration \(7d, 12h\)/],
      [["task", "show", " "], /an empty id names nothing/],
      [["sessions", "show", ""], /an empty id names nothing/],
      [["project", "list", "--bogus"], /unknown option '--bogus'/],
      [["task", "next"], /say which session: --session <id>/],
      [["inbox"], /say which session/],
      [["update", "schema migrated"], /say what the update is about: --task, --project or --session/],
      [["--server", "not a url", "status"], /'not a url' is not a URL/],
      [["peer", "add", "ftp://x"], /http or https/],
    ];
    for (const [args, message] of usage) {
      const r = await run(mode, args);
      expect({ args, code: r.code, stdout: r.stdout }, r.stderr).toEqual({ args, code: 2, stdout: "" });
      expect(r.stderr).toMatch(message);
    }
  });

  it("a named server that does not answer exits 3", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    for (const [args, env] of [
      [["--server", url, "status"], {}],
      [["--server", url, "task", "add", "x", "-p", "Payments API", "--json"], {}],
      [["project", "list"], { CLAIRE_SERVER: url }],
    ] as [string[], Record<string, string>][]) {
      const r = await run(mode, args, env);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 3, stdout: "" });
      expect(r.stderr).toContain(`no Claire server answers at ${url}`);
    }
  });
});

describe("both modes", () => {
  it("print equal --json output once ids and times are normalised", () => {
    const transcript = (mode: Mode) => {
      const n = createNormaliser({ [homes[mode]]: "<home>" });
      return steps[mode].map(({ label, result }: Step) => ({
        label,
        code: result.code,
        out: result.json === undefined ? n.text(result.stdout) : n.value(result.json),
        err: n.text(result.stderr),
      }));
    };
    const server = transcript("server");
    const local = transcript("in-process");
    // CLI_E2E_DUMP=<file> writes both normalised transcripts there, to read a difference whole.
    if (process.env.CLI_E2E_DUMP)
      writeFileSync(process.env.CLI_E2E_DUMP, JSON.stringify({ server, local }, null, 1));
    expect(server.length).toBeGreaterThan(70);
    expect(local.map((s) => s.label)).toEqual(server.map((s) => s.label));
    for (let i = 0; i < server.length; i++) expect(local[i], `step ${server[i]!.label}`).toEqual(server[i]);
  });
});

describe("colour on a terminal", () => {
  // `script` (util-linux) runs the CLI on a pseudo-terminal: the only way to be a TTY here.
  const hasScript = (() => {
    try {
      execFileSync("script", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  // Without `script` this shows as skipped (never as passed).
  it.runIf(hasScript)("uses colour on a TTY and none with NO_COLOR", async () => {
    const onTty = (env: Record<string, string>) => {
      const cmd = `'${PINNED_NODE}' '${BIN}' project list`;
      return execFileSync("script", ["-qec", cmd, "/dev/null"], {
        env: cliEnv(homes["in-process"], env),
        encoding: "utf8",
      });
    };
    const coloured = onTty({});
    expect(coloured).toMatch(ANSI);
    expect(coloured).toMatch(/Payments API/);
    const plain = onTty({ NO_COLOR: "1" });
    expect(plain).not.toMatch(ANSI);
    expect(plain).toMatch(/^ID\s+NAME/m);
  });
});
