import { describe, expect, it } from "vitest";
import { parseConfigText } from "./parse.ts";
import { renderNewConfig } from "./template.ts";

const ID = "0b5c6c8e-8a3f-4c1e-9d2a-5f7e1b2c3d4e";
const ctx = { file: "/c/claire.toml", hostname: "h" };

describe("renderNewConfig", () => {
  it("writes a valid file with the identity filled in and TOML-escaped", () => {
    const r = parseConfigText(renderNewConfig({ machineId: ID, machineName: 'box "7"' }), ctx);
    expect(r.ok && [r.value.machineId, r.value.machineName]).toEqual([ID, 'box "7"']);
  });

  it("shows only examples that are valid once uncommented", () => {
    const text = renderNewConfig({ machineId: ID, machineName: "m" });
    const uncommented = text
      .split("\n")
      .map((l) => (/^# (\[|[a-z_]+ =)/.test(l) ? l.slice(2) : l))
      .join("\n");
    expect(uncommented).toContain("\n[server]\nhost =");
    const r = parseConfigText(uncommented, ctx);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.peers).toEqual([{ url: "http://other-machine:8765", token: "..." }]);
  });
});
