// Turns a user line's message content into the human prompt it carries, or null for machine text.
export const TITLE_MAX_CHARS = 200;

// Prompts can be pasted files; only the head can ever reach a title, so keep no more than this.
const HEAD_CHARS = 2000;

/** The real prompt text of a user message, or null for tool results, commands, caveats, interruptions. */
export const promptFromContent = (content: unknown): string | null => {
  if (typeof content === "string") return promptFromText(content);
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const block of content) {
    if (typeof block !== "object" || block === null) continue;
    const b = block as { type?: unknown; text?: unknown };
    // A tool result travels as a user line but was written by a tool, not a person.
    if (b.type === "tool_result") return null;
    if (b.type !== "text" || typeof b.text !== "string") continue;
    const text = promptFromText(b.text);
    if (text !== null) parts.push(text);
  }
  return parts.length > 0 ? parts.join(" ") : null;
};

const promptFromText = (raw: string): string | null => {
  // Tags first: a long IDE selection ahead of the prompt must not be cut before its closing tag.
  const text = stripLeadingTags(raw).slice(0, HEAD_CHARS).trim();
  if (text === "") return null;
  // "[Request interrupted by user]" and "...for tool use]" are written by Claude Code itself.
  if (text.startsWith("[Request interrupted")) return null;
  return text;
};

/**
 * Drops leading `<tag>...</tag>` elements: slash commands (`<command-name>`), their output
 * (`<local-command-stdout>`), bash mode and IDE context are wrapped this way, and a prompt made only
 * of them is not something a person typed. A lone `<` without its closing tag is kept as text.
 */
export const stripLeadingTags = (text: string): string => {
  let rest = text.trimStart();
  for (;;) {
    const m = /^<([A-Za-z][\w-]*)(?:\s[^>]*)?>/.exec(rest);
    if (m === null) return rest;
    const close = rest.indexOf(`</${m[1]}>`, m[0].length);
    if (close < 0) return rest;
    rest = rest.slice(close + m[1]!.length + 3).trimStart();
  }
};

/** One line, collapsed whitespace, at most TITLE_MAX_CHARS code points (an ellipsis marks a cut). */
export const normaliseTitle = (raw: string): string | null => {
  const text = raw.slice(0, HEAD_CHARS).replace(/\s+/g, " ").trim();
  if (text === "") return null;
  const chars = Array.from(text);
  if (chars.length <= TITLE_MAX_CHARS) return text;
  return `${chars
    .slice(0, TITLE_MAX_CHARS - 1)
    .join("")
    .trimEnd()}…`;
};
