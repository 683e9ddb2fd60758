import { describe, expect, it } from "vitest";
import type { ConfigError } from "./errors.ts";
import { parseConfigText } from "./parse.ts";

const ID = "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e";
const ctx = { file: "/cfg/claire.toml", hostname: "box" };
const parse = (text: string) => parseConfigText(text, ctx);
const refusal = (text: string): ConfigError => {
  const r = parse(text);
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
};

describe("defaults", () => {
  it("fills every default from a file holding only machine_id", () => {
    const r = parse(`machine_id = "${ID}"\n`);
    expect(r).toEqual({
      ok: true,
      value: {
        machineId: ID,
        machineName: "box",
        groups: [],
        server: { host: "127.0.0.1", port: 8765, allowedHosts: [], url: "http://127.0.0.1:8765" },
        auth: { require: "off-loopback" },
        sync: { intervalSeconds: 15, maxDriftSeconds: 300, batchSize: 5000 },
        sessions: {
          sources: ["claude"],
          claudeConfigDirs: [],
          command: undefined,
          commandTimeoutSeconds: 10,
          shareTitles: true,
          scanIntervalSeconds: 60,
        },
        peers: [],
        prices: {},
      },
    });
  });

  it("does not share default arrays between parses", () => {
    const a = parse(`machine_id = "${ID}"`);
    const b = parse(`machine_id = "${ID}"`);
    expect(a.ok && b.ok && a.value.groups !== b.value.groups).toBe(true);
  });
});

describe("a full file", () => {
  const full = `machine_id = "${ID}"
machine_name = "workstation"
groups = ["backend", "gpu.big", "backend"]

[server]
host = "0.0.0.0"
port = 9000
allowed_hosts = ["Claire.LAN", "[fd00::1]"]

[auth]
require = "always"

[sync]
interval_seconds = 5
max_drift_seconds = 60
batch_size = 500

[sessions]
sources = ["claude", "command"]
claude_config_dirs = ["~/.claude-work", "/opt/claude"]
command = "rclaude list --json"
command_timeout_seconds = 3
share_titles = false
scan_interval_seconds = 30

[[peers]]
url = "http://laptop.lan:8765/"
token = "s3cret"
name = "laptop"

[[peers]]
url = "https://proxy.example/claire"

[prices."claude-opus-4"]
input = 15
output = 75.5
cache_write = 18.75
cache_read = 1.5

[prices."claude-3.5"]
input = 0
`;

  it("maps snake_case keys to the camelCase Config", () => {
    const r = parse(full);
    if (!r.ok) throw new Error(r.error.message);
    const c = r.value;
    expect(c.machineName).toBe("workstation");
    expect(c.groups).toEqual(["backend", "gpu.big"]);
    expect(c.server).toEqual({
      host: "0.0.0.0",
      port: 9000,
      allowedHosts: ["claire.lan", "fd00::1"],
      url: "http://127.0.0.1:9000",
    });
    expect(c.auth.require).toBe("always");
    expect(c.sync).toEqual({ intervalSeconds: 5, maxDriftSeconds: 60, batchSize: 500 });
    expect(c.sessions).toEqual({
      sources: ["claude", "command"],
      claudeConfigDirs: ["~/.claude-work", "/opt/claude"],
      command: "rclaude list --json",
      commandTimeoutSeconds: 3,
      shareTitles: false,
      scanIntervalSeconds: 30,
    });
    expect(c.peers).toEqual([
      { url: "http://laptop.lan:8765", token: "s3cret", name: "laptop" },
      { url: "https://proxy.example/claire" },
    ]);
    expect(c.prices["claude-opus-4"]).toEqual({ input: 15, output: 75.5, cacheWrite: 18.75, cacheRead: 1.5 });
    expect(c.prices["claude-3.5"]?.input).toBe(0);
  });

  it("derives the server url from host and port, and keeps an explicit one", () => {
    const url = (server: string) => {
      const r = parse(`machine_id = "${ID}"\n[server]\n${server}\n`);
      return r.ok ? r.value.server.url : r.error.message;
    };
    expect(url('host = "::"\nport = 1234')).toBe("http://[::1]:1234");
    expect(url('host = "10.0.0.5"')).toBe("http://10.0.0.5:8765");
    expect(url('url = "https://claire.lan/"')).toBe("https://claire.lan");
  });
});

describe("invalid values name the dotted key and the fix", () => {
  it("port out of range", () => {
    const e = refusal(`machine_id = "${ID}"\n\n[server]\nport = 70000\n`);
    expect(e).toMatchObject({ type: "ConfigError", file: ctx.file, key: "server.port", line: 4 });
    expect(e.message).toBe("server.port is 70000, but it must be a whole number between 0 and 65535");
    expect(e.fix).toBe("set server.port to a whole number between 0 and 65535");
  });

  it.each([
    ['[server]\nport = "8765"', "server.port", 'server.port is "8765"'],
    ["[server]\nport = 80.5", "server.port", "server.port is 80.5"],
    ['[auth]\nrequire = "sometimes"', "auth.require", '"off-loopback" or "always"'],
    ["[sync]\ninterval_seconds = 0", "sync.interval_seconds", "from 1 to 86400"],
    ["[sync]\nbatch_size = 20000", "sync.batch_size", "from 1 to 10000"],
    ['[sessions]\nsources = ["claude", "rclaude"]', "sessions.sources[1]", '"claude" or "command"'],
    ['[sessions]\nshare_titles = "no"', "sessions.share_titles", "true or false"],
    ['[sessions]\nclaude_config_dirs = ["rel/dir"]', "sessions.claude_config_dirs[0]", "absolute path"],
    ['groups = ["Backend"]', "groups[0]", "lowercase letters"],
    ['groups = "backend"', "groups", "a list of group names"],
    ['[[peers]]\nurl = "ftp://x"', "peers[0].url", "http:// or https://"],
    ['[[peers]]\nurl = "http://a"\ntoken = "two words"', "peers[0].token", "without spaces"],
    ['[[peers]]\nname = "x"', "peers[0].url", "peers[0].url is missing"],
    ['[prices."claude-3.5"]\ninput = -1', 'prices."claude-3.5".input', "USD per million tokens"],
    ["server = 5", "server", "a table: [server]"],
    ['[server]\nallowed_hosts = ["http://x"]', "server.allowed_hosts[0]", "without scheme or port"],
    ['machine_name = ""', "machine_name", "1 to 64 characters"],
  ])("%s", (body, key, text) => {
    const e = refusal(`machine_id = "${ID}"\n${body}\n`);
    expect(e.key).toBe(key);
    expect(e.message).toContain(text);
    expect(e.fix).toMatch(new RegExp(`^set ${key.replace(/[.[\]"]/g, "\\$&")} to `));
  });

  it("machine_id must be a lowercase UUID v4 and is required", () => {
    expect(refusal(`machine_id = "${ID.toUpperCase()}"`).key).toBe("machine_id");
    expect(refusal('machine_id = "0b5c6c8e-8a3f-1c1e-9d2a-5f7e1b2c3d4e"').key).toBe("machine_id");
    const missing = refusal('machine_name = "x"');
    expect(missing.key).toBe("machine_id");
    expect(missing.message).toMatch(/^machine_id is missing/);
  });

  it("requires sessions.command when sources include command", () => {
    const e = refusal(`machine_id = "${ID}"\n[sessions]\nsources = ["command"]\n`);
    expect(e.key).toBe("sessions.command");
    expect(e.message).toContain('sessions.command is required when sessions.sources includes "command"');
    expect(e.fix).toContain("set sessions.command");
    expect(
      parse(`machine_id = "${ID}"\n[sessions]\nsources = ["command"]\ncommand = "rclaude ls"\n`).ok,
    ).toBe(true);
  });

  it("refuses the same peer twice", () => {
    const e = refusal(
      `machine_id = "${ID}"\n[[peers]]\nurl = "http://a:1"\n[[peers]]\nurl = "http://a:1/"\n`,
    );
    expect(e).toMatchObject({ key: "peers[1].url", line: 5 });
  });
});

describe("unknown keys", () => {
  it("suggests the closest key for a typo", () => {
    const e = refusal(`machine_id = "${ID}"\n\n[sever]\nport = 1\n`);
    expect(e).toMatchObject({ key: "sever", line: 3 });
    expect(e.message).toBe("unknown key 'sever' (did you mean 'server'?)");
    expect(e.fix).toBe("rename 'sever' to 'server'");
  });

  it("suggests within a table and an array of tables", () => {
    expect(refusal(`machine_id = "${ID}"\n[server]\nprot = 1\n`)).toMatchObject({
      key: "server.prot",
      line: 3,
      message: "unknown key 'server.prot' (did you mean 'server.port'?)",
    });
    expect(refusal(`machine_id = "${ID}"\n[[peers]]\nurl = "http://a"\ntokn = "t"\n`).message).toContain(
      "did you mean 'peers[0].token'?",
    );
    expect(refusal(`machine_id = "${ID}"\n[prices.opus]\ncache_reads = 1\n`).message).toContain(
      "did you mean 'prices.opus.cache_read'?",
    );
  });

  it("reports a typo before the complaints it causes", () => {
    const e = refusal(`machine_id = "${ID}"\n[sessions]\nsources = ["command"]\ncomand = "x"\n`);
    expect(e.key).toBe("sessions.comand");
  });

  it("spots a key placed under the wrong header", () => {
    const e = refusal(`machine_id = "${ID}"\n[server]\nport = 1\nmachine_name = "x"\n`);
    expect(e.key).toBe("server.machine_name");
    expect(e.message).toContain("belongs at the top of the file");
    expect(e.fix).toContain("above the first [table] header");
    expect(refusal(`machine_id = "${ID}"\nbatch_size = 5\n`).message).toContain(
      "did you mean 'sync.batch_size'?",
    );
  });

  it("lists the allowed keys when nothing is close", () => {
    const e = refusal(`machine_id = "${ID}"\n[auth]\npassword = "x"\nother = 1\n`);
    expect(e.message).toBe("unknown key 'auth.password' (and 1 more: other)");
    expect(e.fix).toBe("remove it; the keys allowed in auth are: require");
  });
});

describe("TOML syntax errors", () => {
  it("name the file and the line", () => {
    const e = refusal(`machine_id = "${ID}"\n\n[server]\nport = = 3\n`);
    expect(e).toMatchObject({ type: "ConfigError", file: ctx.file, line: 4 });
    expect(e.key).toBeUndefined();
    expect(e.message).toContain("/cfg/claire.toml is not valid TOML");
    expect(e.message).toContain("line 4");
    expect(e.fix).toContain("edit line 4");
  });
});
