import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globToRegExp, matchesGlob } from "./glob.ts";

const noWildcards = fc.string({ unit: "binary", maxLength: 20 }).filter((s) => !/[*?]/.test(s));
const segment = fc.string({ unit: "binary", maxLength: 10 }).filter((s) => !s.includes("/"));

describe("matchesGlob", () => {
  it.each<[string, string, boolean]>([
    ["/home/ann/src", "/home/*/src", true],
    ["/home//src", "/home/*/src", true],
    ["/home/ann/x/src", "/home/*/src", false],
    ["/home/ann/src/a/b", "/home/*/src/**", true],
    ["/home/ann/src/", "/home/*/src/**", true],
    ["/repo/a/b/c/src", "/repo/**/src", true],
    ["/repo/x/src/more", "/repo/**/src", false],
    ["/repo/api", "/repo/ap?", true],
    ["/repo/a/i", "/repo/a?i", false],
    ["/repo/apis", "/repo/ap?", false],
    ["/a.b", "/a.b", true],
    ["/aXb", "/a.b", false],
    ["/c++/(x)|[y]{2}$^\\", "/c++/(x)|[y]{2}$^\\", true],
    ["/cc/x", "/c+/x", false],
    ["/repo/x", "/repo", false],
    ["/x/repo", "/repo", false],
    ["", "", true],
    ["", "**", true],
    ["anything/at/all", "**", true],
    ["no-slash", "*", true],
    ["a/b", "*", false],
  ])("%s against %s: %s", (path, glob, expected) => {
    expect(matchesGlob(path, glob)).toBe(expected);
  });

  it("a glob without wildcards matches exactly itself, whatever characters it holds", () => {
    fc.assert(
      fc.property(noWildcards, noWildcards, (glob, path) => {
        expect(matchesGlob(glob, glob)).toBe(true);
        expect(matchesGlob(path, glob)).toBe(path === glob);
      }),
    );
  });

  it("`**` matches every path, newlines included; `*` every string without a slash", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(matchesGlob(s, "**")).toBe(true);
        expect(matchesGlob(s, "*")).toBe(!s.includes("/"));
      }),
    );
  });

  it("`/base/*/leaf` matches one segment in the middle; `/base/**` any depth below", () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (segments) => {
        const path = `/base/${segments.join("/")}`;
        expect(matchesGlob(`${path}/leaf`, "/base/*/leaf")).toBe(segments.length === 1);
        expect(matchesGlob(path, "/base/**")).toBe(true);
      }),
    );
  });

  it("anchors at both ends", () => {
    const re = globToRegExp("/repo/*");
    expect(re.source.startsWith("^")).toBe(true);
    expect(re.source.endsWith("$")).toBe(true);
  });
});

describe("** matches zero segments too", () => {
  it("a trailing /** matches the directory itself", () => {
    expect(matchesGlob("/repo", "/repo/**")).toBe(true);
    expect(matchesGlob("/repo/x/y", "/repo/**")).toBe(true);
    expect(matchesGlob("/repository", "/repo/**")).toBe(false);
  });
  it("a middle /**/ matches no directory in between", () => {
    expect(matchesGlob("/a/b", "/a/**/b")).toBe(true);
    expect(matchesGlob("/a/x/y/b", "/a/**/b")).toBe(true);
    expect(matchesGlob("/ab", "/a/**/b")).toBe(false);
  });
});
