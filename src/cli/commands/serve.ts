// claire serve: the API (and dashboard) for this machine, initialising on first run.
import type { Server } from "node:http";
import type { Command } from "commander";
import { processStart } from "../../runtime/proc-stat.ts";
import type { ServeLock } from "../../runtime/serve-lock.ts";
import { removeServerFile, writeServerFile } from "../../runtime/server-file.ts";
import { CLAIRE_VERSION } from "../../version.ts";
import { parseIntOption } from "../command-kit.ts";
import { CliError, EXIT } from "../exit-codes.ts";
import { writeStdout } from "../stdout.ts";

const QUARANTINE_CHECK_MS = 30_000;
const SHUTDOWN_GRACE_MS = 10_000;
const DATA_VERSION_POLL_MS = 500;

/**
 * One server per Claire home: a second one would take over serve.json, and when it stopped the
 * CLI would lose the first (and `claire rebuild` would run under it). A serve.json whose process
 * is alive but whose address does not answer is left over (the pid was reused): not a server.
 */
/** This home's serve lock, or a refusal naming the server that holds it. */
const refuseSecondServer = async (): Promise<ServeLock> => {
  const { localPaths } = await import("../../runtime/paths.ts");
  const { runningServer, serverFilePath } = await import("../../runtime/server-file.ts");
  const { takeServeLock } = await import("../../runtime/serve-lock.ts");
  const dataDir = localPaths().dataDir;
  const lock = takeServeLock(dataDir);
  if (lock !== null) return lock;
  const running = runningServer(dataDir);
  throw new CliError(
    `a server is already running for this Claire home${running ? ` (pid ${running.pid}, ${running.url})` : " (it is starting)"}`,
    EXIT.user,
    [
      "use it (the CLI, hooks and dashboard find it by themselves), or stop it first",
      `another Claire on this machine needs its own home: CLAIRE_HOME=<dir> claire serve (this one's is ${serverFilePath(dataDir).replace(/\/serve\.json$/, "")})`,
    ],
  );
};

export const registerServe = (program: Command): void => {
  program
    .command("serve")
    .description("Run Claire's API and dashboard for this machine (default http://127.0.0.1:8765)")
    .option("--host <host>", "address to listen on (default from claire.toml, else 127.0.0.1)")
    .option("--port <port>", "port; 0 picks a free one and prints it", parseIntOption("--port"))
    .addHelpText(
      "after",
      "\nExamples:\n  claire serve\n  claire serve --port 0        # any free port; the URL is printed",
    )
    .action(async (o: { host?: string; port?: number }) => {
      if (o.host !== undefined && o.host.trim() === "")
        throw new CliError(
          "--host must name an address (127.0.0.1, a VPN address, or 0.0.0.0 for every interface)",
          EXIT.usage,
        );
      const { describeConfigError } = await import("../../config/index.ts");
      const { createApp } = await import("../../http/app.ts");
      const { isLoopbackHostName } = await import("../../http/middleware/host-check.ts");
      const { createLogger } = await import("../../runtime/logger.ts");
      const { openLocalClaire } = await import("../../runtime/local-claire.ts");
      const { createLocalSync } = await import("../../runtime/local-sync.ts");
      const { createLocalDiscovery } = await import("../../runtime/local-discovery.ts");
      const { createChangeFeed } = await import("../../runtime/change-feed.ts");
      const log = createLogger();
      const lock = await refuseSecondServer();
      const opened = openLocalClaire({ init: true, log });
      if (!opened.ok) throw new CliError(describeConfigError(opened.error), EXIT.user);
      const claire = opened.value;
      const host = o.host ?? claire.config.server.host;
      const port = o.port ?? claire.config.server.port;
      if (port > 65_535) throw new CliError(`--port must be at most 65535`, EXIT.usage);
      const name = host.startsWith("[") ? host : host.includes(":") ? `[${host}]` : host;
      const loopback = isLoopbackHostName(name.toLowerCase());
      if (!loopback && !claire.service.hasTokens()) {
        claire.close();
        throw new CliError(
          `refusing to listen on ${host} without an API token: anyone who can reach it could control your agents`,
          EXIT.user,
          [
            "create one with `claire token create` (it is shown once), give it to your peers, then start again",
            "or listen on loopback only: claire serve --host 127.0.0.1",
          ],
        );
      }
      if (claire.created)
        log.info(
          { machineId: claire.config.machineId, config: claire.paths.configPath },
          "initialised this machine",
        );
      claire.service.announceMachine({ kind: "machine", id: claire.config.machineId });
      const sync = createLocalSync(claire, log);
      const discovery = createLocalDiscovery(claire, { log });
      const changes = createChangeFeed(claire.store);

      // The file this server opened: deleted or replaced under it (by hand: restore refuses while
      // it runs), every write would go to a file nobody can open again. It stops instead.
      const { fileIdentity } = await import("../../runtime/file-identity.ts");
      const fileId = () => fileIdentity(claire.paths.dbPath);
      const openedFile = fileId();
      const app = createApp({
        service: claire.service,
        // Listening on a name or address of its own: requests naming it are ours.
        allowedHosts: [...claire.config.server.allowedHosts, ...(loopback ? [] : [name.toLowerCase()])],
        log,
        version: CLAIRE_VERSION,
        sync,
        sessions: discovery,
        changes,
        auth: { require: claire.config.auth.require, verify: claire.service.verifyToken },
        databaseGone: () => fileId() !== openedFile,
      });
      const { serve } = await import("@hono/node-server");
      // `[::1]` names the address ::1 (as in a URL); listen() wants it bare.
      const hostname = host.replace(/^\[(.*)\]$/, "$1");
      const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
        const url = `http://${info.family === "IPv6" ? `[${info.address}]` : info.address}:${info.port}`;
        writeServerFile(claire.paths.dataDir, {
          pid: process.pid,
          url,
          startedAt: new Date().toISOString(),
          procStart: processStart(process.pid),
        });
        log.info({ url, machineId: claire.config.machineId, db: claire.paths.dbPath }, "listening");
        writeStdout(`Claire is running at ${url}\n`);
        sync.start();
        // The initial scan (then file watching and the periodic rescan) runs beside the API.
        discovery.start().then(
          (r) =>
            log.info(
              { sessions: r.sessions, live: r.live, changed: r.changed, ms: r.ms, errors: r.errors.length },
              "sessions discovered",
            ),
          (e: unknown) => log.error({ err: e }, "session discovery failed to start"),
        );
      });
      server.on("error", (e: NodeJS.ErrnoException) => {
        const hint =
          e.code === "EADDRINUSE"
            ? ` (port ${port} is taken: is another claire serve running? try --port 0)`
            : "";
        process.stderr.write(`claire: cannot listen on ${host}:${port}: ${e.message}${hint}\n`);
        claire.close();
        process.exit(EXIT.user);
      });

      const release = () => {
        try {
          claire.service.releaseQuarantine();
        } catch (e) {
          log.error({ err: e }, "releasing quarantined events failed");
        }
      };
      // At once too: a server started after max_drift_seconds was raised (or the clock set right)
      // applies what now fits without waiting for the first check.
      release();
      const timer = setInterval(release, QUARANTINE_CHECK_MS);
      timer.unref();

      // Writes by other processes on this database (a hook, the CLI without the server) reach
      // peers soon too: SQLite bumps data_version when another connection commits.
      let dataVersion = claire.store.dataVersion();

      const watcher = setInterval(() => {
        if (fileId() !== openedFile) {
          log.fatal(
            { db: claire.paths.dbPath },
            "the database file was removed or replaced under the server: stopping, so nothing more is written to a file no one can open",
          );
          process.stderr.write(
            `claire: ${claire.paths.dbPath} was removed or replaced while the server ran; stopped (start it again: claire serve)\n`,
          );
          process.exitCode = EXIT.user;
          stop("database file gone");
          return;
        }
        const v = claire.store.dataVersion();
        if (v !== dataVersion) {
          dataVersion = v;
          sync.nudge();
        }
      }, DATA_VERSION_POLL_MS);
      watcher.unref();

      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log.info({ signal }, "shutting down: finishing in-flight requests");
        clearInterval(timer);
        clearInterval(watcher);
        changes.stop();
        const discoveryStopped = discovery.stop();
        const force = setTimeout(() => {
          log.warn("in-flight requests did not finish in time; closing connections");
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }, SHUTDOWN_GRACE_MS);
        force.unref();
        // A keep-alive client would go on sending on its open connection until the grace period
        // ran out (and its last requests were cut off): from now on every answer closes its
        // connection, so each one drains after at most one more request.
        (server as unknown as Server).prependListener("request", (_req, res) => {
          if (!res.headersSent) res.setHeader("connection", "close");
        });
        server.close(() => {
          void Promise.allSettled([sync.stop(), discoveryStopped]).finally(() => {
            removeServerFile(claire.paths.dataDir, process.pid);
            claire.close();
            lock.release();
            log.info("stopped");
            process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
          });
        });
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
      // The terminal it ran in was closed: stop as cleanly as on SIGTERM (serve.json removed).
      process.on("SIGHUP", () => stop("SIGHUP"));
    });
};
