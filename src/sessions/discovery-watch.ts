// File watching for discovery: `<configDir>/projects` (recursive) and `<configDir>/sessions`, or the
// config dir itself until those exist. Events become a "what to look at" note for the next refresh.
import { type FSWatcher, watch } from "node:fs";
import { basename, join } from "node:path";

/** What changed since the last refresh, as far as file events tell. */
export interface WatchNote {
  /** Transcript paths named by events. */
  paths: Set<string>;
  /** Something the events cannot pin down (a new directory, a lost watcher): list everything. */
  fullScan: boolean;
  /** A pid file changed. */
  liveness: boolean;
}

export const emptyNote = (): WatchNote => ({ paths: new Set(), fullScan: false, liveness: false });

export interface DiscoveryWatcher {
  /** (Re)attaches watchers that are missing, e.g. for a directory created since. */
  attach(): void;
  close(): void;
  /** Directories watched now (for tests and logs). */
  watched(): string[];
}

type Log = { warn: (obj: object, msg: string) => void };

const filenameOf = (f: string | Buffer | null): string | null =>
  f === null ? null : typeof f === "string" ? f : f.toString("utf8");

export const createDiscoveryWatcher = (
  configDirs: readonly string[],
  onNote: (apply: (note: WatchNote) => void) => void,
  log?: Log,
): DiscoveryWatcher => {
  const watchers = new Map<string, FSWatcher>();

  const add = (dir: string, recursive: boolean, onEvent: (name: string | null) => void): boolean => {
    if (watchers.has(dir)) return true;
    let w: FSWatcher;
    try {
      w = watch(dir, { recursive, persistent: false }, (_event, name) => onEvent(filenameOf(name)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") log?.warn({ dir, err: e }, "cannot watch directory");
      return false;
    }
    w.on("error", (e) => {
      // The directory went away (or the watch broke): the periodic rescan re-attaches.
      log?.warn({ dir, err: e }, "directory watch stopped");
      w.close();
      watchers.delete(dir);
      onNote((n) => {
        n.fullScan = true;
        n.liveness = true;
      });
    });
    watchers.set(dir, w);
    return true;
  };

  const attachOne = (configDir: string): void => {
    const projects = join(configDir, "projects");
    const sessions = join(configDir, "sessions");
    const hasProjects = add(projects, true, (name) =>
      onNote((n) => {
        if (name === null) n.fullScan = true;
        else if (name.endsWith(".jsonl")) n.paths.add(join(projects, name));
        // Other files (tool results, subagent .meta.json, custom-title.json) change no transcript;
        // a name without an extension is most likely a new directory, whose files may predate its watch.
        else if (!basename(name).includes(".")) n.fullScan = true;
      }),
    );
    const hasSessions = add(sessions, false, () =>
      onNote((n) => {
        n.liveness = true;
      }),
    );
    if (hasProjects && hasSessions) {
      watchers.get(configDir)?.close();
      watchers.delete(configDir);
      return;
    }
    // Until Claude Code creates them, watch the config dir for their arrival.
    add(configDir, false, (name) => {
      if (name !== "projects" && name !== "sessions") return;
      attachOne(configDir);
      onNote((n) => {
        n.fullScan = true;
        n.liveness = true;
      });
    });
  };

  return {
    attach: () => {
      for (const dir of configDirs) attachOne(dir);
    },
    close: () => {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
    watched: () => [...watchers.keys()],
  };
};
