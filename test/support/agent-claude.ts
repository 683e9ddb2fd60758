// A world for running the real Claude Code CLI with Claire's hooks and MCP server: temp HOME,
// CLAUDE_CONFIG_DIR, project dir and CLAIRE_HOME; the scripted Messages API stand-in; a real
// `claire serve`; `claire hooks install` and `claude mcp add -s user claire` done as a user would.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClaudeRunOptions, runClaude } from "./claude-runner.ts";
import { BIN, type CliResult, ensureBuilt, PINNED_NODE, runCli, type Served, startServe } from "./cli-run.ts";
import { defaultScript, type FakeAnthropic, type Script, startFakeAnthropic } from "./fake-anthropic.ts";

export const RUN_LIMIT_MS = 60_000;

export type ClaudeWorld = {
  readonly root: string;
  readonly home: string;
  readonly configDir: string;
  readonly proj: string;
  readonly claireHome: string;
  readonly fake: FakeAnthropic;
  readonly server: Served | null;
  /** Replaces the stand-in's script. */
  setScript(script: Script): void;
  /** Options for a claude run in this world (CLAIRE_HOME set, MCP tools listed in `tools`). */
  opts(args: string[], extra?: Partial<ClaudeRunOptions>): ClaudeRunOptions;
  /** The Claire CLI, with this world's CLAIRE_HOME and CLAUDE_CONFIG_DIR. */
  claire(args: readonly string[]): Promise<CliResult>;
  /** A request to the running server's API. */
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    actor?: string,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
};

export const createClaudeWorld = async (opts: { server?: boolean } = {}): Promise<ClaudeWorld> => {
  ensureBuilt();
  // realpath: claude records the resolved cwd (matters where /tmp is a symlink).
  const root = realpathSync(mkdtempSync(join(tmpdir(), "claire-agent-")));
  const [home, configDir, proj, claireHome] = ["home", "cfg", "proj", "claire"].map((d) => join(root, d)) as [
    string,
    string,
    string,
    string,
  ];
  for (const d of [home, configDir, proj, claireHome]) mkdirSync(d, { recursive: true });
  let script: Script = defaultScript;
  const fake = await startFakeAnthropic((call) => script(call));
  const cliEnvExtra = { CLAUDE_CONFIG_DIR: configDir };
  const server = opts.server === false ? null : await startServe(claireHome, ["--port", "0"], cliEnvExtra);
  const claire = (args: readonly string[]) =>
    runCli(args, { home: claireHome, env: { ...cliEnvExtra, CLAIRE_LOG_LEVEL: "warn" } });
  const world: ClaudeWorld = {
    root,
    home,
    configDir,
    proj,
    claireHome,
    fake,
    server,
    setScript: (s) => {
      script = s;
    },
    opts: (args, extra = {}) => ({
      args,
      cwd: proj,
      home,
      configDir,
      baseUrl: fake.url,
      timeoutMs: RUN_LIMIT_MS,
      ...extra,
      env: { CLAIRE_HOME: claireHome, ENABLE_TOOL_SEARCH: "false", ...extra.env },
    }),
    claire,
    api: async (method, path, body, actor = "human:alice@laptop") => {
      if (!server) throw new Error("this world runs no server");
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          "x-claire-actor": actor,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    },
    close: async () => {
      await server?.stop();
      await fake.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return world;
};

/** `claire hooks install` (user scope) and `claude mcp add -s user claire`, as docs/agents.md says. */
export const setUpAgents = async (w: ClaudeWorld): Promise<{ install: CliResult; settings: unknown }> => {
  const install = await w.claire(["hooks", "install", "--json"]);
  if (install.code !== 0) throw new Error(`hooks install failed: ${install.stderr}`);
  // The line install prints, word for word (it names this Claire home: CLAIRE_HOME is set).
  const line = (install.json as { mcpCommand: string }).mcpCommand;
  const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  if (words[0] !== "claude" || !words.includes(`CLAIRE_HOME=${w.claireHome}`))
    throw new Error(`unexpected mcp add line: ${line}`);
  const add = await runClaude(w.opts(words.slice(1)));
  if (add.code !== 0) throw new Error(`claude mcp add failed: ${add.stderr}`);
  return { install, settings: JSON.parse(readFileSync(join(w.configDir, "settings.json"), "utf8")) };
};

export { BIN, PINNED_NODE };
