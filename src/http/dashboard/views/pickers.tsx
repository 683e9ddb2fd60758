// Choosing a session or a message target: running sessions first (working, waiting, idle), then
// those of unknown state, then recently ended ones; each labelled with its name, machine and handle.
import type { SessionState } from "../../../domain/session.ts";
import type { SessionView } from "../../../service/dashboard.ts";
import type { Option, OptionGroup } from "./fields.tsx";
import { sessionKeyOf, sessionName } from "./format.ts";

const GROUPS: readonly { state: SessionState; label: string }[] = [
  { state: "working", label: "Working" },
  { state: "waiting", label: "Waiting" },
  { state: "idle", label: "Idle" },
  { state: "unknown", label: "Unknown" },
  { state: "ended", label: "Ended" },
];

export const sessionOptionLabel = (s: SessionView): string =>
  `${sessionName(s)} — ${s.machineName ?? s.machineId.slice(0, 8)} · ${s.handle}`;

/** Sessions as option groups by state, running first; `prefix` goes before each value ("session:"). */
export const sessionOptions = (
  sessions: readonly SessionView[],
  opts: { prefix?: string; withEnded?: boolean } = {},
): OptionGroup[] =>
  GROUPS.filter((g) => g.state !== "ended" || opts.withEnded !== false).map((g) => ({
    label: g.label,
    options: sessions
      .filter((s) => s.shownState === g.state)
      .map(
        (s): Option => ({ value: `${opts.prefix ?? ""}${sessionKeyOf(s)}`, label: sessionOptionLabel(s) }),
      ),
  }));
