// Doctor checks on the database: the file itself (integrity, WAL, schema), then, through the
// service, the event log (size, growth, quarantine, rejected events) and this machine's identity.
import type { IdentityReport, LogHealth } from "../../service/ops.ts";
import type { DatabaseFileReport } from "../../store/queries/ops.ts";
import { SCHEMA_VERSION } from "../../version.ts";
import { type Check, duration, fail, mib, pass, plural, warn } from "./check.ts";

const RESTORE_FIX =
  "stop claire serve, then `claire restore <backup>` (see docs/operations.md); without a backup, move the database aside and run `claire serve`: peers send back everything they have";

/** The file checks; `usable` says whether the store may be opened for the checks that follow. */
export const databaseFileChecks = (f: DatabaseFileReport): { checks: Check[]; usable: boolean } => {
  if (!f.exists)
    return {
      checks: [
        warn(
          "database.file",
          "database",
          `no database at ${f.path} yet`,
          "run `claire init` (or `claire serve`, which initialises on first run)",
        ),
      ],
      usable: false,
    };
  if (f.openError !== null)
    return {
      checks: [
        fail(
          "database.integrity",
          "database integrity",
          `${f.path} cannot be read as a database: ${f.openError}`,
          RESTORE_FIX,
        ),
      ],
      usable: false,
    };
  const checks: Check[] = [];
  const sound = f.quickCheck.length === 1 && f.quickCheck[0] === "ok";
  checks.push(
    sound
      ? pass("database.integrity", "database integrity", `PRAGMA quick_check: ok (${f.path})`)
      : fail(
          "database.integrity",
          "database integrity",
          `PRAGMA quick_check found ${plural(f.quickCheck.length, "problem")} in ${f.path}: ${f.quickCheck
            .slice(0, 3)
            .join("; ")
            .replace(/\s*\n\s*/g, " ")}`,
          RESTORE_FIX,
        ),
  );
  checks.push(
    f.journalMode === "wal"
      ? pass("database.wal", "WAL mode", "journal_mode = wal: readers never block the writer")
      : warn(
          "database.wal",
          "WAL mode",
          `journal_mode = ${f.journalMode ?? "unknown"}; Claire uses WAL so the CLI, hooks and the server can share the database`,
          "run any claire command with the database on a local disk (WAL does not work on network filesystems such as NFS); it switches to WAL when opened",
        ),
  );
  const v = f.userVersion ?? 0;
  checks.push(
    v === SCHEMA_VERSION
      ? pass("database.schema", "schema version", `${v}, the version this Claire uses`)
      : v > SCHEMA_VERSION
        ? fail(
            "database.schema",
            "schema version",
            `${v}, newer than this Claire understands (${SCHEMA_VERSION}): a newer Claire wrote it`,
            "upgrade Claire on this machine to the version that wrote the database (npm i -g <newer claire>)",
          )
        : warn(
            "database.schema",
            "schema version",
            `${v}; this Claire migrates it to ${SCHEMA_VERSION} the next time it opens it`,
            "take a backup first if you may want to go back to the older Claire: claire backup",
          ),
  );
  return { checks, usable: sound && v <= SCHEMA_VERSION };
};

export const freeDiskCheck = (dataDir: string, freeBytes: number | null, dbBytes: number): Check => {
  if (freeBytes === null)
    return warn(
      "disk",
      "free disk",
      `could not read free space of ${dataDir}`,
      `check it with: df -h ${dataDir}`,
    );
  const detail = `${mib(freeBytes)} free where the database lives (${dataDir})`;
  if (freeBytes < 100 * 1024 ** 2 || freeBytes < dbBytes)
    return fail(
      "disk",
      "free disk",
      `${detail}: writes (and the WAL checkpoint) will fail soon`,
      "free some space on that filesystem, or move the Claire home to a larger one (docs/operations.md: moving a machine)",
    );
  if (freeBytes < 1024 ** 3)
    return warn("disk", "free disk", `${detail}: under 1 GiB`, "free some space on that filesystem");
  return pass("disk", "free disk", detail);
};

export const logChecks = (
  h: LogHealth,
  f: DatabaseFileReport,
  freeBytes: number | null,
  maxDriftMs: number,
): Check[] => {
  const checks: Check[] = [];
  const bytes = f.bytes + f.walBytes;
  const week = h.perDay.reduce((a, b) => a + b, 0);
  const perDay = week / h.perDay.length;
  const busiest = Math.max(0, ...h.perDay);
  const bytesPerEvent = h.events > 0 ? bytes / h.events : 0;
  const growth = `${perDay < 10 ? perDay.toFixed(1) : Math.round(perDay).toLocaleString("en-US")} events/day over the last ${h.perDay.length} days (busiest day ${busiest.toLocaleString("en-US")})`;
  checks.push(pass("log.size", "event log", `${plural(h.events, "event")}, ${mib(bytes)} on disk`));
  // The recent pace counts: a fleet that just grew writes like the last day, not the week's mean.
  const pace = Math.max(perDay, h.perDay.at(-1) ?? 0);
  const daysLeft =
    freeBytes !== null && pace * bytesPerEvent > 0
      ? freeBytes / (pace * bytesPerEvent)
      : Number.POSITIVE_INFINITY;
  checks.push(
    daysLeft < 30
      ? warn(
          "log.growth",
          "log growth",
          `${growth}: at this rate the disk is full in about ${Math.floor(daysLeft)} days`,
          "free disk space or move the Claire home to a larger filesystem; the log is append-only by design",
        )
      : pass("log.growth", "log growth", growth),
  );
  const q = h.quarantined;
  if (q.count === 0) checks.push(pass("log.quarantine", "quarantined events", "none"));
  else {
    const parts = [
      q.unknownTypes.length > 0 ? `types this version does not know: ${q.unknownTypes.join(", ")}` : "",
      q.maxAheadMs !== null ? `up to ${duration(q.maxAheadMs)} ahead of this machine's clock` : "",
    ].filter(Boolean);
    const fixes = [
      q.unknownTypes.length > 0 ? "upgrade Claire here to the version the other machines run" : "",
      q.maxAheadMs !== null
        ? `check the clocks (timedatectl; a peer's clock more than ${duration(maxDriftMs)} ahead makes this): they apply by themselves once this machine's time catches up`
        : "",
    ].filter(Boolean);
    checks.push(
      warn(
        "log.quarantine",
        "quarantined events",
        `${plural(q.count, "event")} stored but not applied yet${parts.length ? ` (${parts.join("; ")})` : ""}`,
        fixes.join("; ") || "they are applied automatically when they can be",
      ),
    );
  }
  const r = h.rejected;
  if (r.count === 0) checks.push(pass("log.rejected", "rejected events", "none"));
  else
    checks.push(
      warn(
        "log.rejected",
        "rejected events",
        `${plural(r.count, "event")} refused (${r.lastWeek} in the last week); latest: ${r.recent
          .slice(0, 3)
          .map((x) => `${x.n}× from ${x.source}: ${x.reason}`)
          .join("; ")}`,
        "usually a peer running an incompatible version, or a damaged import: upgrade the sender (each refused event is kept, with its reason and source, in the `rejected` table of claire.db)",
      ),
    );
  return checks;
};

/**
 * This machine's clock state against its wall clock. An HLC never goes back: after the clock was
 * fast (and events were written), it stays ahead until the wall clock catches up, and beyond the
 * max drift every peer holds this machine's new events back until then; its own view and theirs
 * differ meanwhile, and `sync --verify` cannot tell (they hold the same events).
 */
export const clockStateCheck = (aheadMs: number, maxDriftMs: number, nowMs: number): Check => {
  const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
  if (aheadMs <= maxDriftMs)
    return pass(
      "clock.state",
      "clock state",
      aheadMs < 1000
        ? "in step with this machine's clock"
        : `${Math.round(aheadMs / 1000)} s ahead of this machine's clock (within the max drift)`,
    );
  const until = new Date(nowMs + aheadMs - maxDriftMs).toISOString();
  return fail(
    "clock.state",
    "clock state",
    `${minutes(aheadMs)} ahead of this machine's clock: it was fast when events were written here, and an HLC never goes back. Every peer holds back this machine's new events (more than the max drift, ${minutes(maxDriftMs)}, ahead) until about ${until}; until then peers do not show its changes`,
    "keep the clock right (timedatectl set-ntp true, or chrony) so it does not happen again; the state catches up by itself. If its changes must reach peers sooner, make them on another machine",
  );
};

/** Open tasks waiting for each other in a circle (halves added on two machines apart). */
export const cycleCheck = (
  cycles: readonly { task: { handle: string }; waitsFor: { handle: string }[] }[],
): Check => {
  if (cycles.length === 0) return pass("tasks.cycles", "task dependencies", "no task waits for itself");
  const first = cycles[0]!;
  return warn(
    "tasks.cycles",
    "task dependencies",
    `${plural(cycles.length, "task")} wait for each other in a circle and are never ready: ${cycles
      .map((c) => `${c.task.handle} waits for ${c.waitsFor.map((w) => w.handle).join(", ")}`)
      .join("; ")} (two machines apart each added one half)`,
    `remove one of the dependencies, e.g. claire task dep rm ${first.task.handle} ${first.waitsFor[0]?.handle ?? "<task>"}`,
  );
};

export const identityCheck = (id: IdentityReport): Check => {
  const short = id.machineId.slice(0, 8);
  const problems: string[] = [];
  if (id.beyondCounter > 0)
    problems.push(
      `${plural(id.beyondCounter, "event")} under this machine's id and current epoch ${id.writer.epoch} go beyond what this machine wrote (#${id.writer.originSeq})`,
    );
  if (id.newerEpochs.length > 0)
    problems.push(
      `events under this machine's id carry newer writer epochs (${id.newerEpochs.join(", ")}) than its own (${id.writer.epoch})`,
    );
  if (id.slotCollisions > 0)
    problems.push(
      `${plural(id.slotCollisions, "event")} from elsewhere claimed this machine's own origin slots and were refused`,
    );
  if (problems.length === 0)
    return pass(
      "identity",
      "machine identity",
      `machine_id ${short}… writes epoch ${id.writer.epoch}, #${id.writer.originSeq}; nobody else writes under it`,
    );
  return fail(
    "identity",
    "machine identity",
    `another machine uses this machine_id (${id.machineId}): ${problems.join("; ")}`,
    "a home directory was copied to another machine. On the copy (not here): stop claire, move claire.toml and claire.db aside, run `claire init` for a new machine_id and add its peers again; see docs/operations.md (two machines, one machine_id). If no home was copied, a peer sent forged events: `claire doctor --json` names the source of the refused ones",
  );
};

export const mismatchCheck = (dbMachineId: string, configMachineId: string, configPath: string): Check =>
  fail(
    "identity",
    "machine identity",
    `the database belongs to machine ${dbMachineId}, but ${configPath} says ${configMachineId}`,
    "put back the claire.toml that belongs to this database (its machine_id), or move the database aside and let peers fill a new one",
  );
