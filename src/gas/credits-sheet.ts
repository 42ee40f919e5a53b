// The "Extend Credits by Tag" sheets, one per source sheet, each rebuilt whole after a refresh (or an import with
// current values) of its source. A summary of another sheet, or a sheet the user already gave that name (with
// other content), is left alone: the summary then goes to the next free name (src/gas/own-sheet.ts).

import { CREDITS_HEADERS, CREDITS_SHEET, summaryCovers } from "../core/jobs/credits/credits";
import { type CellValue, isDate } from "../core/sheet/cell";
import { ownSheet } from "./own-sheet";

/** Replaces the summary sheet's content with `values`; returns the sheet's name. */
export function writeCreditsSheet(
  spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet,
  values: readonly (readonly CellValue[])[],
  source: { sheetId: number; sheetName: string },
): string {
  const { sheet } = ownSheet(spreadsheet, CREDITS_SHEET, (existing) => {
    const header = existing.getRange(1, 1, 1, CREDITS_HEADERS.length).getValues()[0] ?? [];
    if (!CREDITS_HEADERS.every((title, index) => header[index] === title)) return false;
    // The labels and values of the facts below the table: which sheet this summary was made from.
    const rows = Math.max(1, existing.getLastRow());
    return summaryCovers(existing.getRange(1, 1, rows, 2).getValues(), source);
  });
  sheet.clearContents();
  const width = values[0]?.length ?? 0;
  const missing = values.length - sheet.getMaxRows();
  if (missing > 0) sheet.insertRowsAfter(sheet.getMaxRows(), missing);
  sheet.getRange(1, 1, values.length, width).setValues(values.map((row) => row.slice()));
  sheet.getRange(1, 1, 1, width).setFontWeight("bold");
  if (sheet.getFrozenRows() === 0) sheet.setFrozenRows(1);
  const readAt = values.findIndex((row) => row[1] !== undefined && isDate(row[1]));
  if (readAt >= 0) sheet.getRange(readAt + 1, 2).setNumberFormat("yyyy-mm-dd hh:mm:ss");
  // Committed now, so a write Sheets refuses is this function's failure, which its caller reports.
  SpreadsheetApp.flush();
  return sheet.getName();
}
