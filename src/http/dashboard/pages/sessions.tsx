// Sessions: every session on every machine in one table, filtered (text, machine, state) and sorted
// by any column through the address (so a filtered view can be bookmarked and follows live).
import type { SessionTable as Table } from "../../../service/dashboard.ts";
import type { PageDef } from "../page.ts";
import { Empty, Panel } from "../views/parts.tsx";
import { type Column, SessionTable } from "../views/session-table.tsx";

const PAGE_SIZE = 250;

const STATE_FILTERS = [
  { value: "", label: "Any state" },
  { value: "working,waiting,idle", label: "Running" },
  { value: "working", label: "Working" },
  { value: "waiting", label: "Waiting" },
  { value: "idle", label: "Idle" },
  { value: "unknown", label: "Unknown" },
  { value: "ended", label: "Ended" },
];

const SORTABLE = new Set(["activity", "state", "machine", "cwd", "branch", "title", "tokens", "cost"]);

const withParams = (query: URLSearchParams, changes: Record<string, string | null>): string => {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return s ? `/sessions?${s}` : "/sessions";
};

const Filters = (p: { query: URLSearchParams; machines: readonly { id: string; label: string }[] }) => {
  const q = p.query;
  return (
    <form class="form row filters" method="get" action="/sessions" aria-label="Filter sessions">
      <div class="field">
        <label for="f-q">Search</label>
        <input
          id="f-q"
          name="q"
          type="search"
          value={q.get("q") ?? ""}
          placeholder="directory, title, branch, id"
        />
      </div>
      <div class="field">
        <label for="f-machine">Machine</label>
        <select id="f-machine" name="machine">
          <option value="">Any machine</option>
          {p.machines.map((m) => (
            <option value={m.id} selected={q.get("machine") === m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-state">State</label>
        <select id="f-state" name="state">
          {STATE_FILTERS.map((s) => (
            <option value={s.value} selected={(q.get("state") ?? "") === s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      {q.get("sort") && <input type="hidden" name="sort" value={q.get("sort")!} />}
      {q.get("dir") && <input type="hidden" name="dir" value={q.get("dir")!} />}
      <button type="submit">Filter</button>
    </form>
  );
};

const Results = (p: { table: Table; query: URLSearchParams }) => {
  const t = p.table;
  const header = (c: Column) => {
    if (!SORTABLE.has(c.key)) return c.label;
    const active = t.sort === c.key;
    const dir = active ? (t.descending ? "asc" : "desc") : null;
    return (
      <a href={withParams(p.query, { sort: c.key, dir, offset: null })}>
        {c.label}
        {active && <span aria-hidden="true">{t.descending ? " ↓" : " ↑"}</span>}
      </a>
    );
  };
  const sorted = (c: Column) => (t.sort === c.key ? (t.descending ? "descending" : "ascending") : undefined);
  const end = t.offset + t.sessions.length;
  return (
    <Panel title={`${t.total} ${t.total === 1 ? "session" : "sessions"}`} id="sessions-results">
      {t.total === 0 ? (
        <Empty>No session matches.</Empty>
      ) : t.sessions.length === 0 ? (
        <Empty>
          Past the last of {t.total} sessions: <a href={withParams(p.query, { offset: null })}>first page</a>
        </Empty>
      ) : (
        <>
          <SessionTable sessions={t.sessions} header={header} sorted={sorted} id="sessions" />
          {t.total > t.sessions.length && (
            <nav class="pager" aria-label="Pages">
              {t.offset > 0 && (
                <a href={withParams(p.query, { offset: String(Math.max(0, t.offset - t.limit)) })}>
                  Previous
                </a>
              )}
              <span>
                {t.offset + 1}–{end} of {t.total}
              </span>
              {end < t.total && <a href={withParams(p.query, { offset: String(end) })}>Next</a>}
            </nav>
          )}
        </>
      )}
    </Panel>
  );
};

export const sessionsPage: PageDef = {
  pattern: "/sessions",
  render: (ctx) => {
    const q = ctx.query;
    const machines = ctx.service
      .listMachines()
      .map((m) => ({ id: m.id, label: m.name ? `${m.name} (${m.handle})` : m.handle }));
    return {
      title: "Sessions",
      nav: "sessions",
      body: (
        <>
          <h1>Sessions</h1>
          <Filters query={q} machines={machines} />
          {ctx.live.section("sessions-table", () => {
            const r = ctx.service.sessionTable({
              text: q.get("q") ?? undefined,
              machine: q.get("machine") || undefined,
              states: (q.get("state") ?? "").split(",").filter(Boolean),
              sort: q.get("sort") ?? undefined,
              dir: q.get("dir") ?? undefined,
              limit: PAGE_SIZE,
              // Digits only: "1e3" is not 1 (parseInt's reading), nor anything else.
              offset: /^\d{1,15}$/.test(q.get("offset") ?? "") ? Number(q.get("offset")) : 0,
            });
            if (!r.ok)
              return (
                <p class="form-error" role="alert">
                  {r.error.type === "ValidationError" ? r.error.message : "No such machine."}
                </p>
              );
            return <Results table={r.value} query={q} />;
          })}
        </>
      ),
    };
  },
};
