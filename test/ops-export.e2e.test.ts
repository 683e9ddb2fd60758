// `claire export` / `claire import` through the real CLI: a demo fleet's home exported and imported
// into an empty home gives the same projection dump; a second import adds nothing; torn and
// tampered files are refused with the line number (exit 1) and leave the database as it was.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { dumpProjections } from "../src/store/dump.ts";
import { ensureBuilt, runCli, tempHome } from "./support/cli-run.ts";

const dump = (home: string) => {
  const db = new Database(join(home, "claire.db"), { readonly: true });
  try {
    return {
      projections: dumpProjections(db),
      events: (db.prepare("SELECT COUNT(*) AS n FROM events").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
};

beforeAll(() => ensureBuilt());

describe("claire export / import", () => {
  it("round-trips a fleet into an empty home, idempotently, and refuses damaged files by line", async () => {
    const work = tempHome("claire-export-cli-");
    const source = join(work, "source");
    expect((await runCli(["demo", "--home", source, "--seed-only"], { home: work })).code).toBe(0);
    const file = join(work, "fleet.jsonl");
    const exported = await runCli(["export", "-o", file, "--json"], {
      home: work,
      env: { CLAIRE_HOME: source },
    });
    expect(exported.code, exported.stderr).toBe(0);
    const { events } = exported.json as { events: number };
    expect(events).toBe(dump(source).events);

    // To stdout, the same events (the hashes differ: the chain starts from the header, which
    // holds the export's time); the count goes to stderr.
    const piped = await runCli(["export"], { home: work, env: { CLAIRE_HOME: source } });
    expect(piped.stderr).toBe(`claire: exported ${events} events\n`);
    // --json to stdout: stdout is still the export, the summary is JSON on stderr.
    const pipedJson = await runCli(["export", "--json"], { home: work, env: { CLAIRE_HOME: source } });
    expect(JSON.parse(pipedJson.stderr)).toMatchObject({ events });
    expect(pipedJson.stdout.split("\n").length).toBe(piped.stdout.split("\n").length);
    const eventsOf = (text: string) =>
      text
        .split("\n")
        .slice(1, -2)
        .map((l) => l.replace(/,"hash":"[0-9a-f]{64}"\}$/, ""));
    expect(eventsOf(piped.stdout)).toEqual(eventsOf(readFileSync(file, "utf8")));
    expect(eventsOf(piped.stdout)).toHaveLength(events);

    const target = join(work, "target");
    const first = await runCli(["import", file, "--json"], { home: work, env: { CLAIRE_HOME: target } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ events, accepted: events, duplicate: 0, rejected: 0 });
    expect(dump(target)).toEqual(dump(source));

    const second = await runCli(["import", file], { home: work, env: { CLAIRE_HOME: target } });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`0 new, ${events} already here`);

    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    const refused = async (text: string, line: number, why: RegExp) => {
      const bad = join(work, `bad-${line}.jsonl`);
      writeFileSync(bad, text);
      const before = dump(target);
      const r = await runCli(["import", bad], { home: work, env: { CLAIRE_HOME: target } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`claire: refused: ${bad}: line ${line} `);
      expect(r.stderr).toMatch(why);
      expect(r.stderr).toContain("nothing was imported");
      expect(dump(target)).toEqual(before);
    };
    // Torn: cut in the middle of line 40, and cut cleanly before the end line.
    await refused(`${lines.slice(0, 39).join("\n")}\n${lines[39]!.slice(0, 50)}`, 40, /cut short/);
    await refused(`${lines.slice(0, -1).join("\n")}\n`, lines.length, /end line\) is missing/);
    // Tampered: one byte of line 25 changed.
    const t = [...lines];
    const at = t[24]!.indexOf('"data":"') + 12;
    t[24] = t[24]!.slice(0, at) + (t[24]![at] === "x" ? "y" : "x") + t[24]!.slice(at + 1);
    await refused(`${t.join("\n")}\n`, 25, /hash chain/);
  });
});
