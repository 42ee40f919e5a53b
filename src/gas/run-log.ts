// The run log sheet, created on first use (src/gas/own-sheet.ts: a sheet of the user's under its name is left
// alone); a sync's row is found by its id and rewritten in place.

import type { SyncJob } from "../core/engine/job";
import {
  LEGACY_RUN_LOG_WIDTH,
  RUN_LOG_HEADERS,
  RUN_LOG_SHEET,
  runLogRow,
  type SyncEnding,
} from "../core/views/run-log";
import { ownSheet } from "./own-sheet";

const DATE_FORMAT = "yyyy-mm-dd hh:mm:ss";

/**
 * The first sheet named like the log whose header row is the log's (or an older log's), or that is empty (an
 * execution killed just after it made the log sheet leaves it so); a new one otherwise. `fresh`: it holds only
 * the header row just written, so the caller need not ask Sheets where its rows end.
 */
function logSheet(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet): {
  sheet: GoogleAppsScript.Spreadsheet.Sheet;
  fresh: boolean;
} {
  const legacy = RUN_LOG_HEADERS.slice(0, LEGACY_RUN_LOG_WIDTH);
  let header: unknown[] = [];
  let empty = false;
  const { sheet, created } = ownSheet(spreadsheet, RUN_LOG_SHEET, (existing) => {
    const width = Math.min(existing.getMaxColumns(), RUN_LOG_HEADERS.length);
    header = existing.getRange(1, 1, 1, width).getValues()[0] ?? [];
    if (legacy.every((title, index) => header[index] === title)) return true;
    // Only a sheet with nothing in it at all is taken over: a user's sheet of that name keeps its content.
    empty = header.every((cell) => cell === "") && existing.getLastRow() === 0;
    return empty;
  });
  if (created || empty) {
    sheet.getRange(1, 1, 1, RUN_LOG_HEADERS.length).setValues([[...RUN_LOG_HEADERS]]);
    sheet.setFrozenRows(1);
    return { sheet, fresh: true };
  }
  if (!RUN_LOG_HEADERS.every((title, index) => header[index] === title)) {
    // A log from before job kinds: its rows stay, the new columns are added at its right.
    const missing = RUN_LOG_HEADERS.length - sheet.getMaxColumns();
    if (missing > 0) sheet.insertColumnsAfter(sheet.getMaxColumns(), missing);
    sheet.getRange(1, 1, 1, RUN_LOG_HEADERS.length).setValues([[...RUN_LOG_HEADERS]]);
  }
  return { sheet, fresh: false };
}

export function writeRunLog(
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
  job: SyncJob,
  ending: SyncEnding,
  now: number,
): void {
  const { sheet, fresh } = logSheet(spreadsheet);
  const row = runLogRow(job, ending, now);
  const lastRow = fresh ? 1 : sheet.getLastRow();
  const ids = lastRow > 1 ? sheet.getRange(2, 1, lastRow - 1, 1).getValues() : [];
  const index = ids.findIndex(([id]) => id === job.id);
  const target = index >= 0 ? index + 2 : lastRow + 1;
  sheet.getRange(target, 1, 1, row.length).setValues([row]);
  // The row's own time cell, not the whole column: each formatted cell is committed (~0.1 ms), a column of a
  // thousand empty rows costs a tenth of a second when the log is made.
  sheet.getRange(target, 2).setNumberFormat(DATE_FORMAT);
  // Committed now, so a write Sheets refuses (a protected log) is this function's failure, which its caller
  // reports, not a later read's.
  SpreadsheetApp.flush();
}
