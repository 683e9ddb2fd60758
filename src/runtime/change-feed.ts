// Tells listeners (the dashboard's server-sent events) that the database changed, whoever changed
// it: this process, a CLI or hook process writing directly, or a peer through sync. It polls the
// store's cheap version key (local commit count + PRAGMA data_version) rather than hooking every
// write path, so nothing can be missed.
import type { Store } from "../store/store.ts";

export type ChangeFeed = {
  /** Calls listener after each change (at most once per poll interval); returns an unsubscribe. */
  readonly subscribe: (listener: () => void) => () => void;
  readonly stop: () => void;
};

export const createChangeFeed = (store: Pick<Store, "version">, intervalMs = 200): ChangeFeed => {
  const listeners = new Set<() => void>();
  let last = store.version();
  const timer = setInterval(() => {
    if (listeners.size === 0) return;
    let v: string;
    try {
      v = store.version();
    } catch {
      return; // Closed during shutdown.
    }
    if (v === last) return;
    last = v;
    for (const l of [...listeners]) {
      try {
        l();
      } catch {}
    }
  }, intervalMs);
  timer.unref();
  return {
    subscribe: (listener) => {
      if (listeners.size === 0) last = store.version();
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => clearInterval(timer),
  };
};
