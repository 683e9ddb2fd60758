// Export and import of the event log: a whole fleet's log exported and imported into an empty
// home gives the same projections; importing is idempotent and converges like sync; a torn or
// tampered file is refused with the number of its first bad line, and nothing is imported.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { createDemoHome } from "../src/ops/demo.ts";
import { exportEvents, importEventFile } from "../src/ops/event-file.ts";
import { openLocalClaire } from "../src/runtime/local-claire.ts";
import type { Service } from "../src/service/index.ts";
import { dumpProjections } from "../src/store/dump.ts";
import type { Store } from "../src/store/store.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

const dir = () => mkdtempSync(join(tmpdir(), "claire-export-"));
const open: { close: () => void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});
const temp = (opts: Parameters<typeof createTempClaire>[0] = {}): TempClaire => {
  const c = createTempClaire({ now: Date.now(), ...opts });
  open.push(c);
  return c;
};

const exportTo = async (service: Service, file: string, sinceMs: number | null = null) => {
  const lines: string[] = [];
  const summary = await exportEvents(service, { sinceMs, now: Date.now, write: (l) => void lines.push(l) });
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { summary, lines };
};

const eventCount = (store: Store) => store.q.events.counts().events;

describe("export -> import", () => {
  it("a fleet's log imported into an empty home gives the same projections, and again changes nothing", async () => {
    const demo = createDemoHome(join(dir(), "demo"));
    open.push(demo);
    // The demo home (a fleet of three machines merged by ingest), opened as this machine would.
    const opened = openLocalClaire({ env: { CLAIRE_HOME: demo.home } });
    if (!opened.ok) throw new Error("cannot open the demo home");
    open.push(opened.value);
    const { service: source, store: sourceStore } = opened.value;
    const file = join(dir(), "fleet.jsonl");
    const { summary, lines } = await exportTo(source, file);
    expect(summary.events).toBe(eventCount(sourceStore));
    expect(summary.events).toBeGreaterThan(100);
    expect(lines).toHaveLength(summary.events + 2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: "claire-event-log", version: 1, since: null });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ end: true, count: summary.events });

    const empty = temp();
    const first = await importEventFile(empty.service, file);
    expect(first.ok && first.value).toMatchObject({
      events: summary.events,
      accepted: summary.events,
      rejected: 0,
    });
    expect(dumpProjections(empty.store.db)).toEqual(dumpProjections(sourceStore.db));

    const again = await importEventFile(empty.service, file);
    expect(again.ok && again.value).toMatchObject({ accepted: 0, duplicate: summary.events, rejected: 0 });
    expect(eventCount(empty.store)).toBe(summary.events);
  });

  it("importing each other's exports converges like sync (deliveries made by the host included)", async () => {
    const a = temp({ machineName: "a" });
    const b = temp({ machineName: "b" });
    const session = { machineId: b.machineId, sessionId: "11111111-2222-4333-8444-555555555555" };
    must(
      b.service.observeSession({ kind: "machine", id: b.machineId }, session, {
        cwd: "/srv/b",
        state: "working",
        firstActivity: new Date(Date.now() - 60_000).toISOString(),
      }),
    );
    const p = must(a.service.createProject(a.human, { name: "Shared" }));
    must(a.service.createTask(a.human, { projectId: p.id, title: "on a", labels: ["x"] }));
    must(b.service.createProject(b.human, { name: "B's own" }));

    const fa = join(dir(), "a.jsonl");
    const fb = join(dir(), "b.jsonl");
    await exportTo(b.service, fb);
    must(await importEventFile(a.service, fb));
    // A messages B's session; B creates the delivery when the message reaches it.
    must(
      a.service.sendMessage(a.human, { to: `session:${b.machineId}/${session.sessionId}`, body: "hello b" }),
    );
    await exportTo(a.service, fa);
    must(await importEventFile(b.service, fa));
    await exportTo(b.service, fb);
    must(await importEventFile(a.service, fb));
    const inbox = must(b.service.inbox(`${b.machineId}/${session.sessionId}`));
    expect(inbox.map((i) => i.message.body)).toEqual(["hello b"]);
    expect(dumpProjections(a.store.db)).toEqual(dumpProjections(b.store.db));
  });

  it("reads a gzipped export as it is", async () => {
    const a = temp();
    must(a.service.createProject(a.human, { name: "zipped" }));
    const file = join(dir(), "a.jsonl");
    await exportTo(a.service, file);
    writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
    const b = temp();
    expect(must(await importEventFile(b.service, `${file}.gz`))).toMatchObject({ accepted: 1 });
    writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)).subarray(0, 60));
    expect((await importEventFile(temp().service, `${file}.gz`)).ok).toBe(false);
  });

  it("--since keeps events from that time on", async () => {
    const a = temp({ now: Date.now() - 86_400_000 });
    must(a.service.createProject(a.human, { name: "old" }));
    a.clock.now = Date.now() - 1_000;
    const cut = a.clock.now;
    must(a.service.createProject(a.human, { name: "new" }));
    const file = join(dir(), "since.jsonl");
    const { summary } = await exportTo(a.service, file, cut);
    expect(summary.events).toBe(1);
    expect(summary.header.since).toBe(new Date(cut).toISOString());
    const b = temp();
    must(await importEventFile(b.service, file));
    expect(b.service.listProjects().map((x) => x.name)).toEqual(["new"]);
  });
});

describe("a damaged export is refused whole, naming the line", () => {
  const setup = async () => {
    const a = temp();
    const p = must(a.service.createProject(a.human, { name: "Payments" }));
    for (let i = 0; i < 5; i++) must(a.service.createTask(a.human, { projectId: p.id, title: `task ${i}` }));
    const file = join(dir(), "good.jsonl");
    await exportTo(a.service, file);
    const text = readFileSync(file, "utf8");
    const b = temp();
    const refused = async (bad: string) => {
      const f = join(dir(), "bad.jsonl");
      writeFileSync(f, bad);
      const before = eventCount(b.store);
      const r = await importEventFile(b.service, f);
      expect(eventCount(b.store)).toBe(before);
      expect(r.ok).toBe(false);
      if (r.ok) throw new Error("imported");
      return r.error as { line: number; message: string };
    };
    return { text, lines: text.trimEnd().split("\n"), refused };
  };

  it("a file that is one endless line (not an export at all) is refused, not a crash", async () => {
    const { refused } = await setup();
    const e = (await refused("a".repeat(9 * 1024 * 1024))) as unknown as { type: string; message: string };
    expect(e.type).toBe("ImportIo");
    expect(e.message).toMatch(/line 1 is longer than 8 MB: not a Claire export/);
  });

  it("a file with CR LF line ends imports like one with LF", async () => {
    const { text } = await setup();
    const f = join(dir(), "crlf.jsonl");
    writeFileSync(f, text.replaceAll("\n", "\r\n"));
    expect(must(await importEventFile(temp().service, f)).events).toBeGreaterThan(5);
  });

  it("a file cut in the middle of a line", async () => {
    const { text, lines, refused } = await setup();
    const cut = lines.slice(0, 4).join("\n").length + 1 + 40; // 40 bytes into line 5
    const e = await refused(text.slice(0, cut));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(/not a complete line/);
  });

  it("a file cut between lines (no end line)", async () => {
    const { lines, refused } = await setup();
    const e = await refused(`${lines.slice(0, 6).join("\n")}\n`);
    expect(e.line).toBe(7);
    expect(e.message).toMatch(/end line\) is missing/);
  });

  it("one changed byte in an event", async () => {
    const { lines, refused } = await setup();
    const tampered = [...lines];
    tampered[3] = tampered[3]!.replace("task 1", "task 9");
    expect(tampered[3]).not.toBe(lines[3]);
    const e = await refused(`${tampered.join("\n")}\n`);
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/hash chain/);
  });

  it("a changed header, a changed hash, a changed count, a removed or repeated line", async () => {
    const { lines, refused } = await setup();
    const edit = (i: number, f: (l: string) => string) =>
      lines.map((l, j) => (j === i ? f(l) : l)).join("\n");
    expect((await refused(edit(0, (l) => l.replace('"since":null', '"since":null,"x":1')))).line).toBe(2);
    expect(
      (await refused(edit(2, (l) => l.replace(/"hash":"(.)/, (_m, c) => `"hash":"${c === "0" ? "1" : "0"}`))))
        .line,
    ).toBe(3);
    expect((await refused(edit(lines.length - 1, (l) => l.replace(/"count":\d+/, '"count":99')))).line).toBe(
      lines.length,
    );
    expect((await refused([...lines.slice(0, 2), ...lines.slice(3)].join("\n"))).line).toBe(3);
    expect((await refused([...lines.slice(0, 3), lines[2]!, ...lines.slice(3)].join("\n"))).line).toBe(4);
    expect((await refused(`${lines.join("\n")}\n{"more":1}\n`)).line).toBe(lines.length + 1);
    expect((await refused("")).line).toBe(1);
    expect((await refused('{"hello":"world"}\n')).line).toBe(1);
  });

  it("events under the importing machine's own id that it never wrote (a clone's export)", async () => {
    const a = temp();
    must(a.service.createProject(a.human, { name: "before the copy" }));
    // The clone: a copy of a's database (same machine id), then writing on its own.
    const cloneDir = dir();
    a.store.db.exec(`VACUUM INTO '${join(cloneDir, "claire.db")}'`);
    const clone = temp({ dir: cloneDir, machineId: a.machineId });
    must(clone.service.createProject(clone.human, { name: "on the clone" }));
    must(clone.service.createProject(clone.human, { name: "on the clone, again" }));
    const cloneFile = join(dir(), "clone.jsonl");
    await exportTo(clone.service, cloneFile);
    const r = await importEventFile(a.service, cloneFile);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ type: "ImportConflict", line: 3 });
    expect(r.error.message).toMatch(/this machine never wrote/);
    expect(a.service.listProjects().map((p) => p.name)).toEqual(["before the copy"]);
  });
});
