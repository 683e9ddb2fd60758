// The scanner's state kept in Claire's database (through the service, its only writer): reads go
// to the database, writes are buffered during a scan and saved together by flush(), in one
// transaction, or none when the scan changed nothing.
import type { FileScanState, ScanStateStore } from "./scan-state.ts";

/** The service's scan-state ops (src/service/scan-state.ts); states are JSON text. */
export interface ScanStateAccess {
  scanStates(): readonly { path: string; state: string }[];
  scanState(path: string): string | undefined;
  saveScanStates(puts: readonly { path: string; state: string }[], deletes: readonly string[]): void;
}

export interface StoredScanStateStore extends ScanStateStore {
  /** Writes what the scan changed; returns how many rows were written or removed. */
  flush(): number;
}

export const createStoredScanStateStore = (access: ScanStateAccess): StoredScanStateStore => {
  // path -> serialised state, or null for a removal, since the last flush.
  const pending = new Map<string, string | null>();
  const parse = (text: string | undefined): FileScanState | undefined =>
    text === undefined ? undefined : (JSON.parse(text) as FileScanState);
  return {
    get: (path) => {
      const p = pending.get(path);
      if (p === null) return undefined;
      return parse(p ?? access.scanState(path));
    },
    put: (path, state) => {
      pending.set(path, JSON.stringify(state));
    },
    delete: (path) => {
      pending.set(path, null);
    },
    list: () => {
      const rows = new Map(access.scanStates().map((r) => [r.path, r.state] as const));
      for (const [path, state] of pending) {
        if (state === null) rows.delete(path);
        else rows.set(path, state);
      }
      return [...rows.values()].map((s) => JSON.parse(s) as FileScanState);
    },
    flush: () => {
      if (pending.size === 0) return 0;
      const puts: { path: string; state: string }[] = [];
      const deletes: string[] = [];
      for (const [path, state] of pending) {
        if (state === null) deletes.push(path);
        else puts.push({ path, state });
      }
      access.saveScanStates(puts, deletes);
      pending.clear();
      return puts.length + deletes.length;
    },
  };
};
