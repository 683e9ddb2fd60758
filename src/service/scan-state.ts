// The transcript scanner's state (the local `scan_state` table, never synced): one JSON document per
// transcript file. Discovery reads it through these ops and hands its changes back in one write.
import type { ScanStateRow } from "../store/queries/discovery.ts";
import type { ServiceDeps } from "./context.ts";

export type { ScanStateRow };

export const createScanStateOps = ({ store }: ServiceDeps) => ({
  scanStates: (): ScanStateRow[] => store.q.discovery.scanStates(),
  scanState: (path: string): string | undefined => store.q.discovery.scanState(path),
  /** Saves and removes states in one transaction; no transaction at all when there is nothing to do. */
  saveScanStates: (puts: readonly ScanStateRow[], deletes: readonly string[]): void => {
    if (puts.length === 0 && deletes.length === 0) return;
    store.write(() => {
      for (const path of deletes) store.q.discovery.deleteScanState(path);
      for (const r of puts) store.q.discovery.putScanState(r.path, r.state);
    });
  },
});
