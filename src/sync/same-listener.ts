// Whether two URLs reach the same listener: the same port on the same host, the loopback names
// (localhost, 127.x, [::1]) counting as one. Used to tell a peer that is this machine itself.
const LOOPBACK_NAMES = new Set(["localhost", "[::1]", "::1"]);

const hostOf = (u: URL): string =>
  LOOPBACK_NAMES.has(u.hostname) || u.hostname.startsWith("127.") ? "loopback" : u.hostname;

export const sameListener = (a: string, b: string): boolean => {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.port === y.port && hostOf(x) === hostOf(y);
  } catch {
    return false;
  }
};
