// The sessions.command lister across refreshes: `--version` checked before the first listing (and
// again after a failed check), the last good listing kept when a run fails, and which sessions'
// entries changed reported, so only those are looked at again.
import type { CommandSession, CommandSource } from "./command-source.ts";

export const createCommandTracker = (
  source: CommandSource,
  log?: { info: (o: object, m: string) => void },
) => {
  let sessions = new Map<string, CommandSession>();
  let checked = false;
  /** Whether a listing has come through in this process (a `claire pull` has no earlier one). */
  let listed = false;
  return {
    run: async (touched: Set<string>, errors: string[]): Promise<void> => {
      if (!checked) {
        const v = await source.checkVersion();
        if (!v.ok) {
          errors.push(v.error);
          return;
        }
        checked = true;
        log?.info({ version: v.value }, "sessions.command answers --version");
      }
      const listing = await source.list();
      if (!listing.ok) {
        errors.push(listing.error);
        return;
      }
      errors.push(...listing.value.problems);
      const next = new Map(listing.value.sessions.map((s) => [s.sessionId, s]));
      for (const id of new Set([...sessions.keys(), ...next.keys()])) {
        if (JSON.stringify(sessions.get(id)) !== JSON.stringify(next.get(id))) touched.add(id);
      }
      sessions = next;
      listed = true;
    },
    listed: (): boolean => listed,
    session: (sessionId: string): CommandSession | undefined => sessions.get(sessionId),
  };
};
