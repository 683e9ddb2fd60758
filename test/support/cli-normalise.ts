// Makes two runs of the same CLI script comparable: ids, short handles and tokens become numbered
// placeholders in order of first appearance (so `task.projectId` still has to equal the id the
// earlier `project add` printed), times become one placeholder, durations too. Nothing else changes.

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
const HANDLE = /\b[0-9a-f]{8}\b/g;
const TOKEN = /\bclaire_[A-Za-z0-9_-]{16,}/g;
/** Numeric fields that are measured durations or clock offsets, not data. */
const DURATION_KEY = /^(ms|.*Ms)$/;

export type Normaliser = {
  /** Normalises a parsed JSON value (keys too) or a string. */
  readonly value: (v: unknown) => unknown;
  readonly text: (s: string) => string;
};

/**
 * One normaliser per transcript: feed it a run's outputs in order. `literals` are replaced first
 * (e.g. the run's CLAIRE_HOME path, which differs between runs by construction).
 */
export const createNormaliser = (literals: Readonly<Record<string, string>> = {}): Normaliser => {
  const ids = new Map<string, string>();
  const others = new Map<string, string>();
  let next = 1;
  const numbered = (map: Map<string, string>, key: string, kind: string): string => {
    let p = map.get(key);
    if (!p) {
      p = `<${kind}:${next++}>`;
      map.set(key, p);
    }
    return p;
  };
  const idFor = (uuid: string): string => numbered(ids, uuid.toLowerCase(), "id");
  // A handle is the last 8 hex digits of a UUIDv7 or the first 8 of any other UUID: name it after
  // the id it abbreviates when that id was seen, so a handle must match its own id in both runs.
  const handleFor = (h: string): string => {
    const key = h.toLowerCase();
    for (const [uuid, p] of ids) {
      if (uuid[14] === "7" ? uuid.endsWith(key) : uuid.startsWith(key)) return `${p.slice(0, -1)}:h>`;
    }
    return numbered(others, `handle ${key}`, "hex");
  };
  const text = (s: string): string => {
    let out = s;
    for (const [lit, placeholder] of Object.entries(literals)) out = out.split(lit).join(placeholder);
    return out
      .replace(ISO_TIME, "<time>")
      .replace(UUID, idFor)
      .replace(TOKEN, (t) => numbered(others, `token ${t}`, "token"))
      .replace(HANDLE, handleFor);
  };
  const value = (v: unknown, key?: string): unknown => {
    if (typeof v === "string") return text(v);
    if (typeof v === "number" && key !== undefined && DURATION_KEY.test(key)) return "<ms>";
    if (Array.isArray(v)) return v.map((x) => value(x));
    if (v !== null && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), value(x, k)]));
    return v;
  };
  return { value: (v) => value(v), text };
};
