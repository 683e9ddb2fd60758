// node:crypto, loaded on first use: loading it costs ~3.5 ms of a command's start-up, and a
// command that only reads (`claire status` without a server) never needs it. The one module-level
// variable holds Node's own module once loaded; it is the same for every caller.
import type * as NodeCrypto from "node:crypto";

let loaded: typeof NodeCrypto | undefined;

export const nodeCrypto = (): typeof NodeCrypto => {
  loaded ??= process.getBuiltinModule("node:crypto");
  return loaded;
};
