// First run and `claire demo`: a fresh `claire serve` sets itself up and prints its URL; `claire
// demo` serves a throwaway home whose API (and dashboard pages, where they exist) answer 200 with
// the seeded fleet: three machines, sessions in every state, tasks in every status, updates,
// messages and their deliveries; and the fleet keeps moving while it runs.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT, runCli, tempHome } from "./support/cli-run.ts";
import { getJson, startCli, stopAll } from "./support/ops-spawn.ts";

type Machine = { id: string; name: string; isLocal: boolean };
type Session = {
  machineName: string;
  state: string;
  lastActivity: string;
  tokens: { input: number };
  costUsd: number;
  sessionId: string;
};
type Task = { status: string; labels: string[]; dependsOn: string[]; owner: unknown; title: string };
type Message = { body: string; deliveries: { state: string }[] };

beforeAll(() => ensureBuilt());
afterAll(() => stopAll());

describe("first run", () => {
  it("claire serve on a fresh machine initialises itself and prints the URL", async () => {
    const home = tempHome("claire-first-");
    const s = await startCli(["serve", "--port", "0"], home);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(existsSync(join(home, "claire.toml"))).toBe(true);
      expect(existsSync(join(home, "claire.db"))).toBe(true);
      expect(s.stderr()).toMatch(/initialised this machine/);
      expect((await getJson(`${s.url}/api/v1/health`)).status).toBe(200);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });
});

describe("claire demo", () => {
  it("serves a living demo fleet from a throwaway home, touching nothing else", async () => {
    const home = tempHome("claire-demo-test-");
    const demoHome = join(home, "the demo");
    // CLAIRE_HOME points at a real home the demo must leave alone.
    const s = await startCli(["demo", "--home", demoHome, "--port", "0"], home);
    try {
      expect(s.stdout()).toContain(`Demo home: ${demoHome}`);
      expect(readFileSync(join(demoHome, "claire.toml"), "utf8")).toMatch(/sources = \[\s*\]/);
      expect(existsSync(join(home, "claire.db"))).toBe(false);
      const api = (path: string) => getJson<unknown>(`${s.url}/api/v1${path}`);

      const status = await api("/status");
      expect(status.status).toBe(200);
      const machines = (await api("/machines")).body as Machine[];
      expect(
        machines
          .filter((m) => !m.isLocal)
          .map((m) => m.name)
          .sort(),
      ).toEqual(["buildbox", "gpu-box", "workstation"]);

      const sessions = ((await api("/sessions?limit=100")).body as { sessions: Session[] }).sessions;
      expect(new Set(sessions.map((x) => x.state))).toEqual(new Set(["working", "waiting", "idle", "ended"]));
      for (const m of ["workstation", "buildbox", "gpu-box"]) {
        const mine = sessions.filter((x) => x.machineName === m);
        expect(mine.length, m).toBeGreaterThanOrEqual(3);
        expect(new Set(mine.map((x) => x.state)).size, m).toBeGreaterThanOrEqual(3);
      }
      for (const x of sessions) {
        expect(x.tokens.input).toBeGreaterThan(0);
        expect(x.costUsd).toBeGreaterThan(0);
      }

      const projects = (await api("/projects")).body as { name: string }[];
      expect(projects.map((p) => p.name).sort()).toEqual([
        "CI runners",
        "Mobile app 3.0",
        "Payments API",
        "Search ranking",
      ]);
      const tasks = ((await api("/tasks?limit=100")).body as { tasks: Task[] }).tasks;
      expect(new Set(tasks.map((t) => t.status))).toEqual(
        new Set(["todo", "in_progress", "blocked", "done", "cancelled"]),
      );
      expect(tasks.some((t) => t.dependsOn.length > 0)).toBe(true);
      expect(tasks.filter((t) => t.owner !== null).length).toBeGreaterThanOrEqual(8);
      expect(tasks.every((t) => t.labels.length > 0)).toBe(true);

      const updates = (await api("/updates?limit=100")).body as { kind: string }[];
      expect(new Set(updates.map((u) => u.kind))).toEqual(new Set(["progress", "done", "blocker", "note"]));
      const messages = (await api("/messages")).body as Message[];
      expect(messages).toHaveLength(4);
      expect(new Set(messages.flatMap((m) => m.deliveries.map((d) => d.state)))).toEqual(
        new Set(["pending", "delivered", "acknowledged"]),
      );
      const groups = (await api("/groups")).body as { name: string }[];
      expect(groups.map((g) => g.name)).toEqual(expect.arrayContaining(["payments", "ml", "backend"]));

      // The dashboard (once it exists): its pages, and every page they link to, answer 200 and
      // show the seeded fleet.
      if (existsSync(join(ROOT, "src", "http", "dashboard"))) {
        const shows: Record<string, RegExp> = {
          "/": /workstation/,
          "/projects": /Payments API/,
          "/sessions": /Migrate charges to PaymentIntents/,
          "/messages": /Freeze merges/,
          "/groups": /payments/,
          "/sync": /./,
        };
        const seen = new Set<string>();
        const queue = Object.keys(shows);
        while (queue.length > 0 && seen.size < 200) {
          const page = queue.shift()!;
          if (seen.has(page)) continue;
          seen.add(page);
          const res = await fetch(`${s.url}${page}`, { headers: { accept: "text/html" } });
          expect(res.status, page).toBe(200);
          const html = await res.text();
          if (shows[page]) expect(html, page).toMatch(shows[page]!);
          for (const m of html.matchAll(/href="(\/[^"#?]*)(?:\?[^"]*)?"/g)) {
            const link = m[1]!;
            if (!link.startsWith("/assets/") && !link.startsWith("/api/") && !seen.has(link))
              queue.push(link);
          }
        }
        // The crawl reached the pages of single projects, tasks and sessions too.
        expect([...seen].some((p) => p.startsWith("/projects/"))).toBe(true);
        expect([...seen].some((p) => p.startsWith("/sessions/"))).toBe(true);
        expect([...seen].some((p) => p.startsWith("/tasks/"))).toBe(true);
      }

      // It lives: a working session's activity moves on within a few seconds.
      const before = new Map(sessions.map((x) => [x.sessionId, x.lastActivity]));
      let moved = false;
      for (let i = 0; i < 30 && !moved; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const now = ((await api("/sessions?state=working")).body as { sessions: Session[] }).sessions;
        moved = now.some((x) => before.get(x.sessionId) !== x.lastActivity);
      }
      expect(moved).toBe(true);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    // The CLI works on the demo home afterwards, and a second demo there is refused.
    const cli = await runCli(["status", "--json"], { home, env: { CLAIRE_HOME: demoHome } });
    expect(cli.code).toBe(0);
    const again = await runCli(["demo", "--home", demoHome, "--seed-only"], { home });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/never overwrites a Claire home/);
    // A file where the home should go is named, not an internal error.
    const file = join(demoHome, "claire.toml");
    const onFile = await runCli(["demo", "--home", file, "--seed-only"], { home });
    expect({ code: onFile.code, stderr: onFile.stderr }).toEqual({
      code: 1,
      stderr: `claire: ${file} is a file: give --home an empty or new directory\n`,
    });
  });
});
