import { describe, expect, it } from "vitest";
import { clockOffset, color, terminalSafe } from "./format.ts";

describe("terminalSafe", () => {
  it("escapes what could drive a terminal: ESC sequences, carriage return, C1 controls, NUL", () => {
    expect(terminalSafe("bad\u001b[2Jname")).toBe("bad\\u001b[2Jname");
    expect(terminalSafe("\u001b]0;owned\u0007")).toBe("\\u001b]0;owned\\u0007");
    expect(terminalSafe("done\rEVIL")).toBe("done\\u000dEVIL");
    expect(terminalSafe("csi\u009b2J del\u007f nul\u0000")).toBe("csi\\u009b2J del\\u007f nul\\u0000");
  });

  it("keeps tabs, newlines, colour codes and every printable character as they are", () => {
    const text = `a\tb\nc ${"\u001b[31m"}red${"\u001b[39m"} é 日本 ‮ 🙂`;
    expect(terminalSafe(text)).toBe(text);
    expect(terminalSafe(color.bold("x"))).toBe(color.bold("x"));
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
