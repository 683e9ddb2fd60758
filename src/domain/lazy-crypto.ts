// node:crypto, loaded on first use: loading it costs ~3.5 ms of a command's start-up (it brings
// Node's streams with it), and a command that only reads (`claire status` without a server) never
// needs it. The one module-level variable holds Node's own module once loaded; it is the same for
// every caller.
import type * as NodeCrypto from "node:crypto";

let loaded: typeof NodeCrypto | undefined;

export const nodeCrypto = (): typeof NodeCrypto => {
  loaded ??= process.getBuiltinModule("node:crypto");
  return loaded;
};

/**
 * Fills `buf` with cryptographically strong random bytes. Read from /dev/urandom where there is
 * one (the kernel's generator, which node:crypto draws on too), so that a short-lived process that
 * writes once, a hook above all, does not load node:crypto for 16 bytes of ids; else node:crypto.
 */
export const randomFill = (buf: Buffer): Buffer => {
  if (!loaded) {
    const fs = process.getBuiltinModule("node:fs");
    try {
      const fd = fs.openSync("/dev/urandom", "r");
      try {
        // One read() of up to 32 MiB from /dev/urandom returns it all; anything less is refused.
        if (fs.readSync(fd, buf, 0, buf.length, null) === buf.length) return buf;
      } finally {
        fs.closeSync(fd);
      }
    } catch {}
  }
  return nodeCrypto().randomFillSync(buf);
};
