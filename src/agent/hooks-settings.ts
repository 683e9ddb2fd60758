// Claire's entries in Claude Code's settings.json, as pure functions over the parsed JSON: merge
// them in (idempotent: the same entries twice change nothing), take them out (only Claire's), and
// say which are there. Everything else in the file is kept as it was.
//
// Shape (docs/claude-code-notes.md section 4):
//   {"hooks": {"SessionStart": [{"matcher"?: "...", "hooks": [{"type": "command", "command": "...", "timeout"?: 30}]}]}}
import { HOOK_EVENT_NAMES, type HookEventName } from "./hook-input.ts";

/** Seconds Claude Code waits for one of Claire's hooks (the hook gives up after 10 s itself). */
export const HOOK_TIMEOUT_SECONDS = 30;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export class SettingsShapeError extends Error {}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** POSIX shell quoting: the command runs through `/bin/sh -c`. */
export const shellQuote = (s: string): string =>
  /^[A-Za-z0-9_/.,:@%+=-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * The command Claude Code runs for one event: absolute Node and Claire entry, so PATH never
 * matters, and the Claire home it was installed from when that is not the default (CLAIRE_HOME),
 * or the hooks would write to another Claire than the one `claire hooks install` ran for.
 */
export const hookCommand = (node: string, bin: string, event: HookEventName, home?: string): string =>
  `${home ? `CLAIRE_HOME=${shellQuote(home)} ` : ""}${shellQuote(node)} ${shellQuote(bin)} hook ${event}`;

/** Whether a hook command is Claire's (any install location): `... claire[.cjs|.js] hook <Event>`. */
export const isClaireCommand = (command: unknown): boolean =>
  typeof command === "string" && /(^|[\s/'"])claire(\.cjs|\.js)?['"]?\s+hook\s+[A-Za-z]+\s*$/.test(command);

const claireEntry = (command: string): Obj => ({ type: "command", command, timeout: HOOK_TIMEOUT_SECONDS });

const eventList = (hooks: Obj, event: string): Json[] => {
  const list = hooks[event];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new SettingsShapeError(`"hooks.${event}" is not a list`);
  return list;
};

const hooksOf = (settings: Obj): Obj | undefined => {
  const hooks = settings.hooks;
  if (hooks === undefined) return undefined;
  if (!isObj(hooks)) throw new SettingsShapeError(`"hooks" is not an object`);
  return hooks;
};

/** The list without Claire's commands; groups left empty by that are dropped. */
const withoutClaire = (list: readonly Json[]): { list: Json[]; removed: number } => {
  let removed = 0;
  const out: Json[] = [];
  for (const group of list) {
    if (!isObj(group) || !Array.isArray(group.hooks)) {
      out.push(group);
      continue;
    }
    const kept = group.hooks.filter((h) => !(isObj(h) && isClaireCommand(h.command)));
    removed += group.hooks.length - kept.length;
    if (kept.length === group.hooks.length) out.push(group);
    else if (kept.length > 0) out.push({ ...group, hooks: kept });
  }
  return { list: out, removed };
};

export type Commands = Readonly<Record<HookEventName, string>>;

export const claireCommands = (node: string, bin: string, home?: string): Commands =>
  Object.fromEntries(HOOK_EVENT_NAMES.map((e) => [e, hookCommand(node, bin, e, home)])) as Commands;

const parseSettings = (settings: unknown): Obj => {
  if (settings === undefined) return {};
  if (!isObj(settings)) throw new SettingsShapeError("the file is not a JSON object");
  return structuredClone(settings);
};

/** Claire's hook for every event, exactly once; everything else untouched. */
export const mergeClaireHooks = (
  settings: unknown,
  commands: Commands,
): { settings: Obj; changed: boolean } => {
  const out = parseSettings(settings);
  const hooks = hooksOf(out) ?? {};
  let changed = false;
  for (const event of HOOK_EVENT_NAMES) {
    const list = eventList(hooks, event);
    const desired = claireEntry(commands[event]);
    const ours = list.filter(
      (g) =>
        isObj(g) && Array.isArray(g.hooks) && g.hooks.some((h) => isObj(h) && isClaireCommand(h.command)),
    );
    const exact =
      ours.length === 1 &&
      isObj(ours[0]) &&
      Array.isArray(ours[0].hooks) &&
      ours[0].hooks.length === 1 &&
      ours[0].matcher === undefined &&
      JSON.stringify(ours[0].hooks[0]) === JSON.stringify(desired);
    if (exact) continue;
    hooks[event] = [...withoutClaire(list).list, { hooks: [desired] }];
    changed = true;
  }
  if (changed) out.hooks = hooks;
  return { settings: out, changed };
};

/** Every one of Claire's hook commands taken out; nothing else. */
export const removeClaireHooks = (settings: unknown): { settings: Obj; removed: number } => {
  const out = parseSettings(settings);
  const hooks = hooksOf(out);
  if (!hooks) return { settings: out, removed: 0 };
  let removed = 0;
  for (const event of Object.keys(hooks)) {
    const list = eventList(hooks, event);
    const r = withoutClaire(list);
    if (r.removed === 0) continue;
    removed += r.removed;
    if (r.list.length > 0) hooks[event] = r.list;
    else delete hooks[event];
  }
  if (removed > 0 && Object.keys(hooks).length === 0) delete out.hooks;
  return { settings: out, removed };
};

export type EventStatus = "installed" | "outdated" | "missing";

/** Per event: Claire's exact command is there, another version of it (old paths), or none. */
export const claireHookStatus = (
  settings: unknown,
  commands: Commands,
): Record<HookEventName, EventStatus> => {
  const s = parseSettings(settings);
  const hooks = hooksOf(s) ?? {};
  const out = {} as Record<HookEventName, EventStatus>;
  for (const event of HOOK_EVENT_NAMES) {
    const found = eventList(hooks, event).flatMap((g) =>
      isObj(g) && Array.isArray(g.hooks) ? g.hooks.filter((h) => isObj(h) && isClaireCommand(h.command)) : [],
    );
    out[event] =
      found.length === 0
        ? "missing"
        : // Another Claire's entry beside the current one runs too (Claude Code runs both).
          found.every((h) => isObj(h) && h.command === commands[event])
          ? "installed"
          : "outdated";
  }
  return out;
};
