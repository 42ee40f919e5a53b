// The history sheet ("Extend Sync History") over SpreadsheetApp: records appended below the last row and
// committed (flushed) before append returns, so the engine can send the POSTs they describe; states settled
// only where a row still holds its record (the sheet is the user's to sort, filter or trim). Every write finds
// its columns by name in the header row as it is now: a person may insert or move columns between two batches.
// After an execution's first append, the next one reads only the header and the rows it settles and fills, and
// writes there when those rows are still empty (two round trips instead of five; see placeWhereExpected).
import {
  HISTORY_HEADERS,
  HISTORY_SHEET,
  type HistoryHeader,
  type HistoryPort,
  type HistoryRecord,
  type HistorySettle,
  historyCells,
  historyColumns,
  type LeftSending,
} from "../core/engine/history";
import type { UpdateWorkflowRunBody } from "../extend/api";
import { ownSheet } from "./own-sheet";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const TIME_FORMAT = "yyyy-mm-dd hh:mm:ss";

/**
 * Where each history column is now, the header row's width and the last row with content (one round trip for
 * both extents); undefined when a column is gone.
 */
function headerLayout(
  sheet: Sheet,
): { columns: Record<HistoryHeader, number>; width: number; lastRow: number } | undefined {
  const data = sheet.getDataRange();
  const width = Math.max(data.getLastColumn(), HISTORY_HEADERS.length);
  const columns = historyColumns(sheet.getRange(1, 1, 1, width).getValues()[0] ?? []);
  return columns && { columns, width, lastRow: data.getLastRow() };
}

/** What a record sent, or undefined when its cell no longer holds a JSON object. */
function parseSent(text: string): UpdateWorkflowRunBody | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as UpdateWorkflowRunBody)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rows added at a time when the sheet is full: GROW_APPENDS appends' worth, so most appends need no structural
 * edit (nor the long way, see placeWhereExpected), within GROW_ROWS (at most some 65,000 empty cells of the
 * spreadsheet's 10 million).
 */
const GROW_ROWS = { least: 500, most: 5000 };
const GROW_APPENDS = 20;

function isHistorySheet(sheet: Sheet): boolean {
  return sheet.getLastRow() === 0 || headerLayout(sheet) !== undefined;
}

type Layout = { sheet: Sheet; columns: Record<HistoryHeader, number>; width: number; lastRow: number };

/** Where this execution's last append left the sheet: what the next one expects to find. */
type Expected = {
  sheet: Sheet;
  columns: Record<HistoryHeader, number>;
  width: number;
  next: number;
  maxRows: number;
};

/** Where an append writes its records, and the write of the states settled with it. */
type Placement = Omit<Expected, "next"> & { first: number; states: (() => void) | undefined };

/** Settles further above the rows to fill than this are read on their own, not in one block with them. */
const SETTLE_SPAN_ROWS = 2000;

const sameColumns = (a: Record<HistoryHeader, number>, b: Record<HistoryHeader, number>) =>
  HISTORY_HEADERS.every((name) => a[name] === b[name]);

const isEmptyRow = (cells: readonly unknown[] | undefined) => cells?.every((cell) => cell === "") === true;

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
  private expected: Expected | undefined;

  constructor(private readonly spreadsheet: Spreadsheet) {}

  /** The sheet and its columns now; a sheet whose history columns were deleted gives way to another. */
  private target(): Layout {
    this.sheet ??= historySheet(this.spreadsheet);
    let layout = headerLayout(this.sheet);
    if (!layout) {
      this.sheet = historySheet(this.spreadsheet);
      layout = headerLayout(this.sheet);
    }
    if (!layout) throw new Error(`The sheet "${this.sheet.getName()}" has lost its history columns.`);
    return { sheet: this.sheet, ...layout };
  }

  append(records: readonly HistoryRecord[], settles: readonly HistorySettle[] = []): number[] {
    if (records.length === 0) {
      this.settle(settles);
      return [];
    }
    const { sheet, columns, width, first, maxRows, states } =
      this.placeWhereExpected(records.length, settles) ?? this.placeAfterLastRow(records.length, settles);
    const rows = records.map((record) => {
      const cells = historyCells(record);
      const row: unknown[] = new Array(width).fill("");
      HISTORY_HEADERS.forEach((name, index) => {
        row[columns[name]] = cells[index];
      });
      return row;
    });
    sheet.getRange(first, 1, records.length, width).setValues(rows);
    sheet.getRange(first, columns.Time + 1, records.length, 1).setNumberFormat(TIME_FORMAT);
    states?.();
    // Committed before the POSTs it describes leave: a write still queued would die with a killed execution.
    SpreadsheetApp.flush();
    this.expected = { sheet, columns, width, next: first + records.length, maxRows };
    return records.map((_, index) => first + index);
  }

  /**
   * The append after this execution's last one, without finding the sheet's last row again: the header read at
   * the width it had (a column inserted moves a history column, and the long way is taken), and one block from
   * the rows to settle down to the rows to fill. Those are filled only when every cell of them is still empty:
   * rows inserted above, or anything typed there, send the append the long way (getLastRow), as does a sheet
   * trimmed below them (the range is then out of bounds). Rows deleted above leave a gap of empty rows, and a
   * sort leaves the empty rows at the bottom, so nothing typed is written over. (A formula that shows nothing
   * reads as empty here, where getLastRow would count it: reading formulas too would cost the round trip
   * saved, for a cell in the add-on's own sheet, below its records, added during a job.) Undefined: take the
   * long way.
   */
  private placeWhereExpected(count: number, settles: readonly HistorySettle[]): Placement | undefined {
    const expected = this.expected;
    this.expected = undefined;
    if (!expected || expected.sheet !== this.sheet) return undefined;
    const { sheet, columns, width, next, maxRows } = expected;
    const last = next + count - 1;
    if (last > maxRows) return undefined;
    let top = next;
    for (const { row } of settles) top = Math.min(top, row);
    const together = next - top <= SETTLE_SPAN_ROWS;
    try {
      const header = sheet.getRange(1, 1, 1, width).getValues()[0] ?? [];
      const found = historyColumns(header);
      if (!found || !sameColumns(found, columns)) return undefined;
      const blockTop = together ? top : next;
      const block = sheet.getRange(blockTop, 1, last - blockTop + 1, width).getValues();
      if (!block.slice(next - blockTop).every(isEmptyRow)) return undefined;
      const layout: Layout = { sheet, columns, width, lastRow: next - 1 };
      const states = together
        ? this.statesFrom(layout, settles, blockTop, block)
        : this.statesToWrite(layout, settles);
      return { sheet, columns, width, first: next, maxRows, states };
    } catch {
      // Rows trimmed below the records since the last append (the range no longer fits the sheet), or any other
      // refusal: the long way asks again, and a refusal that lasts is thrown from there.
      return undefined;
    }
  }

  /** The long way: below the sheet's last row, found by asking Sheets, with rows added when it is full. */
  private placeAfterLastRow(count: number, settles: readonly HistorySettle[]): Placement {
    const target = this.target();
    const { sheet, columns, width } = target;
    // The states are read before any write is queued: a read commits the queued writes first.
    const states = this.statesToWrite(target, settles);
    const first = target.lastRow + 1;
    let maxRows = sheet.getMaxRows();
    const missing = first + count - 1 - maxRows;
    if (missing > 0) {
      const ahead = Math.min(Math.max(GROW_APPENDS * count, GROW_ROWS.least), GROW_ROWS.most);
      const added = Math.max(missing, ahead);
      sheet.insertRowsAfter(maxRows, added);
      maxRows += added;
    }
    return { sheet, columns, width, first, maxRows, states };
  }

  leftSending(jobId: string): LeftSending[] {
    const { sheet, columns, lastRow } = this.target();
    if (lastRow < 2) return [];
    const column = (header: HistoryHeader) =>
      sheet
        .getRange(2, columns[header] + 1, lastRow - 1, 1)
        .getValues()
        .map((cells) => String(cells[0] ?? ""));
    const jobs = column("Job ID");
    const runs = column("Run ID");
    const states = column("History State");
    const lastOfRun = new Map<string, number>();
    const sending: number[] = [];
    jobs.forEach((job, index) => {
      if (job !== jobId) return;
      lastOfRun.set(runs[index] ?? "", index);
      if (states[index] === "Sending") sending.push(index);
    });
    const first = sending[0];
    const last = sending[sending.length - 1];
    if (first === undefined || last === undefined) return [];
    // What each sent, from one read of its column over the rows that hold them.
    const sentTexts = sheet.getRange(first + 2, columns["Values Sent"] + 1, last - first + 1, 1).getValues();
    const left: LeftSending[] = [];
    for (const index of sending) {
      const runId = runs[index] ?? "";
      const sent = parseSent(String(sentTexts[index - first]?.[0] ?? ""));
      // A record edited into something unreadable cannot be checked: it is settled unread ("Not confirmed").
      left.push({
        row: index + 2,
        runId,
        sent: sent ?? {},
        latest: sent !== undefined && lastOfRun.get(runId) === index,
      });
    }
    return left;
  }

  settle(states: readonly HistorySettle[]): void {
    if (states.length === 0) return;
    this.statesToWrite(this.target(), states)?.();
  }

  /**
   * Reads the rows the states are for, and gives the write of each state where its row still holds its record
   * (the sheet is the user's to sort or trim); undefined when there is nothing to write.
   */
  private statesToWrite(target: Layout, states: readonly HistorySettle[]): (() => void) | undefined {
    if (states.length === 0) return undefined;
    const { sheet, width } = target;
    // No spread into Math.min: a call's arguments are limited, and a settle may name thousands of rows.
    let top = Number.POSITIVE_INFINITY;
    let bottom = 0;
    for (const { row } of states) {
      top = Math.min(top, row);
      bottom = Math.max(bottom, row);
    }
    const block = sheet.getRange(top, 1, bottom - top + 1, width).getValues();
    return this.statesFrom(target, states, top, block);
  }

  /** The write of each state whose row in `block` (the sheet's rows from `top`) still holds its record. */
  private statesFrom(
    target: Layout,
    states: readonly HistorySettle[],
    top: number,
    block: readonly (readonly unknown[])[],
  ): (() => void) | undefined {
    if (states.length === 0) return undefined;
    const { sheet, columns } = target;
    const jobColumn = columns["Job ID"];
    const runColumn = columns["Run ID"];
    const stateColumn = columns["History State"];
    let bottom = top;
    for (const { row } of states) bottom = Math.max(bottom, row);
    const column = block.slice(0, bottom - top + 1).map((cells) => [cells[stateColumn]]);
    let changed = false;
    for (const state of states) {
      const cells = block[state.row - top];
      if (!cells || String(cells[jobColumn]) !== state.jobId || String(cells[runColumn]) !== state.runId)
        continue;
      column[state.row - top] = [state.state];
      changed = true;
    }
    return changed
      ? () => sheet.getRange(top, stateColumn + 1, column.length, 1).setValues(column)
      : undefined;
  }
}
