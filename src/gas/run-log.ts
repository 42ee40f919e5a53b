// The run log sheet, created on first use; a sync's row is found by its id and rewritten in place.

import type { SyncJob } from "../core/job";
import { RUN_LOG_HEADERS, RUN_LOG_SHEET, runLogRow, type SyncEnding } from "../core/run-log";

export function writeRunLog(
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
  job: SyncJob,
  ending: SyncEnding,
  now: number,
): void {
  let sheet = spreadsheet.getSheetByName(RUN_LOG_SHEET);
  if (!sheet) {
    // insertSheet activates the new sheet; the user's sheet must stay the one they see and sync.
    const userSheet = spreadsheet.getActiveSheet();
    sheet = spreadsheet.insertSheet(RUN_LOG_SHEET, spreadsheet.getSheets().length);
    spreadsheet.setActiveSheet(userSheet);
    sheet.getRange(1, 1, 1, RUN_LOG_HEADERS.length).setValues([[...RUN_LOG_HEADERS]]);
    sheet.setFrozenRows(1);
    sheet.getRange(2, 2, sheet.getMaxRows() - 1, 1).setNumberFormat("yyyy-mm-dd hh:mm:ss");
  }
  const row = runLogRow(job, ending, now);
  const lastRow = sheet.getLastRow();
  const ids = lastRow > 1 ? sheet.getRange(2, 1, lastRow - 1, 1).getValues() : [];
  const index = ids.findIndex(([id]) => id === job.id);
  const target = index >= 0 ? index + 2 : lastRow + 1;
  sheet.getRange(target, 1, 1, row.length).setValues([row]);
}
