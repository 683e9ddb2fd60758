import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "vitest";
import { FULL, seed } from "../bench/dashboard.ts";
import { freshClaire } from "../bench/support/fresh-claire.ts";
import { createApp } from "../src/http/app.ts";

it("scratch", async () => {
  const c = freshClaire(mkdtempSync(join(tmpdir(), "scr-")));
  const s = seed(c, FULL);
  const app = createApp({ service: c.service });
  const t = async (label: string, fn: () => unknown) => {
    await fn();
    const xs: number[] = [];
    for (let i = 0; i < 15; i++) {
      const a = performance.now();
      await fn();
      xs.push(performance.now() - a);
    }
    xs.sort((a, b) => a - b);
    console.log(label, xs[7]!.toFixed(1));
  };
  if (process.env.PROF) {
    const { Session } = await import("node:inspector/promises");
    const { writeFileSync } = await import("node:fs");
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    for (let i = 0; i < 40; i++)
      await (await app.request(`/projects/${s.projectId}`, { headers: { host: "127.0.0.1" } })).text();
    const { profile } = await session.post("Profiler.stop");
    writeFileSync("/tmp/dash/board.cpuprofile", JSON.stringify(profile));
    return;
  }
  await t("projectBoard", () => c.service.projectBoard(s.projectId));
  await t("boardCards", () => c.store.q.dashboard.boardCards(s.projectId));
  await t("projects.get", () => c.store.q.projects.get(s.projectId));
  await t("resolve", () => c.service.resolve.project(s.projectId));
  await t("page", async () =>
    (await app.request(`/projects/${s.projectId}`, { headers: { host: "127.0.0.1" } })).text(),
  );
  await t("json", async () =>
    (
      await app.request(`/api/v1/tasks?project=${s.projectId}&limit=1000`, { headers: { host: "127.0.0.1" } })
    ).text(),
  );
  const big = "x".repeat(2_300_000);
  await t("2.3MB response", async () => await new Response(big).text());
  await t("fleet", async () => (await app.request(`/`, { headers: { host: "127.0.0.1" } })).text());
  await t("fleetOverview", () => c.service.fleetOverview());
  const html = await (
    await app.request(`/projects/${s.projectId}`, { headers: { host: "127.0.0.1" } })
  ).text();
  const i = html.indexOf('<li class="card"');
  console.log(html.slice(i, html.indexOf("</li>", i) + 5));
}, 120000);
