// Fleet (home): what needs attention first (waiting sessions, blocked tasks, sync errors, refused
// and held-back events), then the machines (last seen, sync lag, sessions by state), then every
// running session grouped by state, and the most recent ended ones.

import { shortHandle } from "../../../domain/ids.ts";
import { SESSION_STATES, type SessionState } from "../../../domain/session.ts";
import { FLEET_ENDED_SHOWN, type FleetOverview, type MachineView } from "../../../service/dashboard.ts";
import type { PageDef } from "../page.ts";
import { actorLabel, projectHref, sessionHref, taskHref } from "../views/format.ts";
import {
  Empty,
  FreeText,
  Panel,
  SessionLink,
  StackTable,
  StateBadge,
  TaskLink,
  Time,
} from "../views/parts.tsx";
import { SessionTable } from "../views/session-table.tsx";

const Attention = (p: { f: FleetOverview }) => {
  const a = p.f.attention;
  const nothing =
    a.waiting.length === 0 &&
    a.blocked.total === 0 &&
    a.syncErrors.length === 0 &&
    a.rejected === 0 &&
    a.quarantined === 0;
  return (
    <Panel title="Needs attention" id="attention-panel" class="attention">
      {nothing ? (
        <Empty>Nothing needs you right now.</Empty>
      ) : (
        <div class="grid">
          {a.waiting.length > 0 && (
            <div>
              <h3>Waiting for input ({a.waiting.length})</h3>
              <ul>
                {a.waiting.slice(0, 20).map((s) => (
                  <li>
                    <SessionLink session={s} /> on {s.machineName ?? s.machineId.slice(0, 8)}
                    {s.stateReason && <span class="muted"> — {s.stateReason}</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {a.blocked.total > 0 && (
            <div>
              <h3>Blocked tasks ({a.blocked.total})</h3>
              <ul>
                {a.blocked.tasks.map((t) => (
                  <li>
                    <TaskLink task={t} />
                    {t.projectId && (
                      <span class="muted">
                        {" "}
                        in{" "}
                        <a href={projectHref(t.projectId)}>
                          {p.f.projectNames.get(t.projectId) ?? "project"}
                        </a>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {a.syncErrors.length > 0 && (
            <div>
              <h3>Sync errors ({a.syncErrors.length})</h3>
              <ul>
                {a.syncErrors.map((peer) => (
                  <li>
                    <code>{peer.peer}</code>: {peer.lastError}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {(a.rejected > 0 || a.quarantined > 0) && (
            <div>
              <h3>Event log</h3>
              <p>
                <a href="/sync#sync-rejected">{a.rejected} refused</a> and{" "}
                <a href="/sync#sync-quarantined">{a.quarantined} held back</a> events
              </p>
            </div>
          )}
        </div>
      )}
    </Panel>
  );
};

const lag = (m: MachineView) => {
  if (m.isLocal) return "this machine";
  if (!m.peer) return "through another peer";
  if (m.silent) return "not heard from lately";
  if (m.peer.lastError) return `failing: ${m.peer.lastError}`;
  if (m.peer.behind === null) return "not synced yet";
  return m.peer.behind === 0 ? "in sync" : `${m.peer.behind} events behind`;
};

const Machines = (p: { f: FleetOverview }) => (
  <Panel title={`Machines (${p.f.machines.length})`} id="machines-panel">
    {p.f.machines.length === 0 ? (
      <Empty>No machine has announced itself yet.</Empty>
    ) : (
      <StackTable columns={["Machine", "Last seen", "Sync", "Sessions"]}>
        {p.f.machines.map((m) => (
          <tr>
            <td data-label="Machine">
              <a href={`/sessions?machine=${encodeURIComponent(m.id)}`}>{m.name ?? m.handle}</a>{" "}
              <code class="handle">{m.handle}</code>
            </td>
            <td data-label="Last seen">
              <Time iso={m.peer?.lastSuccessAt ?? m.lastEventAt} />
            </td>
            <td data-label="Sync">{lag(m)}</td>
            <td data-label="Sessions">
              <ul class="counts">
                {SESSION_STATES.filter((s) => m.sessions[s] > 0).map((s) => (
                  <li>
                    <StateBadge state={s} /> {m.sessions[s]}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </StackTable>
    )}
  </Panel>
);

const ORDER: readonly SessionState[] = ["working", "waiting", "idle", "unknown", "ended"];

const ByState = (p: { f: FleetOverview }) => (
  <>
    {ORDER.map((state) => {
      const list = p.f.sessions[state];
      const total = p.f.byState[state];
      if (total === 0) return null;
      const title =
        state === "ended" && total > list.length
          ? `Ended (latest ${list.length} of ${total})`
          : `${state[0]!.toUpperCase()}${state.slice(1)} (${total})`;
      return (
        <Panel title={title} id={`state-${state}`}>
          <SessionTable sessions={list} />
          {state === "ended" && total > FLEET_ENDED_SHOWN && (
            <p>
              <a href="/sessions?state=ended">All ended sessions</a>
            </p>
          )}
        </Panel>
      );
    })}
    {ORDER.every((s) => p.f.byState[s] === 0) && (
      <Panel title="Sessions" id="state-none">
        <Empty>
          No Claude Code sessions seen yet. Claire finds them in ~/.claude as they run; other machines'
          sessions arrive through sync.
        </Empty>
      </Panel>
    )}
  </>
);

/** What agents and people last reported, with what each note is about. */
const RecentNotes = (p: { f: FleetOverview }) => (
  <Panel title="Recent notes" id="recent-notes-panel">
    {p.f.recentNotes.length === 0 ? (
      <Empty>No notes yet: agents post them with the MCP tool post_update, people with claire update.</Empty>
    ) : (
      <ol class="timeline">
        {p.f.recentNotes.map((u) => (
          <li>
            <Time iso={u.createdAt} /> — <strong>{actorLabel(u.actor)}</strong>, {u.kind}
            {u.taskId ? (
              <>
                {" "}
                on task{" "}
                <a href={taskHref(u.taskId)}>
                  <code>{shortHandle(u.taskId)}</code>
                </a>
              </>
            ) : u.projectId ? (
              <>
                {" "}
                on project{" "}
                <a href={projectHref(u.projectId)}>
                  {p.f.projectNames.get(u.projectId) ?? shortHandle(u.projectId)}
                </a>
              </>
            ) : u.session ? (
              <>
                {" "}
                from session{" "}
                <a href={sessionHref(u.session)}>
                  <code>{shortHandle(u.session.sessionId)}</code>
                </a>
              </>
            ) : null}
            :
            <FreeText class="message-body" text={u.text} />
          </li>
        ))}
      </ol>
    )}
  </Panel>
);

export const fleetPage: PageDef = {
  pattern: "/",
  render: (ctx) => {
    let cached: FleetOverview | null = null;
    const f = () => {
      cached ??= ctx.service.fleetOverview();
      return cached;
    };
    return {
      title: "Fleet",
      nav: "fleet",
      body: (
        <>
          <h1>Fleet</h1>
          {ctx.live.section("attention", () => (
            <Attention f={f()} />
          ))}
          {ctx.live.section("machines", () => (
            <Machines f={f()} />
          ))}
          {ctx.live.section("sessions-by-state", () => (
            <ByState f={f()} />
          ))}
          {ctx.live.section("recent-notes", () => (
            <RecentNotes f={f()} />
          ))}
        </>
      ),
    };
  },
};
