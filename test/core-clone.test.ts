// A clone of this machine (a copied home directory) writing as its machine_id: once its events
// arrive, this machine's next write finds its origin slot taken. The API says so with a 409 that
// names the cause, and nothing is written.
import { afterEach, expect, it } from "vitest";
import { encodeHlc } from "../src/clock/index.ts";
import { createApp } from "../src/http/app.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

let c: TempClaire;
afterEach(() => c.close());

it("answers 409 naming a clone when this machine's next origin slot is taken", async () => {
  c = createTempClaire();
  must(c.service.createProject(c.human, { name: "mine" }));
  const w = c.store.log.writer();
  const clone = {
    id: "01900000-0000-7000-8000-00000000c10e",
    hlc: encodeHlc({ ms: c.clock.now + 1, counter: 0, node: c.machineId.replaceAll("-", "").slice(0, 16) }),
    machineId: c.machineId,
    epoch: w.epoch,
    originSeq: w.origin_seq + 1,
    actor: { kind: "human", id: "clone" },
    type: "project.created",
    entityId: "01900000-0000-7000-8000-00000000c10f",
    data: JSON.stringify({ name: "from the clone", description: "" }),
  };
  expect(c.service.ingestEvents([clone], "peer").accepted).toBe(1);
  const before = c.store.q.events.counts().events;
  const res = await createApp({ service: c.service }).request("/api/v1/projects", {
    method: "POST",
    headers: { host: "127.0.0.1", "content-type": "application/json" },
    body: JSON.stringify({ name: "second" }),
  });
  expect(res.status).toBe(409);
  expect(((await res.json()) as { detail: string }).detail).toMatch(
    /another machine is writing events as this machine/,
  );
  expect(c.store.q.events.counts().events).toBe(before);
});
