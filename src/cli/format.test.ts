import { describe, expect, it } from "vitest";
import { clockOffset, color, displayWidth, table, terminalSafe, truncate } from "./format.ts";

describe("terminalSafe", () => {
  it("escapes what could drive a terminal: ESC sequences, carriage return, C1 controls, NUL", () => {
    expect(terminalSafe("bad\u001b[2Jname")).toBe("bad\\u001b[2Jname");
    expect(terminalSafe("\u001b]0;owned\u0007")).toBe("\\u001b]0;owned\\u0007");
    expect(terminalSafe("done\rEVIL")).toBe("done\\u000dEVIL");
    expect(terminalSafe("csi\u009b2J del\u007f nul\u0000")).toBe("csi\\u009b2J del\\u007f nul\\u0000");
  });

  it("escapes text-direction overrides and isolates, which would show 'txt.exe' as 'exe.txt'", () => {
    for (const coloured of [true, false]) {
      expect(terminalSafe("run \u202eexe.txt\u202c now", coloured)).toBe("run \\u202eexe.txt\\u202c now");
      expect(terminalSafe("\u2066a\u2069 \u202ab", coloured)).toBe("\\u2066a\\u2069 \\u202ab");
    }
  });

  it("keeps tabs, newlines, Claire's own colour codes (when it colours) and every printable character", () => {
    const text = `a\tb\nc ${"\u001b[31m"}red${"\u001b[39m"} ${"\u001b[1m"}b${"\u001b[22m"} é 日本 عربي 🙂`;
    expect(terminalSafe(text, true)).toBe(text);
    expect(terminalSafe(color.bold("x"))).toBe(color.bold("x"));
  });

  it("escapes any other colour code (conceal, backgrounds), and every ESC when it does not colour", () => {
    expect(terminalSafe("title \u001b[8m", true)).toBe("title \\u001b[8m");
    expect(terminalSafe("x\u001b[30;40my", true)).toBe("x\\u001b[30;40my");
    expect(terminalSafe("x\u001b[31my", false)).toBe("x\\u001b[31my");
  });
});

describe("clockOffset", () => {
  it("says nothing within a second, and which way and how far beyond", () => {
    expect(clockOffset(null)).toBe("");
    expect(clockOffset(-900)).toBe("");
    expect(clockOffset(4_000)).toBe("clock 4 s ahead");
    expect(clockOffset(-400_000)).toBe("clock 7 min behind");
    expect(clockOffset(86_400_000)).toBe("clock 24.0 h ahead");
  });
});

describe("tables and their text", () => {
  it("line columns up by terminal width: wide characters and emoji take two columns", () => {
    expect(displayWidth("日本語プロジェクト 🚀")).toBe(21);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth(color.bold("abc"))).toBe(3);
    const lines = table(
      ["NAME", "TODO"],
      [
        ["日本語 🚀", "3"],
        ["Payments API", "12"],
      ],
    ).split("\n");
    const at = (l: string, col: string) => displayWidth(l.slice(0, l.indexOf(col)));
    expect(at(lines[1]!, "3")).toBe(at(lines[0]!, "TODO"));
    expect(at(lines[2]!, "12")).toBe(at(lines[0]!, "TODO"));
  });

  it("truncate never cuts an emoji in half", () => {
    const t = truncate("🚀".repeat(10), 5);
    expect(t).toBe(`${"🚀".repeat(4)}…`);
    expect(t.isWellFormed()).toBe(true);
  });
});

describe("usd", () => {
  it("shows cents, and a cost under half a cent as under a cent rather than as free", async () => {
    const { usd } = await import("./format.ts");
    const { fmtUsd } = await import("../http/dashboard/views/format.ts");
    for (const [n, text] of [
      [0, "$0.00"],
      [0.0009, "<$0.01"],
      [0.006, "$0.01"],
      [12.345, "$12.35"],
    ] as const) {
      expect(usd(n)).toBe(text);
      expect(fmtUsd(n)).toBe(text);
    }
    expect(usd(null)).toBe("-");
  });
});

describe("truncate", () => {
  it("escapes a colour code in a cell, so cutting the cell cannot cut off its reset", async () => {
    const { truncate: cut } = await import("./format.ts");
    const cell = cut("evil \u001b[31mred and a long tail that will be cut\u001b[0m", 20);
    expect(cell).not.toContain("\u001b");
    expect(cell.startsWith("evil \\u001b[31mred")).toBe(true);
    expect([...cell].length).toBe(20);
  });
});
