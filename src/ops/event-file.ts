// `claire export` and `claire import`: the event log to and from the hash-chained JSON-lines file
// of store/export.ts. Import checks the whole file first (header, every line, the chain, the end
// line, and that no event claims to be this machine's own without being so), and only then
// ingests it in batches through the service, exactly as a page pulled from a peer.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { WireEvent } from "../domain/events.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { IngestReport } from "../service/ingest.ts";
import type { ImportConflict } from "../service/ops.ts";
import {
  createExportVerifier,
  createExportWriter,
  describeExportError,
  type ExportHeader,
  type ExportLineError,
} from "../store/export.ts";

/** What exporting needs from the service. */
export type ExportService = {
  readonly exportInfo: () => { machineId: string; logId: string; maxSeq: number };
  readonly exportPage: (
    after: number,
    until: number,
    sinceMs: number | null,
    limit: number,
  ) => { events: WireEvent[]; upTo: number };
};

export type ExportSummary = { header: Omit<ExportHeader, "format" | "version">; events: number };

/**
 * Writes the export line by line through `write` (which may wait for the output to drain). The
 * export covers the log as it was when it started: later events are left for the next one.
 */
export const exportEvents = async (
  service: ExportService,
  opts: {
    sinceMs: number | null;
    now: () => number;
    write: (line: string) => Promise<void> | void;
    pageSize?: number;
  },
): Promise<ExportSummary> => {
  const info = service.exportInfo();
  const header = {
    machineId: info.machineId,
    logId: info.logId,
    exportedAt: new Date(opts.now()).toISOString(),
    since: opts.sinceMs === null ? null : new Date(opts.sinceMs).toISOString(),
  };
  const w = createExportWriter(header);
  await opts.write(w.headerLine);
  let after = 0;
  while (after < info.maxSeq) {
    const page = service.exportPage(after, info.maxSeq, opts.sinceMs, opts.pageSize ?? 2000);
    for (const e of page.events) await opts.write(w.eventLine(e));
    after = page.upTo;
    if (page.events.length === 0) break;
  }
  await opts.write(w.endLine());
  return { header, events: w.count() };
};

/** What importing needs from the service. */
export type ImportService = {
  readonly importConflicts: (events: readonly WireEvent[]) => ImportConflict[];
  readonly importEvents: (events: readonly unknown[], source: string) => IngestReport;
};

export type ImportError =
  | ExportLineError
  | { readonly type: "ImportConflict"; readonly line: number; readonly message: string }
  | { readonly type: "ImportIo"; readonly message: string };

export type ImportReport = {
  file: string;
  header: ExportHeader;
  events: number;
  accepted: number;
  duplicate: number;
  quarantined: number;
  rejected: number;
  /** The first few reasons events were rejected (they are recorded; `claire doctor` shows them). */
  rejections: string[];
};

/** Each line of the file in order (a `.gz` file is read through gunzip); stops when fn says so. */
/** Longer than any line an export holds (an event's data is at most MAX_EVENT_DATA_BYTES). */
const MAX_LINE_CHARS = 8 * 1024 * 1024;

/**
 * Calls `fn` with each line (without its CR LF or LF) until it returns false. By hand, not
 * readline: a file that is not an export (one endless line: a disk image, a gzip bomb) must end
 * in an error the import reports, not in readline's own out-of-memory crash.
 */
const forEachLine = async (path: string, fn: (line: string) => boolean): Promise<void> => {
  const raw = createReadStream(path);
  const input = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  input.setEncoding("utf8");
  const emit = (line: string) => fn(line.endsWith("\r") ? line.slice(0, -1) : line);
  let rest = "";
  let lineNo = 0;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const text = rest + chunk;
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        lineNo++;
        if (!emit(text.slice(start, nl))) return;
        start = nl + 1;
      }
      rest = text.slice(start);
      if (rest.length > MAX_LINE_CHARS)
        throw new Error(
          `line ${lineNo + 1} is longer than ${MAX_LINE_CHARS / 1024 / 1024} MB: not a Claire export`,
        );
    }
    if (rest !== "") emit(rest);
  } finally {
    raw.destroy();
    input.destroy();
  }
};

const BATCH = 500;

/** Pass 1: the whole file must check out before anything is ingested. */
const verifyFile = async (
  service: ImportService,
  path: string,
): Promise<Result<{ header: ExportHeader; count: number }, ImportError>> => {
  const v = createExportVerifier();
  let failure: ImportError | null = null;
  let batch: { event: WireEvent; line: number }[] = [];
  let lineNo = 0;
  const checkBatch = () => {
    const conflicts = service.importConflicts(batch.map((b) => b.event));
    const first = conflicts[0];
    if (first) {
      failure = {
        type: "ImportConflict",
        line: batch[first.index]!.line,
        message: `has an event under this machine's own id that this machine never wrote (${first.reason}). It comes from a clone of this machine (or from this machine before a restore done by hand): import it on a machine with another machine_id, or see docs/operations.md`,
      };
    }
    batch = [];
  };
  await forEachLine(path, (line) => {
    lineNo++;
    const r = v.feed(line);
    if (!r.ok) {
      failure = r.error;
      return false;
    }
    if (r.value.kind === "event") {
      batch.push({ event: r.value.event, line: lineNo });
      if (batch.length >= BATCH) checkBatch();
    }
    return failure === null;
  });
  if (failure) return err(failure);
  checkBatch();
  if (failure) return err(failure);
  const done = v.finish();
  return done.ok ? ok({ header: done.value.header, count: done.value.count }) : err(done.error);
};

export const importEventFile = async (
  service: ImportService,
  path: string,
  opts: { source?: string } = {},
): Promise<Result<ImportReport, ImportError>> => {
  let checked: Result<{ header: ExportHeader; count: number }, ImportError>;
  try {
    checked = await verifyFile(service, path);
  } catch (e) {
    return err({ type: "ImportIo", message: `cannot read ${path}: ${(e as Error).message}` });
  }
  if (!checked.ok) return checked;
  const source = opts.source ?? `import:${path}`;
  const report: ImportReport = {
    file: path,
    header: checked.value.header,
    events: 0,
    accepted: 0,
    duplicate: 0,
    quarantined: 0,
    rejected: 0,
    rejections: [],
  };
  // Pass 2 reads the file again and checks the chain again as it ingests: a file changed between
  // the passes stops the import at the changed line (what came before it is valid and stays).
  const v = createExportVerifier();
  let batch: WireEvent[] = [];
  let failure: ImportError | null = null;
  const flush = () => {
    if (batch.length === 0) return;
    const r = service.importEvents(batch, source);
    report.events += batch.length;
    report.accepted += r.accepted;
    report.duplicate += r.duplicate;
    report.quarantined += r.quarantined;
    report.rejected += r.rejected;
    for (const o of r.outcomes)
      if (o.status === "rejected" && report.rejections.length < 10)
        report.rejections.push(`${o.id ?? "(no id)"}: ${o.reason}`);
    batch = [];
  };
  try {
    await forEachLine(path, (line) => {
      const r = v.feed(line);
      if (!r.ok) {
        failure = r.error;
        return false;
      }
      if (r.value.kind === "event") {
        batch.push(r.value.event);
        if (batch.length >= BATCH) flush();
      }
      return true;
    });
  } catch (e) {
    failure = { type: "ImportIo", message: (e as Error).message };
  }
  if (!failure) {
    const done = v.finish();
    if (!done.ok) failure = done.error;
  }
  if (failure) {
    const f = failure as ImportError;
    return err({
      type: "ImportIo",
      message: `${path} changed while it was being imported: ${f.type === "ImportIo" ? f.message : `line ${f.line} ${f.message}`}; the ${report.events} events before it were imported (they are valid)`,
    });
  }
  flush();
  return ok(report);
};

export const describeImportError = (e: ImportError, file: string): string =>
  e.type === "ImportIo"
    ? e.message
    : describeExportError({ type: "ExportLineError", line: e.line, message: e.message }, file);
