// A clone of this machine (a copied home directory) writing as its machine_id. Sync refuses its
// events (they claim this machine's own origin slots: test/core-store.test.ts); should one be in
// the database all the same (a file copied over, a hand-made insert), this machine's next write
// finds its origin slot taken. The API says so with a 409 that names the cause, and nothing is
// written.
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
  expect(c.service.ingestEvents([clone], "peer")).toMatchObject({ accepted: 0, rejected: 1 });
  c.store.db
    .prepare(
      "INSERT INTO events (id, hlc, machine_id, epoch, origin_seq, actor_kind, actor_id, type, entity_id, data, applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
    )
    .run(
      clone.id,
      clone.hlc,
      clone.machineId,
      clone.epoch,
      clone.originSeq,
      clone.actor.kind,
      clone.actor.id,
      clone.type,
      clone.entityId,
      clone.data,
    );
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
