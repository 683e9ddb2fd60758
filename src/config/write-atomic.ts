// Writes a file so readers see the old content or the new one, never half of either.
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { nodeCrypto } from "../domain/lazy-crypto.ts";
import { err, ok, type Result } from "../domain/result.ts";

export type WriteOptions = {
  readonly mode: number;
  /** Never replace an existing file: a concurrent `claire init` must not swap the machine_id. */
  readonly exclusive: boolean;
};

const codeOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

const ignoring = (f: () => void): void => {
  try {
    f();
  } catch {
    // best effort: cleanup and directory fsync are not worth failing a write that succeeded
  }
};

const fsyncDir = (dir: string): void =>
  ignoring(() => {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });

/** `written: false` only in exclusive mode, when the file already existed (it is left alone). */
export const writeFileAtomic = (
  path: string,
  text: string,
  options: WriteOptions,
): Result<{ written: boolean }, unknown> => {
  // The temp file sits beside the target: rename and link are only atomic within one filesystem.
  const tmp = join(dirname(path), `.${basename(path)}.${nodeCrypto().randomBytes(6).toString("hex")}.tmp`);
  try {
    const fd = openSync(tmp, "wx", options.mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (!options.exclusive) renameSync(tmp, path);
    else {
      try {
        linkSync(tmp, path); // fails with EEXIST instead of replacing, unlike rename
      } catch (e) {
        if (codeOf(e) === "EEXIST") return ok({ written: false });
        if (!["EPERM", "ENOTSUP", "ENOSYS", "EOPNOTSUPP"].includes(codeOf(e) ?? "")) throw e;
        // No hard links on this filesystem: exclusive create, atomic against other creators only.
        try {
          writeFileSync(path, text, { flag: "wx", mode: options.mode });
        } catch (e2) {
          if (codeOf(e2) === "EEXIST") return ok({ written: false });
          throw e2;
        }
      }
    }
    fsyncDir(dirname(path));
    return ok({ written: true });
  } catch (e) {
    return err(e);
  } finally {
    ignoring(() => unlinkSync(tmp)); // after a rename it is already gone
  }
};
