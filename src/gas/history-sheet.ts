// The history sheet ("Extend Sync History") over SpreadsheetApp: records appended below the last row and
// committed (flushed) before append returns, so the engine can send the POSTs they describe; states settled
// only where a row still holds its record (the sheet is the user's to sort, filter or trim).
import {
  HISTORY_HEADERS,
  HISTORY_SHEET,
  HISTORY_STATE_COLUMN,
  type HistoryPort,
  type HistoryRecord,
  type HistorySettle,
  historyCells,
  historyColumns,
} from "../core/engine/history";
import { ownSheet } from "./own-sheet";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const TIME_FORMAT = "yyyy-mm-dd hh:mm:ss";

function isHistorySheet(sheet: Sheet): boolean {
  if (sheet.getLastRow() === 0) return true;
  const width = Math.max(sheet.getLastColumn(), HISTORY_HEADERS.length);
  return historyColumns(sheet.getRange(1, 1, 1, width).getValues()[0] ?? []) !== undefined;
}

/** The history sheet, made with its header row when there is none yet. */
export function historySheet(spreadsheet: Spreadsheet): Sheet {
  const { sheet } = ownSheet(spreadsheet, HISTORY_SHEET, isHistorySheet);
  if (sheet.getLastRow() === 0) {
    sheet.getRange(1, 1, 1, HISTORY_HEADERS.length).setValues([[...HISTORY_HEADERS]]);
    sheet.setFrozenRows(1);
  }
  return sheet;
}

/** The history sheet if there is one, without making it. */
export function existingHistorySheet(spreadsheet: Spreadsheet): Sheet | undefined {
  return spreadsheet
    .getSheets()
    .find(
      (sheet) =>
        sheet.getName().toLowerCase().startsWith(HISTORY_SHEET.toLowerCase()) && isHistorySheet(sheet),
    );
}

export class HistorySheet implements HistoryPort {
  private sheet: Sheet | undefined;

  constructor(private readonly spreadsheet: Spreadsheet) {}

  private target(): Sheet {
    this.sheet ??= historySheet(this.spreadsheet);
    return this.sheet;
  }

  append(records: readonly HistoryRecord[]): number[] {
    if (records.length === 0) return [];
    const sheet = this.target();
    const first = sheet.getLastRow() + 1;
    const missing = first + records.length - 1 - sheet.getMaxRows();
    if (missing > 0) sheet.insertRowsAfter(sheet.getMaxRows(), missing);
    sheet
      .getRange(first, 1, records.length, HISTORY_HEADERS.length)
      .setValues(records.map((record) => historyCells(record)));
    sheet
      .getRange(first, HISTORY_HEADERS.indexOf("Time") + 1, records.length, 1)
      .setNumberFormat(TIME_FORMAT);
    // Committed before the POSTs it describes leave: a write still queued would die with a killed execution.
    SpreadsheetApp.flush();
    return records.map((_, index) => first + index);
  }

  settle(states: readonly HistorySettle[]): void {
    if (states.length === 0) return;
    const sheet = this.target();
    // No spread into Math.min: a call's arguments are limited, and a settle may name thousands of rows.
    let top = Number.POSITIVE_INFINITY;
    let bottom = 0;
    for (const { row } of states) {
      top = Math.min(top, row);
      bottom = Math.max(bottom, row);
    }
    const height = bottom - top + 1;
    const jobColumn = HISTORY_HEADERS.indexOf("Job ID");
    const runColumn = HISTORY_HEADERS.indexOf("Run ID");
    const block = sheet.getRange(top, 1, height, HISTORY_HEADERS.length).getValues();
    const column = block.map((cells) => [cells[HISTORY_STATE_COLUMN]]);
    let changed = false;
    for (const state of states) {
      const cells = block[state.row - top];
      if (!cells || String(cells[jobColumn]) !== state.jobId || String(cells[runColumn]) !== state.runId)
        continue;
      column[state.row - top] = [state.state];
      changed = true;
    }
    if (changed) sheet.getRange(top, HISTORY_STATE_COLUMN + 1, height, 1).setValues(column);
  }
}
