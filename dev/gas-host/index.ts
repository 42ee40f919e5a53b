// Public surface of the local Apps Script host. Typical use:
//   const host = new GasHost();                 // runs dist/Code.js
//   host.loadCsv("test/fixtures/runs.csv", "Runs");
//   host.open();                                // onOpen builds the menu
//   host.ui.answerNext({ button: "YES" });
//   const result = host.clickMenuItem("Sync rows", { executionLimitMs: 5_000 });
//   host.dispose();                             // ends the fetch worker
export { columnLetters, columnNumber, parseA1 } from "./a1.js";
export type { CellValue } from "./cell-values.js";
export { parseCsvText } from "./csv.js";
export { formatDate } from "./date-format.js";
export {
  type AuthModeName,
  CallCounter,
  MAX_TIME_MESSAGE,
  type ServiceCall,
} from "./execution.js";
export {
  DEFAULT_EXECUTION_LIMIT_MS,
  type ExecutionResult,
  GasHost,
  type GasHostOptions,
  type RunOptions,
  SIMPLE_TRIGGER_LIMIT_MS,
} from "./host.js";
export { LOCK_TIMEOUT_MESSAGE, type LockKind, LockTable } from "./lock.js";
export type { LogEntry } from "./logger.js";
export {
  PROPERTY_QUOTA_MESSAGE,
  PROPERTY_STORE_LIMIT_BYTES,
  PROPERTY_VALUE_LIMIT_BYTES,
  type PropertyStore,
} from "./properties.js";
export type { Cell, SheetModel, SpreadsheetModel, ValidationRecord } from "./sheet-model.js";
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
export type { Transport, WireCommand, WireRequest, WireResult } from "./url-fetch.js";
