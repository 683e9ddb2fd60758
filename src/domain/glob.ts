// A small path glob for group rules (`cwd:/home/*/src/**`): `**` any depth, `*` within one path
// segment, `?` one character. Written here because it is a dozen lines and pure.
export const globToRegExp = (glob: string): RegExp => {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
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
