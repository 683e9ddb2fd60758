// Two real Claire servers on loopback claim one task concurrently (each registered session through
// the real hook command, each claim through the CLI), then sync over HTTP: both agree on one
// owner, the losing session's inbox holds the notice from its own machine, and a person's
// reassignment afterwards starts a new epoch that wins on both.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Task } from "../src/domain/task.ts";
import { claimLostNoticeId } from "../src/service/claim-notices.ts";
import {
  BIN,
  type CliResult,
  cliEnv,
  ensureBuilt,
  killAllServes,
  machineIdOf,
  PINNED_NODE,
  runCli,
  type Served,
  startServe,
  tempHome,
} from "./support/cli-run.ts";

const homes: string[] = [];
afterAll(async () => {
  await killAllServes();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

type Node = { home: string; served: Served; machineId: string; cli: (args: string[]) => Promise<CliResult> };

const node = async (): Promise<Node> => {
  const home = tempHome("claire-claims-");
  homes.push(home);
  const served = await startServe(home);
  const cli = async (args: string[]) => {
    const r = await runCli(args, { home });
    if (r.code !== 0) throw new Error(`claire ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return r;
  };
  return { home, served, machineId: machineIdOf(home), cli };
};

/** The hook command as Claude Code runs it at SessionStart. */
const startSession = (n: Node, sessionId: string) => {
  const r = spawnSync("/bin/sh", ["-c", `${PINNED_NODE} ${BIN} hook SessionStart`], {
    input: JSON.stringify({
      session_id: sessionId,
      cwd: "/work/repo",
      hook_event_name: "SessionStart",
      source: "startup",
    }),
    env: cliEnv(n.home, { CLAUDE_PID: String(process.pid) }),
  });
  expect({ code: r.status, stderr: r.stderr.toString() }).toEqual({ code: 0, stderr: "" });
  expect(r.stdout.toString()).toContain(`session ${sessionId.slice(0, 8)}`);
};

const json = async <T>(n: Node, args: string[]): Promise<T> => (await n.cli([...args, "--json"])).json as T;

describe("claims across two real servers", () => {
  it("concurrent claims converge on the first; the loser is told; a person's reassignment wins", async () => {
    ensureBuilt();
    const [a, b] = [await node(), await node()];
    const p = await json<{ id: string }>(a, ["project", "add", "Payments"]);
    const t = await json<Task>(a, ["task", "add", "The contested task", "-p", p.id]);
    // B learns of the task from A, then the two are cut apart again.
    await b.cli(["peer", "add", a.served.url, "--name", "a"]);
    await b.cli(["sync"]);
    await b.cli(["peer", "remove", a.served.url]);
    expect((await json<Task>(b, ["task", "show", t.id])).title).toBe("The contested task");

    const sa = "aaaaaaaa-1111-4111-8111-000000000001";
    const sb = "bbbbbbbb-2222-4222-8222-000000000002";
    startSession(a, sa);
    startSession(b, sb);
    const claimA = await json<{ assignment: { id: string } }>(a, ["claim", t.id, "--session", sa]);
    const claimB = await json<{ assignment: { id: string } }>(b, ["claim", t.id, "--session", sb]);

    await a.cli(["peer", "add", b.served.url, "--name", "b"]);
    await b.cli(["peer", "add", a.served.url, "--name", "a"]);
    for (let i = 0; i < 2; i++) {
      await a.cli(["sync"]);
      await b.cli(["sync"]);
    }
    for (const n of [a, b]) {
      const task = await json<Task>(n, ["task", "show", t.id]);
      expect(task.owner).toMatchObject({
        session: { machineId: a.machineId, sessionId: sa },
        via: "claimed",
      });
    }
    const inboxB = await json<{ message: { id: string; body: string; sender: unknown } }[]>(b, [
      "inbox",
      "--session",
      sb,
    ]);
    expect(inboxB.map((i) => i.message.id)).toEqual([claimLostNoticeId(claimB.assignment.id)]);
    expect(inboxB[0]!.message.body).toContain("claimed it first");
    expect(inboxB[0]!.message.sender).toEqual({ kind: "machine", id: b.machineId });
    expect(await json<unknown[]>(a, ["inbox", "--session", sa])).toEqual([]);

    // A person on B gives the task to B's session: a new epoch, which wins on both machines.
    await b.cli(["assign", t.id, `${b.machineId}/${sb}`]);
    for (let i = 0; i < 2; i++) {
      await b.cli(["sync"]);
      await a.cli(["sync"]);
    }
    for (const n of [a, b]) {
      const task = await json<Task>(n, ["task", "show", t.id]);
      expect(task.owner).toMatchObject({
        session: { machineId: b.machineId, sessionId: sb },
        via: "assigned",
      });
    }
    const inboxA = await json<{ message: { id: string; body: string } }[]>(a, ["inbox", "--session", sa]);
    expect(inboxA.map((i) => i.message.id)).toEqual([claimLostNoticeId(claimA.assignment.id)]);
    expect(inboxA[0]!.message.body).toContain(`assigned to session ${sb.slice(0, 8)}`);
  });
});
