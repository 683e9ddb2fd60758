// Human output: aligned tables, relative times, colour that respects NO_COLOR and non-TTY output.
import { fstatSync } from "node:fs";

// Colour only on a terminal. Asked of the file descriptor, not of process.stdout.isTTY: making that
// stream costs every command ~2.5 ms (src/cli/stdout.ts), and node:tty's isatty loads the same
// network code. A character device that is no terminal (/dev/null) gets colour nobody sees.
let terminal: boolean | undefined;
const onTerminal = (): boolean => {
  if (terminal === undefined) {
    try {
      terminal = fstatSync(1).isCharacterDevice();
    } catch {
      terminal = false;
    }
  }
  return terminal;
};

const useColor = (): boolean => onTerminal() && !process.env.NO_COLOR && process.env.TERM !== "dumb";

// The six SGR codes Claire uses, by hand rather than through picocolors: that library decides at
// load whether to colour, by making process.stdout (see above), on every command that prints.
// As in picocolors, an inner span's close code (bold's 22 inside dim) re-opens the outer one.
const sgr = (open: number, close: number) => {
  const on = `\u001b[${open}m`;
  const off = `\u001b[${close}m`;
  return (s: string): string => (useColor() ? on + s.replaceAll(off, off + on) + off : s);
};

export const color = {
  dim: sgr(2, 22),
  bold: sgr(1, 22),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  red: sgr(31, 39),
  cyan: sgr(36, 39),
};

// Text from the log (names, descriptions, messages, session titles: typed by anyone with a token,
// or relayed by a peer) must not drive the terminal: an ESC sequence could clear the screen, move
// the cursor, retitle the window or hide what follows (SGR 8, conceal), a carriage return overwrite
// the line before it, a text-direction override show "txt.exe" as "exe.txt". Every control
// character but tab and newline, and every direction override or isolate, is shown as its \u escape. ESC
// passes only as one of the six colour codes above, and only when Claire colours at all: those are
// all it writes itself, and all a stray one can do is colour.
const UNSAFE_COLOURED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /\u001b(?!\[(?:1|2|22|31|32|33|36|39)m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_PLAIN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text as it may be printed to a terminal: control characters (but tab, newline, own colour) escaped. */
export const terminalSafe = (text: string, coloured = useColor()): string =>
  text.replace(
    coloured ? UNSAFE_COLOURED : UNSAFE_PLAIN,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

// Columns a terminal gives a character: two for East Asian wide and fullwidth ones and emoji, none
// for combining marks and zero-width joiners, one otherwise (the common cases of wcwidth; a name in
// Japanese or with an emoji must not push the table's columns out of line).
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f6ff}\u{1f900}-\u{1faff}\u{20000}-\u{3fffd}]/u;
const zeroWidth = (cp: number): boolean =>
  (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f);

/** Terminal columns a string takes, colour codes aside. */
export const displayWidth = (s: string): number => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes to measure width
  const plain = s.replace(/\u001b\[[0-9;]*m/g, "");
  // ASCII (nearly every cell) takes one column a character.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: testing for plain ASCII
  if (/^[\u0000-\u007f]*$/.test(plain)) return plain.length;
  let w = 0;
  for (const ch of plain) w += zeroWidth(ch.codePointAt(0)!) ? 0 : WIDE.test(ch) ? 2 : 1;
  return w;
};
const visible = displayWidth;

export const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string => {
  if (rows.length === 0) return "";
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i]! - visible(c))))
      .join("  ")
      .trimEnd();
  return [color.dim(line(headers)), ...rows.map(line)].join("\n");
};

/**
 * Text from the log as one table cell of at most `max` columns. Its control characters are escaped
 * here, colour codes included: a cell cut short would cut off a code's reset and colour the rest
 * of the row, and Claire colours cells itself, around them.
 */
export const truncate = (s: string | null | undefined, max: number): string => {
  if (!s) return "";
  const one = terminalSafe(s, false).replace(/\s+/g, " ").trim();
  if (one.length <= max) return one;
  // By code point, so an emoji is never cut in half.
  const chars = [...one];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : one;
};

export const relativeTime = (iso: string | null | undefined, now = Date.now()): string => {
  if (!iso) return "-";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "-";
  const s = Math.round((now - t) / 1000);
  const abs = Math.abs(s);
  const unit =
    abs < 60
      ? `${abs}s`
      : abs < 3600
        ? `${Math.floor(abs / 60)}m`
        : abs < 86_400
          ? `${Math.floor(abs / 3600)}h`
          : `${Math.floor(abs / 86_400)}d`;
  return s >= 0 ? `${unit} ago` : `in ${unit}`;
};

/** A peer's clock against this machine's: "" within a second, else "clock 7 min ahead" / "… behind". */
export const clockOffset = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined || Math.abs(ms) < 1000) return "";
  const a = Math.abs(ms);
  const size =
    a < 60_000
      ? `${Math.round(a / 1000)} s`
      : a < 3_600_000
        ? `${Math.round(a / 60_000)} min`
        : `${(a / 3_600_000).toFixed(1)} h`;
  return `clock ${size} ${ms > 0 ? "ahead" : "behind"}`;
};

export const compactNumber = (n: number): string =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)}G`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)}M`
      : n >= 1e4
        ? `${(n / 1e3).toFixed(0)}k`
        : String(n);

/** Dollars to the cent; a cost under a cent is "<$0.01", not "$0.00" (which reads as free). */
export const usd = (n: number | null | undefined): string =>
  n === null || n === undefined ? "-" : n > 0 && n < 0.005 ? "<$0.01" : `$${n.toFixed(2)}`;

export const statusColor = (status: string): string => {
  switch (status) {
    case "done":
    case "working":
      return color.green(status);
    case "blocked":
    case "waiting":
      return color.yellow(status);
    case "cancelled":
    case "ended":
      return color.dim(status);
    default:
      return status;
  }
};
