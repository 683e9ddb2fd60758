// Sync: each peer's health (last attempt and success, events behind, last error, clock offset), the
// event log's counts, and the events refused at the door or held back until what they need arrives.
import type { PeerHealth } from "../../../service/sync.ts";
import type { PageDef } from "../page.ts";
import { ButtonForm } from "../views/fields.tsx";
import { fmtCount } from "../views/format.ts";
import { Empty, Panel, StackTable, Time } from "../views/parts.tsx";

const Peers = (p: { peers: readonly PeerHealth[] }) => (
  <Panel
    title={`Peers (${p.peers.length})`}
    id="peers"
    actions={<ButtonForm action="/sync/run" back="/sync" label="Sync now" class="small" />}
  >
    {p.peers.length === 0 ? (
      <Empty>
        No peer has been contacted yet. Add one with{" "}
        <code>claire peer add http://other-machine:8765 --token …</code>.
      </Empty>
    ) : (
      <div class="table-wrap">
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">Peer</th>
              <th scope="col">Last success</th>
              <th scope="col">Last attempt</th>
              <th scope="col" class="num">
                Behind
              </th>
              <th scope="col" class="num">
                Pulled / pushed
              </th>
              <th scope="col" class="num">
                Clock offset
              </th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {p.peers.map((peer) => (
              <tr>
                <td data-label="Peer">
                  <code>{peer.peer}</code>
                  {peer.machineId && <p class="muted">machine {peer.machineId.slice(0, 8)}</p>}
                </td>
                <td data-label="Last success">
                  <Time iso={peer.lastSuccessAt} fallback="never" />
                </td>
                <td data-label="Last attempt">
                  <Time iso={peer.lastAttemptAt} fallback="never" />
                </td>
                <td data-label="Behind" class="num">
                  {peer.behind === null ? "—" : fmtCount(peer.behind)}
                </td>
                <td data-label="Pulled / pushed" class="num">
                  {fmtCount(peer.pulled)} / {fmtCount(peer.pushed)}
                </td>
                <td data-label="Clock offset" class="num">
                  {peer.clockOffsetMs === null ? "—" : `${peer.clockOffsetMs} ms`}
                </td>
                <td data-label="Last error">{peer.lastError ?? <span class="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
  </Panel>
);

export const syncPage: PageDef = {
  pattern: "/sync",
  render: (ctx) => ({
    title: "Sync",
    nav: "sync",
    body: (
      <>
        <h1>Sync</h1>
        {ctx.live.section("sync-peers", () => (
          <Peers peers={ctx.service.peerHealth()} />
        ))}
        {ctx.live.section("sync-log", () => {
          const e = ctx.service.fleetStatus().events;
          return (
            <Panel title="Event log" id="log">
              <dl class="facts">
                <dt>Events</dt>
                <dd>{fmtCount(e.total)}</dd>
                <dt>Held back</dt>
                <dd>{fmtCount(e.quarantined)}</dd>
                <dt>Refused</dt>
                <dd>{fmtCount(e.rejected)}</dd>
                <dt>This machine</dt>
                <dd>
                  {ctx.service.machine.machineName} <code>{ctx.service.machine.machineId}</code>
                </dd>
              </dl>
            </Panel>
          );
        })}
        {ctx.live.section("sync-rejected", () => {
          const rows = ctx.service.rejectedEvents(100);
          return (
            <Panel title="Refused events" id="rejected">
              <p class="hint">
                Events that failed validation or claimed a slot another event holds; never applied.
              </p>
              {rows.length === 0 ? (
                <Empty>None.</Empty>
              ) : (
                <StackTable columns={["When", "From", "Event", "Reason"]}>
                  {rows.map((r) => (
                    <tr>
                      <td data-label="When">
                        <Time iso={r.at} />
                      </td>
                      <td data-label="From">
                        <code>{r.source}</code>
                      </td>
                      <td data-label="Event">{r.eventId ? <code>{r.eventId}</code> : "—"}</td>
                      <td data-label="Reason">{r.reason}</td>
                    </tr>
                  ))}
                </StackTable>
              )}
            </Panel>
          );
        })}
        {ctx.live.section("sync-quarantined", () => {
          const rows = ctx.service.quarantinedEvents(100);
          return (
            <Panel title="Held-back events" id="quarantined">
              <p class="hint">
                Events from a clock too far ahead, or of a type this version does not know: stored and
                relayed, applied once local time catches up or after an upgrade.
              </p>
              {rows.length === 0 ? (
                <Empty>None.</Empty>
              ) : (
                <StackTable columns={["Type", "Entity", "Machine", "Time"]}>
                  {rows.map((r) => (
                    <tr>
                      <td data-label="Type">
                        <code>{r.type}</code>
                      </td>
                      <td data-label="Entity">
                        <code>{r.entityId}</code>
                      </td>
                      <td data-label="Machine">
                        <code>{r.machineId.slice(0, 8)}</code>
                      </td>
                      <td data-label="Time">
                        <Time iso={r.at} />
                      </td>
                    </tr>
                  ))}
                </StackTable>
              )}
            </Panel>
          );
        })}
      </>
    ),
  }),
};
