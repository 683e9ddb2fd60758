// A small path glob for group rules (`cwd:/home/*/src/**`): `**` any depth (including none, so
// `/repo/**` matches `/repo` itself and `/a/**/b` matches `/a/b`), `*` within one path segment,
// `?` one character. Written here because it is a dozen lines and pure.
export const globToRegExp = (glob: string): RegExp => {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (
      c === "/" &&
      glob[i + 1] === "*" &&
      glob[i + 2] === "*" &&
      (glob[i + 3] === "/" || i + 3 === glob.length)
    ) {
      re += "(?:/.*)?";
      i += 2;
    } else if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  // dotAll: `**` must cross every character a path may hold, newlines included.
  return new RegExp(`^${re}$`, "s");
};

export const matchesGlob = (path: string, glob: string): boolean => globToRegExp(glob).test(path);
