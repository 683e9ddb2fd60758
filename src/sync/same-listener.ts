// Whether two URLs reach the same listener: the same port on the same host, the loopback names
// (localhost, 127.x, [::1]) counting as one. Used to tell a peer that is this machine itself.
import { isLoopbackHostName } from "../http/middleware/host-check.ts";

const hostOf = (u: URL): string => (isLoopbackHostName(u.hostname) ? "loopback" : u.hostname);

export const sameListener = (a: string, b: string): boolean => {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.port === y.port && hostOf(x) === hostOf(y);
  } catch {
    return false;
  }
};
