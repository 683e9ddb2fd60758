// Claude Code transcript discovery: pure line parsing and folding, prices, and the incremental scanner.
export { type FileIdentity, type FileRefresh, refreshFile } from "./file-refresh.ts";
export {
  createReaderOptions,
  DEFAULT_MAX_LINE_BYTES,
  type LineSink,
  type ReaderOptions,
  type ReadOutcome,
  type ReadPosition,
  readLines,
} from "./incremental-reader.ts";
export {
  type CostEstimate,
  costOf,
  estimateCost,
  type ModelPrice,
  PRICE_TABLE,
  PRICES_AS_OF,
  type PriceOverrides,
  priceFor,
} from "./prices.ts";
export { normaliseTitle, promptFromContent, TITLE_MAX_CHARS } from "./prompt-text.ts";
export {
  createMemoryScanStateStore,
  type FileScanState,
  owningSessionId,
  type ScanStateStore,
  type TranscriptKind,
} from "./scan-state.ts";
export {
  createTranscriptScanner,
  type RemovedSession,
  type ScanCounters,
  type ScanError,
  type ScanResult,
  type TranscriptScanner,
  type TranscriptScannerDep,
} from "./scanner.ts";
export {
  AGGREGATE_FORMAT,
  applyLine,
  applyOversizedLine,
  cloneAggregate,
  emptyAggregate,
  foldLine,
  foldLines,
  type SessionAggregate,
} from "./session-aggregate.ts";
export {
  type SessionFacts,
  type SessionFiles,
  sessionFactsOf,
  type TitleSourceName,
  titleOf,
} from "./session-facts.ts";
export { listTranscriptFiles, type TranscriptFile, type TranscriptListing } from "./transcript-files.ts";
export {
  type LineMeta,
  type LineUsage,
  parseTranscriptLine,
  type TitleSource,
  type TranscriptLine,
} from "./transcript-line.ts";
export {
  type CountedUsage,
  countUsage,
  type ModelTokens,
  type TokenCounts,
  totalTokens,
  UNKNOWN_MODEL,
  USAGE_WINDOW,
  type UsageLedger,
} from "./usage-ledger.ts";
