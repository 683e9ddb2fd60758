// Crash safety: a real `claire serve` (B) is killed with SIGKILL while it ingests a large pull from
// A, 20 times, each time after A has 20,000 more events; at least 15 of the kills must land
// mid-ingest (B's cursor for A strictly between where it started and A's end), or the test fails.
// After every kill: PRAGMA integrity_check is ok, B's cursor never passes an event B does not
// store, and every write B answered 2xx is still there. At the end the two converge.
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventMix } from "../bench/support/event-mix.ts";
import { createIdGenerator } from "../src/domain/ids.ts";
import { createStore, type Store } from "../src/store/store.ts";
import {
  api,
  claire,
  ensureBuilt,
  type Home,
  killAll,
  makeHome,
  must,
  removeHome,
  type Served,
  serve,
  waitConverged,
} from "./support/sync-cluster.ts";

const KILLS = 20;
const MIN_MID_INGEST = 15;
const PER_KILL = 20_000;
const BUDGET_MS = 120_000;

describe(`kill -9 of claire serve mid-ingest, ${KILLS} times`, () => {
  const homes: Home[] = [];
  let a: Served;
  let b: Served | undefined;
  let storeA: Store;
  let dbB: Database.Database;

  beforeAll(async () => {
    ensureBuilt();
    const ha = await makeHome("a", { toml: "[sync]\ninterval_seconds = 1" });
    const hb = await makeHome("b", { toml: "[sync]\ninterval_seconds = 1\nbatch_size = 500" });
    homes.push(ha, hb);
    a = await serve(ha);
    await must(hb, ["peer", "add", a.url, "--token", ha.token, "--name", "a"]);
    // A's log grows from this process, straight into its database (as a hook or the CLI would).
    storeA = createStore({
      path: join(ha.dir, "claire.db"),
      machineId: ha.machineId,
      now: Date.now,
      ids: createIdGenerator(),
      maxDriftMs: 300_000,
    });
    dbB = new Database(join(hb.dir, "claire.db"));
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await killAll();
    dbB?.close();
    storeA?.close();
    for (const h of homes) removeHome(h);
  });

  it("never loses an acknowledged write, never passes an unstored event, and converges", async () => {
    const started = Date.now();
    const hb = homes[1]!;
    const mix = createEventMix(7);
    const actor = { kind: "human", id: "crash-test" } as const;
    storeA.write(() => storeA.log.append(actor, mix.setup));
    const cursor = () =>
      (
        dbB.prepare("SELECT after_seq FROM peer_cursors WHERE peer = ?").get(a.url) as
          | { after_seq: number }
          | undefined
      )?.after_seq ?? 0;
    dbB.exec(`ATTACH DATABASE '${join(homes[0]!.dir, "claire.db")}' AS a`);
    const acked: string[] = [];
    const outcomes: { start: number; killedAt: number; end: number; mid: boolean }[] = [];
    const phases = { fill: 0, start: 0, pull: 0, integrity: 0 };

    for (let k = 0; k < KILLS; k++) {
      let t = Date.now();
      for (let i = 0; i < PER_KILL; i += 5_000) {
        const drafts = mix.batch(5_000);
        storeA.write(() => storeA.log.append(actor, drafts));
      }
      const end = storeA.q.events.maxSeq();
      const start = cursor();
      // Kill somewhere in the middle of this pull.
      const target = start + Math.floor((end - start) * (0.1 + 0.5 * Math.random()));
      phases.fill += Date.now() - t;
      t = Date.now();
      b = await serve(hb);
      phases.start += Date.now() - t;
      t = Date.now();
      const server = b;
      // Local writes keep arriving while B ingests; those answered 2xx must survive the kill.
      let writing = true;
      const writer = (async () => {
        for (let n = 0; writing; n++) {
          const name = `b-${k}-${n}`;
          try {
            const r = await api(server, "/projects", { method: "POST", body: { name }, timeoutMs: 5_000 });
            if (r.status >= 200 && r.status < 300) acked.push(name);
          } catch {
            return; // killed mid-request: not acknowledged, no promise made
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const deadline = Date.now() + 30_000;
      while (cursor() < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      await server.kill9();
      phases.pull += Date.now() - t;
      writing = false;
      await writer;
      b = undefined;

      const checkStart = Date.now();
      expect(dbB.pragma("integrity_check", { simple: true }), `kill ${k}`).toBe("ok");
      phases.integrity += Date.now() - checkStart;
      const killedAt = cursor();
      outcomes.push({ start, killedAt, end, mid: killedAt > start && killedAt < end });
      // The cursor never passes an event B does not hold.
      const missing = dbB
        .prepare(
          "SELECT COUNT(*) AS n FROM a.events WHERE seq <= ? AND id NOT IN (SELECT id FROM main.events)",
        )
        .get(killedAt) as { n: number };
      expect(missing.n, `kill ${k}: events at or below cursor ${killedAt} missing in B`).toBe(0);
      // Every write B acknowledged is in its log and its projections.
      const held = dbB
        .prepare(`SELECT COUNT(*) AS n FROM main.projects WHERE name IN (SELECT value FROM json_each(?))`)
        .get(JSON.stringify(acked)) as { n: number };
      expect(held.n, `kill ${k}: acknowledged writes missing`).toBe(acked.length);
    }

    const mid = outcomes.filter((o) => o.mid).length;
    if (process.env.CLAIRE_TEST_VERBOSE)
      console.log({
        mid,
        acked: acked.length,
        ms: Date.now() - started,
        phases,
        outcomes: outcomes.slice(0, 3),
      });
    expect(mid, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(MIN_MID_INGEST);
    expect(acked.length).toBeGreaterThan(KILLS);

    // Up again for good: B finishes the pull and pushes its own writes; A and B agree.
    b = await serve(hb);
    await waitConverged([a, b], 60_000);
    const verify = await claire(hb, ["sync", "--verify"]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(dbB.pragma("integrity_check", { simple: true })).toBe("ok");
    const total = dbB
      .prepare("SELECT COUNT(*) AS n FROM a.events WHERE id NOT IN (SELECT id FROM main.events)")
      .get();
    expect(total).toEqual({ n: 0 });
    const rejected = (await api<{ events: { rejected: number } }>(b, "/status")).body.events.rejected;
    expect(rejected).toBe(0);
    expect(Date.now() - started).toBeLessThan(BUDGET_MS);
  }, 150_000);
});
