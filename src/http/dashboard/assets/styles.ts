// The dashboard's one stylesheet: system fonts, light and dark themes from the system setting,
// usable from 360 px up. Kept as a module (not a .css file) so the CLI bundle carries it.
export const DASHBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f6f4; --surface: #ffffff; --surface-2: #f0f1f3; --text: #1b1c1f; --muted: #595d66;
  --border: #d6d8dd; --accent: #1d5bb8; --accent-text: #ffffff; --focus: #1d5bb8;
  --danger: #a8221a; --danger-bg: #fdecea; --ok: #1b6e30; --ok-bg: #e6f3e9; --warn: #7a4f00; --warn-bg: #fdf3dc;
  --info: #1d4f9a; --info-bg: #e6effb; --idle: #4f5560; --idle-bg: #eceef1;
  --radius: 8px; --gap: 1rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif;
  font-size: 15px; line-height: 1.45;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121315; --surface: #1b1c20; --surface-2: #23252a; --text: #e7e8ea; --muted: #a6a9b0;
    --border: #363940; --accent: #8ab4ff; --accent-text: #0d1a30; --focus: #8ab4ff;
    --danger: #ff9a90; --danger-bg: #3a1a18; --ok: #8fdca3; --ok-bg: #15301d; --warn: #f2c66b; --warn-bg: #352a12;
    --info: #9cc1ff; --info-bg: #172640; --idle: #b9bdc5; --idle-bg: #2a2d33;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { background: var(--bg); color: var(--text); }
body { margin: 0; min-width: 0; }
a { color: var(--accent); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code, .handle { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; }
.handle { color: var(--muted); }
.muted, .hint { color: var(--muted); overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; margin: 0.25rem 0 0.75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 0; }
h3 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
p { margin: 0.4rem 0; }

.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--surface); padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { left: 0.5rem; top: 0.5rem; }

.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1rem; padding: 0.5rem 1rem;
  background: var(--surface); border-bottom: 1px solid var(--border); }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--text); text-decoration: none; }
.top nav ul { display: flex; flex-wrap: wrap; gap: 0.1rem 0.25rem; list-style: none; margin: 0; padding: 0; }
.top nav a { display: inline-block; padding: 0.35rem 0.55rem; border-radius: 6px; color: var(--text); text-decoration: none; }
.top nav a:hover { background: var(--surface-2); }
.top nav a[aria-current="page"] { background: var(--surface-2); font-weight: 600; box-shadow: inset 0 -2px 0 var(--accent); }
.where { margin-left: auto; color: var(--muted); font-size: 0.9rem; display: flex; gap: 0.5rem; align-items: center; }
.live-status { font-size: 0.8rem; padding: 0.1rem 0.45rem; border-radius: 999px; background: var(--idle-bg); color: var(--idle); }
.live-status[data-state="live"] { background: var(--ok-bg); color: var(--ok); }
.live-status[data-state="down"] { background: var(--danger-bg); color: var(--danger); }

main { padding: 0.75rem 1rem 2rem; max-width: 1600px; margin: 0 auto; }
main:focus { outline: none; }
.foot { padding: 1rem; color: var(--muted); font-size: 0.85rem; text-align: center; }
.flash:empty { display: none; }
.flash-msg { padding: 0.5rem 0.75rem; border-radius: var(--radius); background: var(--ok-bg); color: var(--ok); }
.flash-msg.error { background: var(--danger-bg); color: var(--danger); }

.page-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1rem; }
.page-head p { margin: 0; }
.grid { display: grid; gap: var(--gap); grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr)); align-items: start; }
.panel { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 0.75rem 1rem; margin: 0 0 var(--gap); min-width: 0; }
.panel-head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.5rem; margin-bottom: 0.5rem; }
.attention { border-color: var(--warn); }
.attention ul { margin: 0.25rem 0; padding-left: 1.2rem; }
.empty { color: var(--muted); font-style: italic; }
.counts { display: flex; flex-wrap: wrap; gap: 0.35rem; list-style: none; padding: 0; margin: 0.25rem 0; }

.badge { display: inline-block; padding: 0.05rem 0.45rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
.st-working, .ts-in_progress { background: var(--ok-bg); color: var(--ok); }
.st-waiting, .ts-blocked { background: var(--warn-bg); color: var(--warn); }
.st-idle, .ts-todo { background: var(--info-bg); color: var(--info); }
.st-ended, .ts-done, .ts-cancelled { background: var(--idle-bg); color: var(--idle); }
.st-unknown { background: var(--danger-bg); color: var(--danger); }
.dl-pending { background: var(--warn-bg); color: var(--warn); }
.dl-delivered { background: var(--info-bg); color: var(--info); }
.dl-acknowledged { background: var(--ok-bg); color: var(--ok); }
.prio-urgent { color: var(--danger); font-weight: 700; }
.prio-high { color: var(--warn); font-weight: 600; }

.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: 600; color: var(--muted); white-space: nowrap; }
th a { color: inherit; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:hover { background: var(--surface-2); }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }

.board { display: grid; gap: 0.75rem; grid-template-columns: repeat(5, minmax(0, 1fr)); align-items: start; }
.column { background: var(--surface-2); border-radius: var(--radius); padding: 0.5rem; min-width: 0; }
.column h2 { font-size: 0.95rem; display: flex; justify-content: space-between; padding: 0.25rem; }
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.column .more { font-size: 0.85rem; padding: 0.5rem 0.25rem 0.25rem; margin: 0; }
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 0.5rem 0.6rem; min-width: 0; overflow-wrap: anywhere; }
.card:focus-within { border-color: var(--focus); }
.card .title { font-weight: 600; }
.card .meta { font-size: 0.82rem; color: var(--muted); margin: 0.2rem 0; }
.card .note { font-size: 0.82rem; margin: 0.2rem 0; border-left: 3px solid var(--border); padding-left: 0.4rem; }
.card-actions { display: flex; flex-wrap: wrap; gap: 0.35rem; margin-top: 0.35rem; }
.card-actions a { font-size: 0.82rem; padding: 0.15rem 0.5rem; border: 1px solid var(--border); border-radius: 6px;
  background: var(--surface); color: var(--text); text-decoration: none; }
.card-actions a:hover { background: var(--surface-2); }

form.form { display: grid; gap: 0.6rem; max-width: 40rem; }
form.inline { display: inline; }
form.row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; max-width: none; }
form.filters { margin-bottom: var(--gap); }
form.row .field { flex: 1 1 12rem; }
.field { display: grid; gap: 0.2rem; min-width: 0; }
.field label { font-weight: 600; font-size: 0.9rem; }
input, select, textarea { font: inherit; color: inherit; background: var(--surface); border: 1px solid var(--border);
  border-radius: 6px; padding: 0.4rem 0.5rem; width: 100%; min-width: 0; max-width: 100%; }
textarea { resize: vertical; }
.field.invalid input, .field.invalid select, .field.invalid textarea { border-color: var(--danger); }
.field-error, .form-error { color: var(--danger); font-size: 0.88rem; margin: 0; }
.form-error { background: var(--danger-bg); padding: 0.4rem 0.6rem; border-radius: 6px; }
.hint { font-size: 0.82rem; margin: 0; }
button, .button { font: inherit; font-weight: 600; border-radius: 6px; padding: 0.4rem 0.8rem; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: var(--surface); color: var(--text); border-color: var(--border); }
button.small, .button.small { padding: 0.15rem 0.5rem; font-size: 0.82rem; font-weight: 500; }
button.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; font-weight: 400; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
details > summary { cursor: pointer; font-weight: 600; padding: 0.25rem 0; }
details[open] > summary { margin-bottom: 0.5rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
li { overflow-wrap: anywhere; }
ol.timeline li { padding: 0.35rem 0; border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
.chips { display: flex; flex-wrap: wrap; gap: 0.35rem; list-style: none; padding: 0; margin: 0.25rem 0; }
.chips li { background: var(--surface-2); border-radius: 999px; padding: 0.1rem 0.2rem 0.1rem 0.6rem; display: flex; gap: 0.35rem; align-items: center; overflow-wrap: anywhere; }
.message-body { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.25rem 0; }
.message-body .ctl { font: 0.75em ui-monospace, monospace; color: var(--warn); border: 1px solid var(--border); border-radius: 3px; padding: 0 0.15em; }
.message-body details.more { white-space: pre-wrap; }
.message-body details.more summary { cursor: pointer; color: var(--accent); white-space: normal; }
.pager { display: flex; gap: 1rem; align-items: center; margin-top: 0.5rem; }

dialog { border: 1px solid var(--border); border-radius: var(--radius); background: var(--surface); color: var(--text);
  padding: 1rem; width: min(34rem, calc(100vw - 2rem)); max-height: calc(100vh - 2rem); }
dialog::backdrop { background: rgb(0 0 0 / 0.45); }
dialog h2 { margin-bottom: 0.5rem; }
.choices { display: grid; gap: 0.4rem; }
.choices button { text-align: left; }

@media (min-width: 721px) {
  /* Every session table lines its columns up the same way (the fleet page stacks several). */
  table.sessions { table-layout: fixed; }
  table.sessions th:nth-child(1) { width: 19%; } table.sessions th:nth-child(2) { width: 9%; }
  table.sessions th:nth-child(3) { width: 9%; } table.sessions th:nth-child(4) { width: 16%; }
  table.sessions th:nth-child(5) { width: 10%; } table.sessions th:nth-child(6) { width: 15%; }
  table.sessions th:nth-child(7) { width: 10%; } table.sessions th:nth-child(8) { width: 6%; }
  table.sessions th:nth-child(9) { width: 6%; }
  table.sessions th { white-space: normal; }
}
.board-jump { display: none; }
@media (max-width: 1100px) {
  .board { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .board-jump { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; margin: 0 0 0.6rem; }
  .column h2 { scroll-margin-top: 0.5rem; }
}
@media (max-width: 720px) {
  main { padding: 0.5rem 0.6rem 2rem; }
  .board { grid-template-columns: minmax(0, 1fr); }
  .where { margin-left: 0; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border-bottom: 1px solid var(--border); padding: 0.35rem 0; }
  /* The label floats in the cell's left padding; flow-root makes the cell as tall as a wrapped label. */
  table.stack td { border: none; padding: 0.1rem 0.25rem 0.1rem 8rem; display: flow-root; text-align: left; }
  table.stack td::before { content: attr(data-label); float: left; width: 7.25rem; margin-left: -7.75rem;
    color: var(--muted); font-weight: 600; font-size: 0.85rem; overflow-wrap: anywhere; }
  table.stack td.num { text-align: left; }
}
`;
