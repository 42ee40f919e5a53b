// SheetPort over one SpreadsheetApp sheet: whole-range reads and rectangular writes only, never a call per cell.
// Sheets may refuse a write (a protected range, a "reject input" validation) at the write or only when it
// commits its queue of writes; Google does not say which. A write is therefore committed before it returns, so
// a refusal is thrown by the write it belongs to and the caller's row-by-row fallback can name the row.

import type { DataSize, DateCells, SheetPort } from "../core/engine/ports";
import type { CellValue } from "../core/sheet/cell";
import { OUTPUT_HEADERS } from "../core/sheet/headers";
import type { RangeWrite } from "../core/sheet/write-plan";

const SYNCED_AT_FORMAT = "yyyy-mm-dd hh:mm:ss";

/**
 * Cells read beyond the wanted columns that still cost less than another round trip (~60 ms against 10-50 µs a
 * cell, docs/platform/apps-script.md §9): up to this many, the columns are read as one block.
 */
const SPARE_CELLS_PER_ROUND_TRIP = 2_000;

/** Ascending numbers as runs of adjacent ones: the first of each, how many, and where the run starts in `numbers`. */
function adjacentRuns(numbers: readonly number[]): { first: number; count: number; offset: number }[] {
  const runs: { first: number; count: number; offset: number }[] = [];
  numbers.forEach((value, index) => {
    const last = runs[runs.length - 1];
    if (last && value === last.first + last.count) last.count += 1;
    else runs.push({ first: value, count: 1, offset: index });
  });
  return runs;
}

export class SpreadsheetSheet implements SheetPort {
  constructor(private readonly sheet: GoogleAppsScript.Spreadsheet.Sheet) {}

  /** getDataRange: one round trip for the size where getLastRow and getLastColumn take two. */
  readAll(): CellValue[][] {
    const values = this.sheet.getDataRange().getValues() as CellValue[][];
    // An empty sheet's data range is still A1: one blank cell is no data.
    if (values.length === 1 && values[0]?.length === 1 && values[0][0] === "") return [];
    return values;
  }

  /** The whole first row by A1 notation: one round trip fewer than asking getLastColumn first, on every write. */
  readHeader(): CellValue[] {
    return (this.sheet.getRange("1:1").getValues()[0] ?? []) as CellValue[];
  }

  readColumn(column: number): CellValue[] {
    const rows = this.sheet.getLastRow();
    if (rows === 0) return [];
    return this.sheet
      .getRange(1, column + 1, rows, 1)
      .getValues()
      .map((row) => row[0] as CellValue);
  }

  readColumns(columns: readonly number[]): CellValue[][] {
    if (columns.length === 0) return [];
    const rows = this.sheet.getLastRow();
    if (rows === 0) return columns.map(() => []);
    // No spread into Math.min/max: Apps Script's V8 caps a call's arguments (test/build/source-rules.test.ts).
    const left = columns.reduce((least, column) => Math.min(least, column));
    const width = columns.reduce((most, column) => Math.max(most, column)) - left + 1;
    if (rows * (width - new Set(columns).size) <= SPARE_CELLS_PER_ROUND_TRIP) {
      const block = this.sheet.getRange(1, left + 1, rows, width).getValues() as CellValue[][];
      return columns.map((column) => block.map((row) => row[column - left] as CellValue));
    }
    return columns.map((column) =>
      this.sheet
        .getRange(1, column + 1, rows, 1)
        .getValues()
        .map((row) => row[0] as CellValue),
    );
  }

  readBlock(firstRow: number, rowCount: number, firstColumn: number, columnCount: number): CellValue[][] {
    if (rowCount < 1 || columnCount < 1) return [];
    return this.sheet.getRange(firstRow, firstColumn + 1, rowCount, columnCount).getValues() as CellValue[][];
  }

  write(writes: readonly RangeWrite[], firstDates?: DateCells): void {
    let wrote = false;
    for (const write of writes) {
      const height = write.values.length;
      const width = write.values[0]?.length ?? 0;
      if (height === 0 || width === 0) continue;
      this.sheet.getRange(write.row, write.column, height, width).setValues(write.values);
      wrote = true;
    }
    // One call per run of adjacent rows; the formats are committed with the values, by the same flush.
    if (firstDates)
      for (const { first, count } of adjacentRuns(firstDates.rows)) {
        this.sheet.getRange(first, firstDates.column + 1, count, 1).setNumberFormat(SYNCED_AT_FORMAT);
        wrote = true;
      }
    // The commit the next read would make anyway, made now so that a refusal is this write's.
    if (wrote) SpreadsheetApp.flush();
  }

  appendRows(rows: readonly (readonly CellValue[])[], columns: readonly number[]): void {
    if (rows.length === 0 || columns.length === 0) return;
    const first = this.sheet.getLastRow() + 1;
    const missing = first + rows.length - 1 - this.sheet.getMaxRows();
    if (missing > 0) this.sheet.insertRowsAfter(this.sheet.getMaxRows(), missing);
    // One rectangle per run of adjacent columns: a column of the user's between two of ours is not written.
    for (const run of adjacentRuns(columns)) {
      this.sheet
        .getRange(first, run.first + 1, rows.length, run.count)
        .setValues(rows.map((row) => row.slice(run.offset, run.offset + run.count)));
    }
  }

  /**
   * Without `size` (setting up a sheet, an import): the date format reaches every row, ready for the rows still
   * to come, and the hiding, the one structural edit, commits the header and the format with it, so a refused
   * header write is this call's failure. With `size` (a job's start, see SheetPort): the header cells only, one
   * queued write; the sizes the read gave are not asked again, and only the grid's width is.
   */
  appendColumns(headers: readonly string[], size?: DataSize): void {
    const first = (size?.lastColumn ?? this.sheet.getLastColumn()) + 1;
    const maxColumns = this.sheet.getMaxColumns();
    const needed = first + headers.length - 1 - maxColumns;
    if (needed > 0) this.sheet.insertColumnsAfter(maxColumns, needed);
    this.sheet.getRange(1, first, 1, headers.length).setValues([[...headers]]);
    if (size) return;
    const lastRow = this.sheet.getMaxRows();
    let hidden: number | undefined;
    headers.forEach((header, offset) => {
      const column = first + offset;
      if (header === OUTPUT_HEADERS.syncedAt && lastRow > 1) {
        this.sheet.getRange(2, column, lastRow - 1, 1).setNumberFormat(SYNCED_AT_FORMAT);
      }
      // The state cell is bookkeeping; hidden, it stays out of the way but remains in the sheet.
      if (header === OUTPUT_HEADERS.state) hidden = column;
    });
    if (hidden !== undefined) this.sheet.hideColumns(hidden);
    else SpreadsheetApp.flush();
  }

  hideColumn(column: number): void {
    this.sheet.hideColumns(column + 1);
  }
}
