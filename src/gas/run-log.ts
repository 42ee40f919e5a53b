// The run log sheet, created on first use; a sync's row is found by its id and rewritten in place. A sheet the
// user already gave the log's name (with other content) is left alone: the log then goes to a free name.

import type { SyncJob } from "../core/job";
import { RUN_LOG_HEADERS, RUN_LOG_SHEET, runLogRow, type SyncEnding } from "../core/run-log";

/** The first sheet named like the log whose header row is the log's; a new one under a free name otherwise. */
function logSheet(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet): GoogleAppsScript.Spreadsheet.Sheet {
  for (let attempt = 1; ; attempt++) {
    const name = attempt === 1 ? RUN_LOG_SHEET : `${RUN_LOG_SHEET} (${attempt})`;
    const existing = spreadsheet.getSheetByName(name);
    if (!existing) {
      // insertSheet activates the new sheet; the user's sheet must stay the one they see and sync.
      const userSheet = spreadsheet.getActiveSheet();
      const sheet = spreadsheet.insertSheet(name, spreadsheet.getSheets().length);
      spreadsheet.setActiveSheet(userSheet);
      sheet.getRange(1, 1, 1, RUN_LOG_HEADERS.length).setValues([[...RUN_LOG_HEADERS]]);
      sheet.setFrozenRows(1);
      sheet.getRange(2, 2, sheet.getMaxRows() - 1, 1).setNumberFormat("yyyy-mm-dd hh:mm:ss");
      return sheet;
    }
    const width = Math.min(existing.getMaxColumns(), RUN_LOG_HEADERS.length);
    const header = existing.getRange(1, 1, 1, width).getValues()[0] ?? [];
    if (RUN_LOG_HEADERS.every((title, index) => header[index] === title)) return existing;
  }
}

export function writeRunLog(
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
  job: SyncJob,
  ending: SyncEnding,
  now: number,
): void {
  const sheet = logSheet(spreadsheet);
  const row = runLogRow(job, ending, now);
  const lastRow = sheet.getLastRow();
  const ids = lastRow > 1 ? sheet.getRange(2, 1, lastRow - 1, 1).getValues() : [];
  const index = ids.findIndex(([id]) => id === job.id);
  const target = index >= 0 ? index + 2 : lastRow + 1;
  sheet.getRange(target, 1, 1, row.length).setValues([row]);
}
