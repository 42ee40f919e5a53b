// The small interfaces the pure core is given instead of Apps Script services; src/gas implements them for
// Apps Script and the tests implement them with plain data.

import type { HttpResponse } from "../requests/classify";
import type { HttpRequest } from "../requests/request";
import type { CellValue } from "../sheet/cell";
import type { RangeWrite } from "../sheet/write-plan";

/** The data range's extent: its last column and last row, 1-based (0 and 0 on an empty sheet). */
export interface DataSize {
  lastColumn: number;
  lastRow: number;
}

/**
 * The cells of a write that receive a Synced At date for the first time: given the add-on's date format, so that a
 * format the person chose later for a cell it wrote before is kept.
 */
export interface DateCells {
  /** 0-based column. */
  column: number;
  /** 1-based sheet rows, ascending. */
  rows: readonly number[];
}

export interface SheetPort {
  /** Every value of the data range, header row first, each row as wide as the header row. */
  readAll(): CellValue[][];
  /** Row 1, as wide as the sheet's data. */
  readHeader(): CellValue[];
  /** One 0-based column from row 1 to the last row with data. */
  readColumn(column: number): CellValue[];
  /** Several 0-based columns as readColumn reads each, to one and the same last row, in as few calls as it can. */
  readColumns(columns: readonly number[]): CellValue[][];
  /** `rowCount` rows from 1-based `firstRow`, of the 0-based columns `firstColumn` onwards; one service call. */
  readBlock(firstRow: number, rowCount: number, firstColumn: number, columnCount: number): CellValue[][];
  /**
   * Writes the rectangles and commits them before returning: throws when Sheets refuses one (a protected range,
   * a validation that rejects input), whether it says so at the write or when committing it.
   */
  write(writes: readonly RangeWrite[], firstDates?: DateCells): void;
  /**
   * Adds header cells right of the last column. Without `size` (setting up a sheet, an import) the adapter also
   * formats the date column and hides the Sync State column, and commits. With `size` (a job's start: the data
   * range as a read made just now found it, so the adapter need not ask) it writes the header cells only and
   * leaves them to the next write's commit: the job formats each date as it writes it (`write`'s `firstDates`)
   * and hides the Sync State column itself (`hideColumn`).
   */
  appendColumns(headers: readonly string[], size?: DataSize): void;
  /** Hides one 0-based column: a structural edit, so it commits what is queued. */
  hideColumn(column: number): void;
  /**
   * Writes rows below the last row with data, growing the sheet as needed; throws when Sheets refuses. Each row
   * holds one value per entry of `columns`, the 0-based columns (ascending) it goes into, resolved from the header
   * row just before: never by position. Other columns of the new rows are left alone.
   */
  appendRows(rows: readonly (readonly CellValue[])[], columns: readonly number[]): void;
}

export interface HttpPort {
  /**
   * All requests in parallel. When one request's transport fails, Apps Script may throw for the whole call, or
   * (UNCONFIRMED which) give no answer in that request's place: null.
   */
  fetchAll(requests: readonly HttpRequest[]): (HttpResponse | null)[];
  /** One request; throws when the transport fails. */
  fetch(request: HttpRequest): HttpResponse;
}

export interface Clock {
  now(): number;
  sleep(ms: number): void;
}
