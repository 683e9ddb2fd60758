// One writer process for test/core-concurrency.e2e.test.ts: opens the shared database through the
// real store and service, says "ready", waits for "go" on stdin, then makes `count` service calls,
// each its own BEGIN IMMEDIATE transaction appending one event. Run by Node 24 directly (type
// stripping), so this file and what it imports must use erasable TypeScript only.
//
// Usage: node core-concurrency-worker.ts <db path> <machine id> <label> <count>
import { createInterface } from "node:readline";
import { createIdGenerator } from "../../src/domain/ids.ts";
import { createService } from "../../src/service/index.ts";
import { createStore } from "../../src/store/store.ts";

const [path, machineId, label, countText] = process.argv.slice(2);
if (!path || !machineId || !label || !countText) throw new Error("usage: <db> <machine id> <label> <count>");
const count = Number(countText);
const ids = createIdGenerator();
const now = () => Date.now();
const store = createStore({ path, machineId, now, ids, maxDriftMs: 300_000 });
const service = createService({ store, ids, now, machine: { machineId, machineName: label, groups: [] } });
const actor = { kind: "human", id: label } as const;

const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!r.ok) throw new Error(`${label}: ${JSON.stringify(r.error)}`);
  return r.value;
};

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) if (line.trim() === "go") break;
lines.close();

const started = performance.now();
// First a project of its own, then tasks and updates about them in turn: 1 + (count - 1) events.
const project = must(service.createProject(actor, { name: `project ${label}` }));
let task = "";
for (let i = 1; i < count; i++) {
  if (i % 2 === 1)
    task = must(service.createTask(actor, { projectId: project.id, title: `${label} ${i}` })).id;
  else must(service.postUpdate(actor, { taskId: task, text: `${label} update ${i}` }));
}
store.close();
process.stdout.write(`done ${Math.round(performance.now() - started)}\n`);
