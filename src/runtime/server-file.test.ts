// serve.json: whether the server it names is this home's and running.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { processStart } from "./proc-stat.ts";
import { answeringServer, runningServer, serverFilePath } from "./server-file.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), "claire-serverfile-"));
  dirs.push(d);
  return d;
};

describe("serve.json", () => {
  it("names no server when its pid now belongs to a process that started at another time", () => {
    const d = dir();
    const info = { pid: process.pid, url: "http://127.0.0.1:1", startedAt: "x" };
    writeFileSync(serverFilePath(d), JSON.stringify({ ...info, procStart: processStart(process.pid) }));
    expect(runningServer(d)?.pid).toBe(process.pid);
    writeFileSync(serverFilePath(d), JSON.stringify({ ...info, procStart: "1" }));
    expect(runningServer(d)).toBeNull();
  });

  it("a server that wants a token even for its health (auth.require = always) still answers", async () => {
    const d = dir();
    const server = createServer((_q, res) => {
      res.writeHead(401, { "content-type": "application/problem+json" });
      res.end("{}");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      writeFileSync(serverFilePath(d), JSON.stringify({ pid: process.pid, url, startedAt: "x" }));
      expect((await answeringServer(d))?.url).toBe(url);
    } finally {
      server.close();
    }
  });
});
