// Claude Code session discovery: pure line parsing and folding, prices, the incremental scanner,
// liveness, the command source, and the orchestrator that records sessions through the service.
export { AGENTS_TIMEOUT_MS, listClaudeAgents, parseAgentsJson } from "./claude-agents.ts";
export {
  type CommandListing,
  type CommandSession,
  CommandSessionSchema,
  createCommandSource,
  parseCommandOutput,
} from "./command-source.ts";
export {
  createSessionDiscovery,
  DEFAULT_MIN_GAP_MS,
  DEFAULT_SETTLE_MS,
  type SessionDiscovery,
  type SessionDiscoveryDeps,
} from "./discovery.ts";
export type { DiscoveryService, RefreshPlan } from "./discovery-core.ts";
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
export { LONG_STRING_CHARS, REDUCE_MIN_CHARS, type ReducedLine, reduceLine } from "./line-reducer.ts";
export {
  type LiveSignal,
  type LiveSignalSource,
  type LiveState,
  type ProcessProbe,
  pickSignal,
  pidFileSignal,
  procStartOf,
  readPidFiles,
  stateOfStatus,
  systemProcessProbe,
} from "./liveness.ts";
export { composeFacts, diffFacts, type SessionSources, transcriptToDomain } from "./observed-facts.ts";
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
export type { RefreshReport, SessionChange, SessionRefresher } from "./refresher.ts";
export { findOnPath, runProgram, splitCommandLine } from "./run-program.ts";
export { readInWorkers, type ScanPoolOptions } from "./scan-pool.ts";
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
  type ScanOptions,
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
export { createStoredScanStateStore, type ScanStateAccess } from "./stored-scan-state.ts";
export {
  classifyTranscriptPath,
  listTranscriptFiles,
  type TranscriptFile,
  type TranscriptListing,
} from "./transcript-files.ts";
export {
  type LineMeta,
  type LineUsage,
  parseTranscriptLine,
  parseTranscriptLineFast,
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
