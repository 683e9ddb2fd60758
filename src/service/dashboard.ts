// Reads for the web dashboard: the fleet at a glance (what needs attention first), a project's
// board, the session table and picker, and the event log's held-back and refused events. Views
// only; every dashboard write goes through the same operations as the API.
import type { ServiceError } from "../domain/errors.ts";
import type { Machine } from "../domain/machine.ts";
import type { Project } from "../domain/project.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { SESSION_STATES, type Session, type SessionState } from "../domain/session.ts";
import { TASK_STATUSES, type TaskStatus } from "../domain/task.ts";
import { msToIso } from "../domain/text.ts";
import type { Update } from "../domain/update.ts";
import {
  type CardRow,
  type QuarantinedRow,
  SESSION_SORTS,
  type SessionSort,
  type TaskBrief,
} from "../store/queries/dashboard.ts";
import type { ServiceDeps } from "./context.ts";
import type { Resolvers } from "./resolve.ts";
import { parseSessionFilter } from "./session-filter.ts";
import { silentMachines } from "./silence.ts";
import { type PeerHealth, peerHealth } from "./sync.ts";

/** The fleet page lists every session that has not ended, and only this many of the ended ones. */
export const FLEET_ENDED_SHOWN = 25;

/** A session as the dashboard shows it: its recorded state unless its machine went silent. */
export type SessionView = Session & {
  readonly shownState: SessionState;
  /** Since when the shown state holds (the machine's last contact when it went silent). */
  readonly shownSince: string | null;
  readonly currentTask: TaskBrief | null;
};

export type MachineView = Machine & {
  /** Sync health of the peer that is this machine, when this machine syncs with it directly. */
  readonly peer: PeerHealth | null;
  readonly silent: boolean;
  readonly sessions: Readonly<Record<SessionState, number>>;
};

export type FleetOverview = {
  readonly machine: { readonly id: string; readonly name: string };
  readonly machines: readonly MachineView[];
  readonly byState: Readonly<Record<SessionState, number>>;
  readonly sessions: Readonly<Record<SessionState, readonly SessionView[]>>;
  readonly attention: {
    readonly waiting: readonly SessionView[];
    readonly blocked: {
      readonly tasks: readonly (TaskBrief & { readonly projectId: string | null })[];
      readonly total: number;
    };
    readonly syncErrors: readonly PeerHealth[];
    readonly rejected: number;
    readonly quarantined: number;
  };
  readonly projectNames: ReadonlyMap<string, string>;
  /** The newest notes of the whole fleet (what `claire status` shows as recent updates). */
  readonly recentNotes: readonly Update[];
};

export type BoardCard = CardRow & {
  readonly deps: readonly TaskBrief[];
  readonly openDeps: number;
  readonly ownerSession: Session | null;
};

export type Board = {
  readonly project: Project;
  /** The cards shown: each column cut at BOARD_COLUMN_LIMIT unless asked for whole. */
  readonly cards: readonly BoardCard[];
  /** How many tasks each column holds in all. */
  readonly counts: Readonly<Record<TaskStatus, number>>;
  /** The newest notes about the project itself (not about one of its tasks), newest first. */
  readonly notes: readonly Update[];
};

/** Notes the fleet page shows, newest first, as `claire status` does. */
export const FLEET_NOTES_SHOWN = 10;

/** Project notes a board shows: the newest few; `claire updates -p` lists them all. */
export const BOARD_NOTES = 10;

/**
 * Cards a board column shows unless asked for all of them: a long-lived project's Done column
 * holds thousands, and a page of them all is megabytes that no one scrolls through.
 */
export const BOARD_COLUMN_LIMIT = 200;

export type SessionTableQuery = {
  readonly text?: string | undefined;
  readonly machine?: string | undefined;
  readonly states?: readonly string[] | undefined;
  readonly sort?: string | undefined;
  readonly dir?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
};

export type SessionTable = {
  readonly sessions: readonly SessionView[];
  readonly total: number;
  readonly sort: SessionSort;
  readonly descending: boolean;
  readonly limit: number;
  readonly offset: number;
};

export type RejectedEvent = {
  readonly seq: number;
  readonly at: string;
  readonly source: string;
  readonly eventId: string | null;
  readonly reason: string;
};

const zeroCounts = (): Record<SessionState, number> =>
  Object.fromEntries(SESSION_STATES.map((s) => [s, 0])) as Record<SessionState, number>;

const RUNNING = new Set<SessionState>(["working", "waiting", "idle"]);

export const createDashboardOps = ({ store, now, machine }: ServiceDeps, resolve: Resolvers) => {
  const { q } = store;

  /** Peers by the machine they are, and the machines not heard from lately (silence.ts). */
  const contact = () => {
    const peers = q.sync.allPeerStatus().map(peerHealth);
    const byMachine = new Map<string, PeerHealth>();
    for (const p of peers) if (p.machineId) byMachine.set(p.machineId, p);
    return { peers, byMachine, silentSince: silentMachines(store, now(), machine.machineId) };
  };

  /**
   * A session as shown. `tasks` gives current tasks already read (the fleet's running sessions, in
   * one query); others are looked up by the owner index, only when `withTask`. The session object
   * is fresh from its query, so it is extended in place rather than copied (a thousand per page).
   */
  const viewOf =
    (
      silentSince: ReadonlyMap<string, string | null>,
      withTask: boolean,
      tasks?: ReadonlyMap<string, TaskBrief>,
    ) =>
    (s: Session): SessionView => {
      const silent = silentSince.has(s.machineId) && RUNNING.has(s.state);
      const known = tasks?.get(`${s.machineId}/${s.sessionId}`);
      return Object.assign(s, {
        shownState: silent ? ("unknown" as const) : s.state,
        shownSince: silent ? (silentSince.get(s.machineId) ?? null) : s.stateSince,
        currentTask:
          known ??
          (withTask && (!tasks || s.state === "ended")
            ? q.dashboard.currentTask(s.machineId, s.sessionId)
            : null),
      });
    };

  /**
   * Titles kept out of events (sessions.share_titles = false) still show on this machine, as the
   * sessions operations show them: from the local transcript scanner's state. In place (fresh rows).
   */
  const withLocalTitles = <S extends Session>(sessions: S[]): S[] => {
    const paths = sessions.flatMap((s) =>
      s.machineId === machine.machineId && s.title === null && s.transcriptPath ? [s.transcriptPath] : [],
    );
    if (paths.length === 0) return sessions;
    const titles = q.discovery.localTitles(paths);
    for (const s of sessions) {
      const t = s.title === null && s.transcriptPath ? titles.get(s.transcriptPath) : undefined;
      if (t !== undefined && s.machineId === machine.machineId) (s as { title: string | null }).title = t;
    }
    return sessions;
  };

  return {
    /** Changes whenever the database may have changed: the dashboard's cache and live-update key. */
    dashboardVersion: (): string => store.version(),

    fleetOverview: (): FleetOverview => {
      const { peers, byMachine, silentSince } = contact();
      const view = viewOf(silentSince, true, q.dashboard.currentTasksOfOpenSessions());
      const open = withLocalTitles(q.dashboard.openSessions()).map(view);
      const ended = withLocalTitles(q.dashboard.recentEndedSessions(FLEET_ENDED_SHOWN)).map(view);
      const sessions = Object.fromEntries(SESSION_STATES.map((s) => [s, [] as SessionView[]])) as Record<
        SessionState,
        SessionView[]
      >;
      for (const s of [...open, ...ended]) sessions[s.shownState].push(s);
      const perMachine = new Map<string, Record<SessionState, number>>();
      const byState = zeroCounts();
      for (const r of q.dashboard.sessionCounts()) {
        const state =
          silentSince.has(r.machineId) && RUNNING.has(r.state) ? "unknown" : (r.state as SessionState);
        const counts = perMachine.get(r.machineId) ?? zeroCounts();
        counts[state] += r.n;
        perMachine.set(r.machineId, counts);
        byState[state] += r.n;
      }
      const blocked = q.dashboard.blockedTasks(10);
      const counts = q.events.counts();
      return {
        machine: { id: machine.machineId, name: machine.machineName },
        machines: q.machines.list().map((m) => ({
          ...m,
          peer: byMachine.get(m.id) ?? null,
          silent: silentSince.has(m.id),
          sessions: perMachine.get(m.id) ?? zeroCounts(),
        })),
        byState,
        sessions,
        attention: {
          waiting: sessions.waiting,
          blocked,
          syncErrors: peers.filter((p) => p.lastError !== null),
          rejected: counts.rejected,
          quarantined: counts.quarantined,
        },
        projectNames: q.dashboard.projectNames(),
        recentNotes: q.updates.list({ limit: FLEET_NOTES_SHOWN }),
      };
    },

    /** Every task of a project as a card, with its dependencies' states and its owner session. */
    /** A project's board; the columns named in `whole` are shown whole, the others cut. */
    projectBoard: (projectInput: string, whole: readonly TaskStatus[] = []): Result<Board, ServiceError> => {
      const id = resolve.project(projectInput);
      if (!id.ok) return id;
      const project = q.projects.get(id.value);
      if (!project) return err({ type: "NotFoundError", entity: "project", id: projectInput });
      const limits = Object.fromEntries(
        TASK_STATUSES.map((s) => [s, whole.includes(s) ? null : BOARD_COLUMN_LIMIT]),
      ) as Record<TaskStatus, number | null>;
      const rows = q.dashboard.boardCards(id.value, limits);
      const known = new Map<string, TaskBrief>(
        rows.map((r) => [r.id, { id: r.id, handle: r.handle, title: r.title, status: r.status }]),
      );
      const missing = [...new Set(rows.flatMap((r) => r.dependsOn))].filter((d) => !known.has(d));
      for (const [k, v] of q.dashboard.taskBriefs(missing)) known.set(k, v);
      const owners = new Map<string, Session | null>();
      const cards = rows.map((r): BoardCard => {
        const deps = r.dependsOn.map(
          (d): TaskBrief => known.get(d) ?? { id: d, handle: d.slice(-8), title: null, status: "todo" },
        );
        let ownerSession: Session | null = null;
        if (r.owner) {
          const key = `${r.owner.machineId}/${r.owner.sessionId}`;
          if (!owners.has(key)) owners.set(key, q.sessions.get(key));
          ownerSession = owners.get(key) ?? null;
        }
        return { ...r, deps, openDeps: deps.filter((d) => d.status !== "done").length, ownerSession };
      });
      return ok({
        project,
        cards,
        counts: q.dashboard.boardCounts(id.value),
        notes: q.updates.list({ projectId: id.value, projectOnly: true, limit: BOARD_NOTES }),
      });
    },

    /** Sessions of every machine, filtered by text, machine and state, sorted by any column. */
    sessionTable: (f: SessionTableQuery): Result<SessionTable, ServiceError> => {
      const filter = parseSessionFilter(resolve, f.machine, f.states);
      if (!filter.ok) return filter;
      const { machineId, states } = filter.value;
      const sort = (f.sort && Object.hasOwn(SESSION_SORTS, f.sort) ? f.sort : "activity") as SessionSort;
      // Activity, tokens and cost read best newest/largest first; names alphabetically.
      const descending = f.dir ? f.dir === "desc" : ["activity", "tokens", "cost"].includes(sort);
      const limit = Math.min(Math.max(f.limit ?? 500, 1), 5000);
      const offset = Math.max(f.offset ?? 0, 0);
      const { silentSince } = contact();
      const r = q.dashboard.sessionTable({
        text: f.text?.trim() || undefined,
        machineId,
        states,
        sort,
        descending,
        limit,
        offset,
      });
      const view = viewOf(silentSince, true);
      return ok({
        sessions: withLocalTitles(r.sessions).map(view),
        total: r.total,
        sort,
        descending,
        limit,
        offset,
      });
    },

    /** Sessions to choose from (assigning, messaging, group members): running ones first. */
    sessionChoices: (limit = 300): SessionView[] => {
      const { silentSince } = contact();
      return withLocalTitles(q.dashboard.sessionPicker(Math.min(Math.max(limit, 1), 5000))).map(
        viewOf(silentSince, false),
      );
    },

    /** Events refused at the door (invalid, or claiming a slot another event holds), newest first. */
    rejectedEvents: (limit = 100): RejectedEvent[] =>
      q.events.rejected(Math.min(Math.max(limit, 1), 1000)).map((r) => ({
        seq: r.seq,
        at: msToIso(r.at_ms),
        source: r.source,
        eventId: r.event_id,
        reason: r.reason,
      })),

    /** Events held back until what they refer to arrives, newest first. */
    quarantinedEvents: (limit = 100): QuarantinedRow[] =>
      q.dashboard.quarantined(Math.min(Math.max(limit, 1), 1000)),
  };
};

export type { QuarantinedRow, TaskBrief };
