// A long-lived process with no server of its own (`claire mcp`) runs the API in-process; a write
// there reaches the machine's peers within moments, and a peer added while it runs counts. The
// sync client behind it is loaded only once there is a peer (src/cli/in-process.ts): a command
// with none never reads it (test/cli-bin.e2e.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAllServes, runCli, type Served, startServe, tempHome } from "./support/cli-run.ts";

const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const projectNamed = async (url: string, name: string) => {
  const res = await fetch(`${url}/api/v1/projects`);
  return ((await res.json()) as { name: string }[]).find((p) => p.name === name);
};

let peer: Served;
const here = tempHome("claire-push-here-");
const previousHome = process.env.CLAIRE_HOME;

beforeAll(async () => {
  const there = tempHome("claire-push-there-");
  expect((await runCli(["init"], { home: there })).code).toBe(0);
  peer = await startServe(there);
  expect((await runCli(["init"], { home: here })).code).toBe(0);
  process.env.CLAIRE_HOME = here;
});

afterAll(async () => {
  if (previousHome === undefined) delete process.env.CLAIRE_HOME;
  else process.env.CLAIRE_HOME = previousHome;
  await killAllServes();
});

describe("writes of an in-process API in a long-lived process", () => {
  it("reach a peer added while it runs, within moments", async () => {
    const { connect } = await import("../src/cli/api-client.ts");
    const client = await connect({ actor: "human:tester" });
    try {
      expect(client.mode).toBe("in-process");
      // No peer yet: the write stays here.
      expect((await client.call("POST", "/projects", { body: { name: "before the peer" } })).status).toBe(
        201,
      );
      const added = await runCli(["peer", "add", peer.url], { home: here });
      expect(added.code, added.stderr).toBe(0);
      expect((await client.call("POST", "/projects", { body: { name: "after the peer" } })).status).toBe(201);
      // The push carries the whole log the peer lacks, the earlier write included.
      await waitFor("the peer to have the write", () => projectNamed(peer.url, "after the peer"));
      expect(await projectNamed(peer.url, "before the peer")).toBeDefined();
    } finally {
      client.close();
    }
  });
});
