// `claire msg` and `claire broadcast` as a user reads them: whom the message reaches now, and a
// note when nobody reads it soon (a session that has ended, a broadcast that reaches no one).
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureBuilt, runCli, tempHome } from "./support/cli-run.ts";

const homes: string[] = [];
beforeAll(() => ensureBuilt());
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

const SESSION = "6c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";

it("says whom a message reaches, and notes a session that has ended and a broadcast to no one", async () => {
  const h = tempHome("claire-cli-msg-");
  homes.push(h);
  expect((await runCli(["init", "--json"], { home: h })).code).toBe(0);
  const hook = (event: string, extra: Record<string, unknown> = {}) =>
    runCli(["hook", event], {
      home: h,
      input: JSON.stringify({ session_id: SESSION, cwd: h, hook_event_name: event, ...extra }),
    });
  expect((await hook("SessionStart", { source: "startup", transcript_path: join(h, "t.jsonl") })).code).toBe(
    0,
  );

  const live = await runCli(["msg", SESSION.slice(0, 8), "please rebase"], { home: h });
  expect(live.code, live.stderr).toBe(0);
  expect(live.stdout).toMatch(
    /^sent message \w+ to session .*; it reaches 1 session now, 1 inbox on this machine \(/,
  );
  expect(live.stdout).not.toContain("note:");

  expect((await hook("SessionEnd", { reason: "other" })).code).toBe(0);
  const ended = await runCli(["msg", SESSION.slice(0, 8), "when you are back"], { home: h });
  expect(ended.code, ended.stderr).toBe(0);
  expect(ended.stdout).toContain("it reaches 0 sessions now, 1 inbox on this machine (");
  expect(ended.stdout).toContain(
    `note: session ${SESSION.slice(0, 8)} has ended: the message waits in its inbox and is shown if the conversation is resumed`,
  );

  const nobody = await runCli(["broadcast", "all", "anyone there?"], { home: h });
  expect(nobody.code, nobody.stderr).toBe(0);
  expect(nobody.stdout).toContain("it reaches 0 sessions now, 0 inboxes on this machine (");
  expect(nobody.stdout).toContain("note: no running session is reached now");
  const json = await runCli(["broadcast", "all", "again", "--json"], { home: h });
  expect(json.json).toMatchObject({
    localTargets: 0,
    reaches: 0,
    warning: expect.stringMatching(/^no running/),
  });
});
