import { describe, expect, it } from "vitest";
import { locateKey } from "./locate-key.ts";

const text = `# header
machine_id = "x"
groups = ["a",
  "B"]
sync.batch_size = 1

[server]
host = "h"  # comment
"allowed_hosts" = []

[[peers]]
url = "a"

[[peers]]
name = "b"
url = "b"

[prices."claude-3.5"]
input = 1
`;

describe("locateKey", () => {
  it.each([
    [["machine_id"], 2],
    [["groups", 1], 3],
    [["sync", "batch_size"], 5],
    [["server", "host"], 8],
    [["server", "allowed_hosts"], 9],
    [["server", "url"], 7],
    [["peers", 0, "url"], 12],
    [["peers", 1, "url"], 16],
    [["peers", 1], 14],
    [["prices", "claude-3.5", "input"], 19],
    [["prices", "claude-3.5", "output"], 18],
    [["sessions", "command"], undefined],
  ] as const)("%j is on line %s", (path, line) => {
    expect(locateKey(text, path)).toBe(line);
  });
});
