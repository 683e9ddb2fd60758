// Raising max_drift_seconds and starting the server again applies the events it had held back at
// once, not at the server's first periodic check 30 s later.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openLocalClaire } from "../src/runtime/local-claire.ts";
import { ensureBuilt, killAllServes, runCli, startServe, tempHome } from "./support/cli-run.ts";
import { createTempClaire, must } from "./support/temp-claire.ts";

const HOURS = 60 * 60 * 1000;
const homes: string[] = [];
beforeAll(() => ensureBuilt());
afterAll(async () => {
  await killAllServes();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

type Status = { events: { quarantined: number } };

it("a server started after max_drift_seconds was raised applies the held events at once", async () => {
  // Events from a machine whose clock is two hours ahead (the default allows five minutes).
  const fast = createTempClaire({ machineName: "fast", now: Date.now() + 2 * HOURS });
  must(fast.service.createProject(fast.human, { name: "from tomorrow" }));
  const wire = fast.store.q.events.page(0, 1000).map(({ seq: _s, applied: _a, ...e }) => e);
  fast.close();

  const home = tempHome("claire-quarantine-serve-");
  homes.push(home);
  expect((await runCli(["init", "--json"], { home })).code).toBe(0);
  const opened = openLocalClaire({ env: { CLAIRE_HOME: home } });
  if (!opened.ok) throw new Error(opened.error.message);
  const report = opened.value.service.ingestEvents(wire, "test");
  opened.value.close();
  expect(report.quarantined).toBe(wire.length);

  // Three hours of drift allowed now.
  const toml = join(home, "claire.toml");
  writeFileSync(toml, `${readFileSync(toml, "utf8")}\n[sync]\nmax_drift_seconds = 10800\n`);
  const served = await startServe(home);
  const started = Date.now();
  let status: Status | null = null;
  while (Date.now() - started < 10_000) {
    status = (await (await fetch(`${served.url}/api/v1/status`)).json()) as Status;
    if (status.events.quarantined === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(status?.events.quarantined).toBe(0);
  const projects = (await (await fetch(`${served.url}/api/v1/projects`)).json()) as { name: string }[];
  expect(projects.map((p) => p.name)).toContain("from tomorrow");
});
