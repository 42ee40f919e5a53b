// Public surface of the local Apps Script host. Typical use:
//   const host = new GasHost();                 // runs dist/Code.js
//   host.loadCsv("test/fixtures/runs.csv", "Runs");
//   host.open();                                // onOpen builds the menu
//   host.ui.answerNext({ button: "YES" });
//   const result = host.clickMenuItem("Sync rows", { executionLimitMs: 5_000 });
//   host.dispose();                             // ends the fetch worker
export { columnLetters, columnNumber, parseA1 } from "./a1.js";
export { type Accounting, AREAS, type Area, emptyAccounting, Ledger } from "./accounting.js";
export {
  CELL_TOO_LONG_MESSAGE,
  type CellValue,
  LOADING_TEXT,
  MAX_CELL_CHARACTERS,
  type PlainTextApostrophe,
} from "./cell-values.js";
export { type ClockMode, HostClock } from "./clock.js";
export { COST_MODELS, type CostModel, type CostModelName, resolveCostModel } from "./cost-model.js";
export { parseCsvText } from "./csv.js";
export { formatDate } from "./date-format.js";
export {
  type AuthModeName,
  CallCounter,
  MAX_TIME_MESSAGE,
  type ServiceCall,
} from "./execution.js";
export { GasHost } from "./host.js";
export {
  DEFAULT_EXECUTION_LIMIT_MS,
  type ExecutionResult,
  type GasHostOptions,
  MAX_SIMULTANEOUS_EXECUTIONS,
  type RunOptions,
  SIMPLE_TRIGGER_LIMIT_MS,
  TOO_MANY_EXECUTIONS_MESSAGE,
} from "./host-options.js";
export {
  countingCalls,
  type Driver,
  type DriverStep,
  type InterleavedExecution,
  type InterleaveRecord,
  interleave,
  NO_PREEMPTION,
  preemptAt,
  type Schedule,
  seededPreemptions,
} from "./interleave.js";
export { type FormulaSyntax, MODELLED_LOCALES } from "./locale.js";
export { LOCK_TIMEOUT_MESSAGE, type LockKind, LockTable } from "./lock.js";
export type { LogEntry } from "./logger.js";
export {
  type Manifest,
  missingScopeMessage,
  notAllowlistedMessage,
  readManifest,
  requiredScopes,
  SCOPE,
  urlAllowed,
} from "./manifest.js";
export {
  PROPERTIES_DAILY_QUOTA_MESSAGE,
  PROPERTY_QUOTA_MESSAGE,
  PROPERTY_STORE_LIMIT_BYTES,
  PROPERTY_VALUE_LIMIT_BYTES,
  type PropertiesQuota,
  type PropertyStore,
} from "./properties.js";
export { PROTECTED_MESSAGE, validationRefusedMessage } from "./refusals.js";
export { MAX_WORKBOOK_CELLS, WORKBOOK_FULL_MESSAGE } from "./sheet.js";
export type {
  Cell,
  RefusedWriteTiming,
  SheetModel,
  SheetNameLookup,
  SpreadsheetModel,
  ValidationRecord,
} from "./sheet-model.js";
export type {
  ButtonName,
  DialogRecord,
  HtmlShownRecord,
  MenuEntry,
  MenuRecord,
  ToastRecord,
  UiAnswer,
  UiLog,
} from "./ui.js";
export {
  BURST_QUOTA_MESSAGE,
  DAILY_QUOTA_MESSAGE,
  MAX_HEADER_BYTES,
  MAX_HEADERS_PER_REQUEST,
  MAX_PAYLOAD_BYTES,
  MAX_RESPONSE_BYTES,
  MAX_URL_LENGTH,
  PAYLOAD_TOO_LARGE_MESSAGE,
  URL_TOO_LONG_MESSAGE,
  type UrlFetchQuotaReset,
} from "./url-fetch-limits.js";
export { SIMULATED_LATENCY_HEADER, VIRTUAL_NOW_HEADER } from "./url-fetch-waves.js";
export type { Transport, WireCommand, WireRequest, WireResult } from "./wire.js";
