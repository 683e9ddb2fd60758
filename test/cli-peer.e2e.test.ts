// `claire peer add|remove` as a user runs them: adding a peer again changes only what is given,
// names are unique, URLs that could never answer are refused, and what it prints is true.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureBuilt, killAllServes, runCli, startServe, tempHome } from "./support/cli-run.ts";

const homes: string[] = [];
const home = () => {
  const h = tempHome("claire-cli-peer-");
  homes.push(h);
  return h;
};
beforeAll(() => ensureBuilt());
afterAll(async () => {
  await killAllServes();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

type Listed = { url: string; name: string | null; hasToken: boolean }[];
const list = async (h: string) =>
  ((await runCli(["peer", "list", "--json"], { home: h })).json as Listed).map(({ url, name, hasToken }) => ({
    url,
    name,
    hasToken,
  }));

it("adding a known URL again keeps its name and token unless new ones are given, and says what changed", async () => {
  const h = home();
  const add = (...args: string[]) => runCli(["peer", "add", ...args], { home: h });
  const first = await add("http://100.64.0.7:8765/", "--token", "claire_first", "--name", "laptop");
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/^added peer http:\/\/100\.64\.0\.7:8765 as 'laptop'\n/);
  // No server runs: it does not promise one will pick it up.
  expect(first.stdout).toMatch(/run `claire sync` to sync now/);
  const token = await add("http://100.64.0.7:8765", "--token", "claire_second");
  expect(token.stdout).toMatch(/^updated peer http:\/\/100\.64\.0\.7:8765 \(new token\)/);
  expect(await list(h)).toEqual([{ url: "http://100.64.0.7:8765", name: "laptop", hasToken: true }]);
  expect(readFileSync(join(h, "claire.toml"), "utf8")).toContain('token = "claire_second"');
  const renamed = await add("http://100.64.0.7:8765", "--name", "lap");
  expect(renamed.stdout).toMatch(/\(new name\)/);
  expect(await list(h)).toEqual([{ url: "http://100.64.0.7:8765", name: "lap", hasToken: true }]);
  expect(readFileSync(join(h, "claire.toml"), "utf8")).toContain('token = "claire_second"');
});

it("refuses a second peer of the same name, and a remove by a name two peers share (hand-edited)", async () => {
  const h = home();
  expect((await runCli(["peer", "add", "http://127.0.0.1:4001", "--name", "x"], { home: h })).code).toBe(0);
  const dup = await runCli(["peer", "add", "http://127.0.0.1:4002", "--name", "x"], { home: h });
  expect(dup.code).toBe(1);
  expect(dup.stderr).toMatch(/a peer is already named 'x': http:\/\/127\.0\.0\.1:4001/);
  expect((await list(h)).map((p) => p.url)).toEqual(["http://127.0.0.1:4001"]);
});

it("refuses URLs that could never answer: a path, a query, a user and password", async () => {
  const h = home();
  for (const [url, reason] of [
    ["http://127.0.0.1:4001/api/v1", /without a path or query: http:\/\/127\.0\.0\.1:4001/],
    ["http://127.0.0.1:4001?x=1", /without a path or query/],
    ["http://user:pw@127.0.0.1:4001", /no user or password: give the token with --token/],
    ["ftp://127.0.0.1:4001", /http or https/],
  ] as const) {
    const r = await runCli(["peer", "add", url], { home: h });
    expect({ url, code: r.code }).toEqual({ url, code: 2 });
    expect(r.stderr).toMatch(reason);
  }
  expect(await list(h)).toEqual([]);
});

it("warns that a peer off this machine needs a token, and mentions the running server only when there is one", async () => {
  const h = home();
  const served = await startServe(h);
  // Its own server, under any loopback name, is not a peer.
  const port = new URL(served.url).port;
  for (const self of [served.url, `http://localhost:${port}`]) {
    const r = await runCli(["peer", "add", self], { home: h });
    expect({ self, code: r.code }).toEqual({ self, code: 1 });
    expect(r.stderr).toMatch(/is this machine's own claire serve: a machine does not sync with itself/);
  }
  expect(await list(h)).toEqual([]);
  const r = await runCli(["peer", "add", "http://100.64.0.9:8765"], { home: h });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/the running server picks it up/);
  expect(r.stdout).toMatch(/no token: that machine refuses requests from other machines without one/);
  await served.stop();
});

it("a removed peer leaves `claire status` (its health row goes with it)", async () => {
  const h = home();
  const url = "http://127.0.0.1:9";
  expect((await runCli(["peer", "add", url, "--name", "gone"], { home: h })).code).toBe(0);
  await runCli(["sync"], { home: h });
  const peersOf = async () =>
    ((await runCli(["status", "--json"], { home: h })).json as { peers: { peer: string }[] }).peers.map(
      (p) => p.peer,
    );
  expect(await peersOf()).toEqual([url]);
  // Status names the peer as claire.toml does.
  expect((await runCli(["status"], { home: h })).stdout).toMatch(
    /^peer {6}gone \(http:\/\/127\.0\.0\.1:9\): failing/m,
  );
  const removed = await runCli(["peer", "remove", "gone"], { home: h });
  expect(removed.code, removed.stderr).toBe(0);
  expect(await peersOf()).toEqual([]);
});
