// Doctor checks on each peer: reachable, authenticated with the token in claire.toml, speaking
// this protocol, its clock close to ours, how far apart the two logs are, and that it is not a
// second machine writing under this machine's id.
import { connect } from "node:net";
import type { PeerConfig } from "../../config/index.ts";
import type { PeerHealth } from "../../service/sync.ts";
import type { VectorEntry } from "../../store/queries/sync.ts";
import { AuthCheckSchema } from "../../sync/protocol.ts";
import { sameListener } from "../../sync/same-listener.ts";
import { fetchSummary, type SyncDeps } from "../../sync/sync-peer.ts";
import { PeerError, type SyncTransport } from "../../sync/transport.ts";
import { SYNC_PROTOCOL_VERSION } from "../../version.ts";
import { type Check, duration, fail, pass, plural, warn } from "./check.ts";

/** Why a TCP connection to the peer fails, in words (fetch only says "fetch failed"). */
export const probeTcp = (url: string, timeoutMs = 3_000): Promise<string | null> =>
  new Promise((done) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      done("not a URL");
      return;
    }
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
    const socket = connect({ host, port });
    const finish = (why: string | null) => {
      socket.destroy();
      done(why);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(
        `no answer from ${host}:${port} within ${duration(timeoutMs)} (host down, or a firewall drops it)`,
      ),
    );
    socket.once("connect", () => finish(null));
    socket.once("error", (e: NodeJS.ErrnoException) =>
      finish(
        e.code === "ECONNREFUSED"
          ? `connection refused: nothing listens on ${host}:${port}`
          : e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
            ? `the name ${host} does not resolve`
            : e.code === "EHOSTUNREACH" || e.code === "ENETUNREACH"
              ? `no route to ${host} (network or VPN down?)`
              : `${e.code ?? ""} ${e.message}`.trim(),
      ),
    );
  });

export type PeerCheckContext = {
  readonly transport: SyncTransport;
  readonly now: () => number;
  readonly machineId: string;
  readonly logId: string | null;
  /** This machine's version vector and writer position; null when its database cannot be read. */
  readonly local: { vector: readonly VectorEntry[]; epoch: number; originSeq: number } | null;
  readonly health: ReadonlyMap<string, PeerHealth>;
  readonly maxDriftMs: number;
  readonly intervalMs: number;
  /** Where this machine's own `claire serve` answers (serve.json), if one runs. */
  readonly ownServerUrl?: string | null;
};

/** Events one vector holds that the other lacks, counted per (machine, epoch). */
const missing = (from: readonly VectorEntry[], to: readonly VectorEntry[]): number => {
  const have = new Map(to.map((e) => [`${e.machineId}#${e.epoch}`, e.count]));
  return from.reduce((n, e) => n + Math.max(0, e.count - (have.get(`${e.machineId}#${e.epoch}`) ?? 0)), 0);
};

const peerName = (p: PeerConfig) => (p.name ? `${p.name} (${p.url})` : p.url);

/** What the peer makes of our token (GET /auth), or null when it cannot say (an older Claire). */
const tokenStanding = async (
  ctx: PeerCheckContext,
  peer: PeerConfig,
): Promise<"accepted" | "refused" | "none" | null> => {
  try {
    const parsed = AuthCheckSchema.safeParse(
      await ctx.transport.getAuth({ url: peer.url, token: peer.token }),
    );
    return parsed.success ? parsed.data.token : null;
  } catch {
    return null;
  }
};

export const checkPeer = async (peer: PeerConfig, ctx: PeerCheckContext): Promise<Check> => {
  const id = `peer:${peer.url}`;
  const title = `peer ${peerName(peer)}`;
  // fetchSummary reads only the transport, the clock and the retry settings of its deps.
  const deps = { transport: ctx.transport, now: ctx.now, attempts: 1 } as unknown as SyncDeps;
  let result: Awaited<ReturnType<typeof fetchSummary>>;
  try {
    result = await fetchSummary(deps, { url: peer.url, token: peer.token });
  } catch (e) {
    const status = e instanceof PeerError ? e.status : null;
    const message = (e as Error).message;
    if (status === 401)
      return fail(
        id,
        title,
        peer.token
          ? "wrong token: the peer refused the token claire.toml gives for it (401)"
          : "the peer wants a token and claire.toml has none for it (401)",
        `on that machine run \`claire token create\`, then here: claire peer add ${peer.url} --token <the new token>`,
      );
    if (status === 403)
      return fail(
        id,
        title,
        `the peer refused the request (403): ${message}`,
        `on that machine add '${new URL(peer.url).hostname}' to server.allowed_hosts in claire.toml and restart claire serve there`,
      );
    if (status !== null)
      return fail(
        id,
        title,
        `the peer answered HTTP ${status}: ${message}`,
        "check that the URL points at a claire serve (http://host:8765)",
      );
    const why = await probeTcp(peer.url);
    return fail(
      id,
      title,
      `unreachable: ${why ?? message}`,
      "check that claire serve runs there (claire service status) and listens on an address this machine can reach (server.host, firewall, WireGuard/Tailscale up)",
    );
  }
  const { summary, clockOffsetMs } = result;
  const token = await tokenStanding(ctx, peer);
  if (token === "refused")
    return fail(
      id,
      title,
      "the peer does not accept the token claire.toml gives for it (revoked, or made on another machine); it lets this machine in without one here (loopback), and will refuse it from anywhere else",
      `on that machine run \`claire token create\`, then here: claire peer add ${peer.url} --token <the new token>`,
    );
  const reached =
    token === "accepted"
      ? "reachable, token accepted"
      : token === "none"
        ? "reachable without a token (the peer asks none from this address)"
        : "reachable (whether it accepts the token is not known: it is a Claire from before GET /auth)";
  if (summary.protocol !== SYNC_PROTOCOL_VERSION)
    return fail(
      id,
      title,
      `speaks sync protocol ${summary.protocol}, this Claire speaks ${SYNC_PROTOCOL_VERSION}`,
      "upgrade the older Claire so both run the same version",
    );
  if (summary.machineId === ctx.machineId) {
    // The same log answering at this machine's own server, or with the same contents, is this very
    // machine (a live server may write between the two reads); anything else is a copy of it.
    const itself =
      summary.logId === ctx.logId &&
      ((ctx.ownServerUrl != null && sameListener(peer.url, ctx.ownServerUrl)) ||
        (ctx.local !== null && JSON.stringify(summary.vector) === JSON.stringify(ctx.local.vector)));
    return fail(
      id,
      title,
      itself
        ? "this peer is this machine itself (same machine_id, log and events)"
        : `this peer reports this machine's own machine_id (${ctx.machineId}): another machine uses this machine_id (a copied home directory)`,
      itself
        ? `remove it: claire peer remove ${peer.url}`
        : "on the copy (not here): stop claire, move claire.toml and claire.db aside and run `claire init` for a new machine_id, then add peers again (docs/operations.md)",
    );
  }
  if (ctx.local) {
    const own = summary.vector.filter((e) => e.machineId === ctx.machineId);
    const foreign = own.filter(
      (e) =>
        e.epoch > ctx.local!.epoch || (e.epoch === ctx.local!.epoch && e.maxOriginSeq > ctx.local!.originSeq),
    );
    if (foreign.length > 0)
      return fail(
        id,
        title,
        `the peer holds events under this machine's id that this machine never wrote (epoch ${foreign[0]!.epoch} up to #${foreign[0]!.maxOriginSeq}; this machine is at epoch ${ctx.local.epoch} #${ctx.local.originSeq}): another machine uses this machine_id`,
        "find the machine that was cloned from this one; on it, move claire.toml and claire.db aside and run `claire init` (docs/operations.md)",
      );
  }
  const skew = `clock ${clockOffsetMs >= 0 ? "+" : "-"}${duration(clockOffsetMs)}`;
  if (Math.abs(clockOffsetMs) > ctx.maxDriftMs)
    return fail(
      id,
      title,
      `its clock is ${duration(clockOffsetMs)} ${clockOffsetMs > 0 ? "ahead of" : "behind"} this machine's (more than max drift ${duration(ctx.maxDriftMs)}): ${clockOffsetMs > 0 ? "its new events wait in quarantine here" : "this machine's new events wait in quarantine there"}`,
      'turn on time sync on both machines (timedatectl set-ntp true, or chrony) and check neither keeps local time in its hardware clock (timedatectl: "RTC in local TZ: no")',
    );
  const parts = [skew];
  let lagging = false;
  if (ctx.local) {
    const theyHave = missing(summary.vector, ctx.local.vector);
    const weHave = missing(ctx.local.vector, summary.vector);
    parts.unshift(
      theyHave + weHave === 0
        ? "in sync"
        : `it has ${plural(theyHave, "event")} this machine lacks, this machine has ${plural(weHave, "event")} it lacks`,
    );
    lagging = theyHave + weHave > 0;
  }
  const h = ctx.health.get(peer.url);
  if (h?.lastSuccessAt) parts.push(`last sync ${duration(ctx.now() - Date.parse(h.lastSuccessAt))} ago`);
  const stale =
    h?.lastSuccessAt === undefined || h.lastSuccessAt === null
      ? true
      : ctx.now() - Date.parse(h.lastSuccessAt) > 5 * ctx.intervalMs;
  if (Math.abs(clockOffsetMs) > 10_000)
    return warn(
      id,
      title,
      `${reached}; ${parts.join(", ")}`,
      "turn on time sync (timedatectl set-ntp true) on both machines",
    );
  if (lagging && stale)
    return warn(
      id,
      title,
      `${reached}; ${parts.join(", ")}${h?.lastError ? `; last error: ${h.lastError}` : ""}`,
      "run `claire sync` to sync now; keep `claire serve` running (claire service install) so it syncs every interval",
    );
  return pass(id, title, `${reached}; ${parts.join(", ")}`);
};
