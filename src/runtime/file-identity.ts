// Which file a path names now: a file removed or put in its place (`claire restore`, a hand's `rm`)
// has another identity, though the path is the same.
import { statSync } from "node:fs";

/** Device and inode of the file at `path`, or null when there is none. */
export const fileIdentity = (path: string): string | null => {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
};
