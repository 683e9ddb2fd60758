// `claire sync --peer` (POST /sync/run, GET /sync/verify) names a peer by its URL or by its name
// in claire.toml; one that is neither is a 404 naming the peers there are, never a quiet success.
import { afterEach, expect, it } from "vitest";
import { createApp } from "../src/http/app.ts";
import { createSyncControl } from "../src/sync/control.ts";
import { createHttpTransport } from "../src/sync/transport.ts";
import { type Listening, serveClaire } from "./support/sync-http.ts";
import { createTempClaire, must, type TempClaire } from "./support/temp-claire.ts";

const open: (TempClaire | Listening)[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

it("finds a peer by URL (a trailing slash aside) or name, and refuses one that is not configured", async () => {
  const a = createTempClaire();
  const b = createTempClaire();
  open.push(a, b);
  const served = await serveClaire(b.service);
  open.push(served);
  must(b.service.createProject(b.human, { name: "On the desk" }));
  const app = createApp({
    service: a.service,
    sync: createSyncControl({
      service: a.service,
      transport: createHttpTransport({ timeoutMs: 5_000 }),
      now: Date.now,
      batchSize: 100,
      intervalMs: 60_000,
      peers: () => [{ url: served.url, name: "desk" }],
      localVector: () => a.service.syncSummary().vector,
      attempts: 1,
    }),
  });
  const headers = { host: "127.0.0.1", "content-type": "application/json" };
  const run = (peer: string) =>
    app.request("/api/v1/sync/run", { method: "POST", headers, body: JSON.stringify({ peer }) });

  const byName = await run("desk");
  expect(byName.status).toBe(200);
  expect(((await byName.json()) as { rounds: { peer: string; ok: boolean }[] }).rounds).toMatchObject([
    { peer: served.url, ok: true },
  ]);
  expect(a.service.listProjects().map((p) => p.name)).toEqual(["On the desk"]);
  expect((await run(`${served.url}/`)).status).toBe(200);

  const before = a.store.q.events.counts();
  for (const res of [
    await run("http://127.0.0.1:9"),
    await app.request("/api/v1/sync/verify?peer=laptop", { headers }),
  ]) {
    expect(res.status).toBe(404);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toMatch(
      /^no peer '(http:\/\/127\.0\.0\.1:9|laptop)' in claire\.toml; its peers: desk \(http:/,
    );
  }
  expect((await app.request("/api/v1/sync/verify?peer=desk", { headers })).status).toBe(200);
  expect(a.store.q.events.counts()).toEqual(before);
});
