// The event log as a file: JSON lines with a hash chain, so a torn or altered file is refused
// with the number of the first bad line before anything is imported.
//
//   line 1      {"format":"claire-event-log","version":1,"machineId":…,"logId":…,"exportedAt":…,"since":…}
//   line 2..n+1 {"event":<wire event JSON>,"hash":"<hex>"}
//   line n+2    {"end":true,"count":n,"hash":"<hex of the last event line, or of the header>"}
//
// The chain starts with SHA-256 of the header line's text; each event line's hash is SHA-256 of
// the previous hash (hex) followed by the exact text of this line's event JSON. The event JSON is
// the sync wire form, with `data` kept as the original JSON text, so an imported event is
// byte-for-byte the event its origin wrote.
import { createHash } from "node:crypto";
import { z } from "zod";
import { type WireEvent, WireEventSchema } from "../domain/events.ts";
import { err, ok, type Result } from "../domain/result.ts";

export const EXPORT_FORMAT = "claire-event-log";
export const EXPORT_VERSION = 1;

export const ExportHeaderSchema = z.looseObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int().min(1),
  machineId: z.uuid(),
  logId: z.uuid(),
  exportedAt: z.iso.datetime(),
  since: z.iso.datetime().nullable(),
});
export type ExportHeader = z.infer<typeof ExportHeaderSchema>;

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

const EVENT_PREFIX = '{"event":';
const HASH_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;

/** Produces the lines of an export, one call per line, keeping the chain. */
export const createExportWriter = (header: Omit<ExportHeader, "format" | "version">) => {
  const headerLine = JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, ...header });
  let hash = sha256(headerLine);
  let count = 0;
  return {
    headerLine,
    eventLine: (event: WireEvent): string => {
      // Fixed key order: the wire form, exactly as sync sends it.
      const text = JSON.stringify({
        id: event.id,
        hlc: event.hlc,
        machineId: event.machineId,
        epoch: event.epoch,
        originSeq: event.originSeq,
        actor: { kind: event.actor.kind, id: event.actor.id },
        type: event.type,
        entityId: event.entityId,
        data: event.data,
      });
      hash = sha256(hash + text);
      count++;
      return `${EVENT_PREFIX}${text},"hash":"${hash}"}`;
    },
    endLine: (): string => JSON.stringify({ end: true, count, hash }),
    count: () => count,
  };
};

export type ExportLineError = {
  readonly type: "ExportLineError";
  readonly line: number;
  readonly message: string;
};
const lineError = (line: number, message: string): ExportLineError => ({
  type: "ExportLineError",
  line,
  message,
});

export type VerifiedLine =
  | { readonly kind: "header"; readonly header: ExportHeader }
  | { readonly kind: "event"; readonly event: WireEvent }
  | { readonly kind: "end"; readonly count: number };

export type VerifiedExport = {
  readonly header: ExportHeader;
  readonly count: number;
  readonly lines: number;
};

const parseObject = (text: string): Record<string, unknown> | null => {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

const TORN = "is not a complete line of an export (the file was cut short or altered)";

/**
 * Checks an export line by line: feed each line (without its newline) in order, then finish().
 * The first error names its line; after an error the verifier refuses everything.
 */
export const createExportVerifier = () => {
  let lineNo = 0;
  let header: ExportHeader | null = null;
  let hash = "";
  let count = 0;
  let ended = false;
  let failed: ExportLineError | null = null;
  const fail = (message: string): Result<never, ExportLineError> => {
    failed = lineError(lineNo, message);
    return err(failed);
  };

  const feed = (line: string): Result<VerifiedLine, ExportLineError> => {
    if (failed) return err(failed);
    lineNo++;
    if (ended) return fail("comes after the end line; the file was altered");
    if (header === null) {
      const obj = parseObject(line);
      if (!obj)
        return fail(`is not a Claire export header (expected a JSON object with format "${EXPORT_FORMAT}")`);
      const h = ExportHeaderSchema.safeParse(obj);
      if (!h.success) {
        const issue = h.error.issues[0];
        return fail(
          obj.format !== EXPORT_FORMAT
            ? `is not a Claire export header (format is not "${EXPORT_FORMAT}")`
            : `is not a valid export header: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
        );
      }
      if (h.data.version > EXPORT_VERSION)
        return fail(
          `is an export of format version ${h.data.version}; this Claire reads version ${EXPORT_VERSION}: upgrade Claire`,
        );
      header = h.data;
      hash = sha256(line);
      return ok({ kind: "header", header });
    }
    if (line.startsWith(EVENT_PREFIX)) {
      const m = HASH_SUFFIX.exec(line);
      if (!m || parseObject(line) === null) return fail(TORN);
      const text = line.slice(EVENT_PREFIX.length, line.length - m[0].length);
      const expected = sha256(hash + text);
      if (expected !== m[1])
        return fail("does not match the hash chain: the file was altered at or before this line");
      const raw = parseObject(text);
      if (!raw) return fail(TORN);
      const event = WireEventSchema.safeParse(raw);
      if (!event.success) {
        const issue = event.error.issues[0];
        return fail(`is not a valid event: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
      }
      hash = expected;
      count++;
      return ok({ kind: "event", event: event.data });
    }
    const obj = parseObject(line);
    if (!obj) return fail(TORN);
    if (obj.end !== true) return fail("is neither an event line nor the end line");
    if (obj.count !== count)
      return fail(`says the export holds ${String(obj.count)} events, but ${count} came before it`);
    if (obj.hash !== hash) return fail("does not match the hash chain: the file was altered");
    ended = true;
    return ok({ kind: "end", count });
  };

  /** Call after the last line: an export without its end line is incomplete. */
  const finish = (): Result<VerifiedExport, ExportLineError> => {
    if (failed) return err(failed);
    if (header === null) return err(lineError(1, "is missing: the file is empty, not a Claire export"));
    if (!ended)
      return err(
        lineError(
          lineNo + 1,
          `(the end line) is missing: the file stops after ${count} events, so it is incomplete (cut short?)`,
        ),
      );
    return ok({ header, count, lines: lineNo });
  };

  return { feed, finish };
};

/** "line 12: does not match…", the form every refusal is shown in. */
export const describeExportError = (e: ExportLineError, file?: string): string =>
  `${file ? `${file}: ` : ""}line ${e.line} ${e.message}`;
