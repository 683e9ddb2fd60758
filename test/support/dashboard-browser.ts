// Driving Debian's Chromium with playwright-core for the dashboard's end-to-end suite, and the
// fixtures it needs on disk: Claude Code transcripts and live pid files in a home's ~/.claude (so the
// real session discovery of `claire serve` finds sessions), and a claire.toml with a name and a
// short sync interval.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

// Browser globals, for the functions page.evaluate runs in Chromium (this project has no DOM lib).
// biome-ignore lint/suspicious/noExplicitAny: the page's DOM is untyped here; each use reads a field or two.
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
declare const window: any;
// biome-ignore lint/suspicious/noExplicitAny: as above.
declare const getComputedStyle: any;

export const CHROMIUM = process.env.CLAIRE_CHROMIUM ?? "/usr/bin/chromium";

/** Root, closed network: no sandbox, no GPU, nothing that phones home. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** One line that says what to install (the suite fails with it under CI, and skips with it elsewhere). */
export const MISSING_CHROMIUM = `Chromium not found at ${CHROMIUM}: apt-get install chromium`;

export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** A browser with a fresh profile (playwright makes a temporary user-data-dir per launch). */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });

/** Waits until the page's live connection is open. */
export const waitLive = (page: Page) =>
  page.waitForFunction(() => document.getElementById("live-status")?.dataset.state === "live", null, {
    timeout: 10_000,
  });

/** Presses Tab until the element with this id has focus (keyboard only), at most `max` times. */
export const tabTo = async (page: Page, id: string, max = 200): Promise<void> => {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached #${id}`);
};

export const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);

/** Marks the document, to prove later that it was updated in place rather than reloaded. */
export const markDocument = (page: Page) =>
  page.evaluate(() => {
    (window as unknown as { __claireMark: number }).__claireMark = 1;
  });
export const stillMarked = (page: Page) =>
  page.evaluate(() => (window as unknown as { __claireMark?: number }).__claireMark === 1);

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve("axe-core/axe.min.js");

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown }[] };

/** Runs axe-core in the page; the context must bypass CSP (the dashboard allows no injected script). */
export const axeViolations = async (page: Page): Promise<AxeViolation[]> => {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
};

export type FakeSession = {
  readonly sessionId: string;
  readonly cwd: string;
  readonly title: string;
  /** A live state through a Claude Code pid file (a sleeping process stands in), or ended. */
  readonly state: "working" | "waiting" | "idle" | "ended";
};

/**
 * Writes a transcript for each session under <home>/.claude/projects and, for running ones, a
 * `<pid>.json` in <home>/.claude/sessions whose pid is a real (sleeping) process. Returns the
 * processes, to be killed after the suite.
 */
export const writeClaudeSessions = (home: string, sessions: readonly FakeSession[]): ChildProcess[] => {
  const claude = join(home, ".claude");
  mkdirSync(join(claude, "sessions"), { recursive: true });
  const sleepers: ChildProcess[] = [];
  sessions.forEach((s, i) => {
    const dir = join(claude, "projects", s.cwd.replaceAll("/", "-"));
    mkdirSync(dir, { recursive: true });
    const at = new Date(Date.now() - i * 60_000).toISOString();
    const base = {
      parentUuid: null,
      isSidechain: false,
      userType: "external",
      cwd: s.cwd,
      sessionId: s.sessionId,
      version: "2.1.330",
      gitBranch: "main",
      timestamp: at,
    };
    const lines = [
      { type: "custom-title", customTitle: s.title, sessionId: s.sessionId },
      { ...base, uuid: `u-${i}-1`, type: "user", message: { role: "user", content: `Work on ${s.title}` } },
      {
        ...base,
        uuid: `u-${i}-2`,
        type: "assistant",
        requestId: `req_${i}`,
        message: {
          id: `msg_${i}`,
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5-20250929",
          content: [{ type: "text", text: "On it." }],
          usage: {
            input_tokens: 1000 + i,
            output_tokens: 400,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 20_000,
          },
        },
      },
    ];
    writeFileSync(join(dir, `${s.sessionId}.jsonl`), `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    if (s.state === "ended") return;
    const sleeper = spawn("sleep", ["900"], { stdio: "ignore" });
    sleepers.push(sleeper);
    const status = s.state === "working" ? "busy" : s.state;
    writeFileSync(
      join(claude, "sessions", `${sleeper.pid}.json`),
      JSON.stringify({
        pid: sleeper.pid,
        sessionId: s.sessionId,
        cwd: s.cwd,
        version: "2.1.330",
        status,
        ...(s.state === "waiting" && { waitingFor: "permission" }),
        startedAt: Date.now() - 60_000,
        updatedAt: Date.now(),
      }),
    );
  });
  return sleepers;
};

/** Names the machine and shortens the sync interval in a home's claire.toml (after `claire init`). */
export const tuneConfig = (home: string, name: string): void => {
  const path = join(home, "claire.toml");
  const text = readFileSync(path, "utf8")
    .replace(/^machine_name = .*$/m, `machine_name = "${name}"`)
    .replace("# [sync]\n# interval_seconds = 15", "[sync]\ninterval_seconds = 1");
  writeFileSync(path, text);
};
