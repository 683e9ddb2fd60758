// A machine whose database is lost (or moved aside) while its claire.toml stays: the new database
// starts a new writer epoch, so peers give its old events back and its new writes take no slot
// they hold. And a claire.toml lost beside its database is made again with the database's id.
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openLocalClaire } from "../src/runtime/local-claire.ts";
import { createTempClaire, must, type TempClaire, tempDir } from "./support/temp-claire.ts";

const homes: string[] = [];
const open: { close: () => void }[] = [];
afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});
const home = () => {
  const h = tempDir("claire-newdb-");
  homes.push(h);
  return h;
};
const openHome = (h: string) => {
  const c = must(openLocalClaire({ env: { CLAIRE_HOME: h }, init: true }));
  open.push(c);
  return c;
};
const human = { kind: "human", id: "ada@lab" } as const;
const writer = (c: { store: { db: import("better-sqlite3").Database } }) =>
  c.store.db.prepare("SELECT epoch, origin_seq AS seq FROM writer").get() as { epoch: number; seq: number };

describe("a new database for a machine with history", () => {
  it("starts a new epoch: the old events come back from a peer, the new ones reach it", () => {
    const h = home();
    const a = openHome(h);
    expect(writer(a).epoch).toBe(0);
    must(a.service.createProject(human, { name: "before" }));
    const peer: TempClaire = createTempClaire({ machineName: "peer", now: Date.now() });
    open.push(peer);
    const sent = a.service.eventsPage(0, 1000);
    must({ ok: true, value: peer.service.ingestPulled("a", sent.logId, sent.events, sent.nextAfter) });
    a.close();
    mkdirSync(join(h, "aside"));
    renameSync(join(h, "claire.db"), join(h, "aside", "claire.db"));

    const again = openHome(h);
    expect(writer(again).epoch).toBeGreaterThan(0);
    const back = peer.service.eventsPage(0, 1000);
    const report = again.service.ingestPulled("peer", back.logId, back.events, back.nextAfter);
    expect(again.store.q.events.rejected(10)).toEqual([]);
    expect(report.rejected).toBe(0);
    expect(again.service.listProjects().map((p) => p.name)).toContain("before");
    must(again.service.createProject(human, { name: "after" }));
    const mine = again.service.eventsPage(0, 1000);
    const toPeer = peer.service.ingestPulled("a2", mine.logId, mine.events, mine.nextAfter);
    expect(peer.store.q.events.rejected(10)).toEqual([]);
    expect(toPeer.rejected).toBe(0);
    expect(
      peer.service
        .listProjects()
        .map((p) => p.name)
        .sort(),
    ).toEqual(["after", "before"]);
  });

  it("is not made while the clock says before 2020 (its epoch would be below the ones used): says to set the clock", () => {
    const h = home();
    openHome(h).close();
    rmSync(join(h, "claire.db"));
    const r = openLocalClaire({ env: { CLAIRE_HOME: h }, init: true, now: () => Date.UTC(2019, 5, 1) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(/this machine's clock says 2019-06-01T00:00:00.000Z/);
    expect(r.error.fix).toMatch(/set the clock/);
    expect(existsSync(join(h, "claire.db"))).toBe(false);
  });

  it("is private (0600) even in a CLAIRE_HOME others may read", () => {
    const h = home();
    chmodSync(h, 0o755);
    openHome(h);
    expect(statSync(join(h, "claire.db")).mode & 0o777).toBe(0o600);
  });

  it("a first database made with its claire.toml starts at epoch 0", () => {
    expect(writer(openHome(home())).epoch).toBe(0);
  });

  it("a claire.toml lost beside its database is made again with the database's machine id", () => {
    const h = home();
    const a = openHome(h);
    const id = a.config.machineId;
    must(a.service.createProject(human, { name: "kept" }));
    a.close();
    rmSync(join(h, "claire.toml"));
    const again = openHome(h);
    expect(existsSync(join(h, "claire.toml"))).toBe(true);
    expect(again.config.machineId).toBe(id);
    expect(again.service.listProjects().map((p) => p.name)).toEqual(["kept"]);
    expect(writer(again).epoch).toBe(0);
  });
});
