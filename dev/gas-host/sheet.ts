// The Sheet service object: getRange with Apps Script's bounds messages, structural edits that move cells the
// way Sheets moves them, and the recorded presentation settings (hidden and frozen, widths, rules).
import { type GridRange, parseA1, splitSheetName } from "./a1.js";
import { type ConditionalFormatRecord, conditionalRecordOf, conditionalRuleObject } from "./builders.js";
import { checkCellInputs } from "./cell-values.js";
import { GasException, serviceObject, signatureError } from "./execution.js";
import { makeRangeList, type SheetViews, writeRefused } from "./range.js";
import { rangeRefOf } from "./range-ref.js";
import { type SheetModel, type SpreadsheetModel, sheetNameTakenMessage } from "./sheet-model.js";

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Range = GoogleAppsScript.Spreadsheet.Range;

const sheetModels = new WeakMap<object, SheetModel>();

export const sheetModelOf = (value: unknown): SheetModel | undefined =>
  typeof value === "object" && value !== null ? sheetModels.get(value) : undefined;

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);

/** A spreadsheet holds at most 10 million cells (support.google.com/drive/answer/37603). */
export const MAX_WORKBOOK_CELLS = 10_000_000;
// Sheets' wording (through the Sheets API: github.com/nithinmurali/pygsheets/issues/589).
export const WORKBOOK_FULL_MESSAGE =
  "This action would increase the number of cells in the workbook above the limit of 10000000 cells.";

/** Throws when growing the workbook by `extraCells` would pass the limit; nothing has changed yet. */
export const checkWorkbookGrowth = (book: SpreadsheetModel, extraCells: number): void => {
  const cells = book.sheets.reduce((sum, sheet) => sum + sheet.maxRows * sheet.maxColumns, 0);
  if (cells + extraCells > MAX_WORKBOOK_CELLS) throw new GasException(WORKBOOK_FULL_MESSAGE);
};

/** Bounds check and Range creation shared by Sheet.getRange and Spreadsheet.getRange. */
export const rangeAt = (views: SheetViews, sheet: SheetModel, grid: GridRange): Range => {
  if (grid.row < 1) throw new GasException("The starting row of the range is too small.");
  if (grid.column < 1) throw new GasException("The starting column of the range is too small.");
  if (grid.numRows < 1) throw new GasException("The number of rows in the range must be at least 1.");
  if (grid.numColumns < 1) throw new GasException("The number of columns in the range must be at least 1.");
  if (grid.row + grid.numRows - 1 > sheet.maxRows || grid.column + grid.numColumns - 1 > sheet.maxColumns) {
    throw new GasException("The coordinates of the range are outside the dimensions of the sheet.");
  }
  return views.range({ sheet, grid });
};

/** getRange("B2:C3") or getRange("'Other sheet'!B2"); unknown sheets and malformed notation: "Range not found". */
export const rangeFromA1 = (views: SheetViews, fallback: SheetModel, a1: string): Range => {
  const { sheetName, ref } = splitSheetName(a1);
  const sheet = sheetName === undefined ? fallback : views.book.findSheet(sheetName);
  const grid = sheet ? parseA1(ref, sheet.maxRows, sheet.maxColumns) : null;
  if (!sheet || !grid) throw new GasException("Range not found");
  return rangeAt(views, sheet, grid);
};

export const makeSheet = (views: SheetViews, sheet: SheetModel): Sheet => {
  const { exec, book } = views;
  const checkRows = (start: number, count: number) => {
    if (start < 1 || count < 1 || start + count - 1 > sheet.maxRows) {
      throw new GasException("Those rows are out of bounds.");
    }
  };
  const checkColumns = (start: number, count: number) => {
    if (start < 1 || count < 1 || start + count - 1 > sheet.maxColumns) {
      throw new GasException("Those columns are out of bounds.");
    }
  };
  const columnArg = (method: string, args: unknown[]): [number, number] => {
    const [a, b] = args;
    const ref = rangeRefOf(a);
    if (ref) return [ref.grid.column, ref.grid.numColumns];
    if (!isCount(a) || (b !== undefined && !isCount(b)))
      throw signatureError(`SpreadsheetApp.Sheet.${method}`, args);
    return [Math.trunc(a), b === undefined ? 1 : Math.trunc(b)];
  };
  const ruleRange = (ref: { sheet: SheetModel; grid: GridRange }) => views.range(ref);

  let self: Sheet;
  const impl = {
    getName: () => sheet.name,
    getSheetName: () => sheet.name,
    setName: (name: string) => {
      const taken = book.sheetNamedAnyCase(name);
      if (taken && taken !== sheet) throw new GasException(sheetNameTakenMessage(name));
      if (book.activeSheetName === sheet.name) book.activeSheetName = name;
      sheet.name = name;
      return self;
    },
    getSheetId: () => sheet.sheetId,
    getIndex: () => book.sheets.indexOf(sheet) + 1,
    getParent: () => views.spreadsheet(),
    activate: () => {
      book.activeSheetName = sheet.name;
      return self;
    },
    getRange: (...args: unknown[]) => {
      const [a, column, numRows, numColumns] = args;
      if (typeof a === "string" && args.length === 1) return rangeFromA1(views, sheet, a);
      if (
        !isCount(a) ||
        !isCount(column) ||
        (numRows !== undefined && !isCount(numRows)) ||
        (numColumns !== undefined && !isCount(numColumns))
      ) {
        throw signatureError("SpreadsheetApp.Sheet.getRange", args);
      }
      return rangeAt(views, sheet, {
        row: Math.trunc(a),
        column: Math.trunc(column),
        numRows: numRows === undefined ? 1 : Math.trunc(numRows),
        numColumns: numColumns === undefined ? 1 : Math.trunc(numColumns),
      });
    },
    getRangeList: (a1Notations: string[]) => {
      const refs = a1Notations.map((a1) => rangeRefOf(rangeFromA1(views, sheet, a1)));
      return makeRangeList(
        views,
        refs.filter((ref) => ref !== undefined),
      );
    },
    getDataRange: () =>
      rangeAt(views, sheet, {
        row: 1,
        column: 1,
        numRows: Math.max(1, sheet.lastRow()),
        numColumns: Math.max(1, sheet.lastColumn()),
      }),
    getSheetValues: (startRow: number, startColumn: number, numRows: number, numColumns: number) => {
      const rows = numRows === -1 ? sheet.lastRow() - startRow + 1 : numRows;
      const columns = numColumns === -1 ? sheet.lastColumn() - startColumn + 1 : numColumns;
      return rangeAt(views, sheet, {
        row: startRow,
        column: startColumn,
        numRows: rows,
        numColumns: columns,
      }).getValues();
    },
    getLastRow: () => sheet.lastRow(),
    getLastColumn: () => sheet.lastColumn(),
    getMaxRows: () => sheet.maxRows,
    getMaxColumns: () => sheet.maxColumns,
    insertColumnsAfter: (after: number, howMany: number) => {
      if (after < 1 || after > sheet.maxColumns || howMany < 1)
        throw new GasException("Those columns are out of bounds.");
      checkWorkbookGrowth(book, howMany * sheet.maxRows);
      sheet.insertColumns(after, howMany);
      return self;
    },
    insertColumnAfter: (after: number): Sheet => impl.insertColumnsAfter(after, 1),
    insertColumnsBefore: (before: number, howMany: number) => {
      checkColumns(before, 1);
      if (howMany < 1) throw new GasException("Those columns are out of bounds.");
      checkWorkbookGrowth(book, howMany * sheet.maxRows);
      sheet.insertColumns(before - 1, howMany);
      return self;
    },
    insertColumnBefore: (before: number): Sheet => impl.insertColumnsBefore(before, 1),
    insertRowsAfter: (after: number, howMany: number) => {
      if (after < 1 || after > sheet.maxRows || howMany < 1)
        throw new GasException("Those rows are out of bounds.");
      checkWorkbookGrowth(book, howMany * sheet.maxColumns);
      sheet.insertRows(after, howMany);
      return self;
    },
    insertRowAfter: (after: number): Sheet => impl.insertRowsAfter(after, 1),
    insertRowsBefore: (before: number, howMany: number) => {
      checkRows(before, 1);
      if (howMany < 1) throw new GasException("Those rows are out of bounds.");
      checkWorkbookGrowth(book, howMany * sheet.maxColumns);
      sheet.insertRows(before - 1, howMany);
      return self;
    },
    insertRowBefore: (before: number): Sheet => impl.insertRowsBefore(before, 1),
    deleteRows: (start: number, howMany: number) => {
      checkRows(start, howMany);
      if (
        sheet.maxRows - howMany < 1 ||
        (start > sheet.frozenRows && howMany >= sheet.maxRows - sheet.frozenRows)
      ) {
        throw new GasException("Sorry, it is not possible to delete all non-frozen rows.");
      }
      sheet.deleteRows(start, howMany);
    },
    deleteRow: (position: number): Sheet => {
      impl.deleteRows(position, 1);
      return self;
    },
    deleteColumns: (start: number, howMany: number) => {
      checkColumns(start, howMany);
      if (
        sheet.maxColumns - howMany < 1 ||
        (start > sheet.frozenColumns && howMany >= sheet.maxColumns - sheet.frozenColumns)
      ) {
        throw new GasException("Sorry, it is not possible to delete all non-frozen columns.");
      }
      sheet.deleteColumns(start, howMany);
    },
    deleteColumn: (position: number): Sheet => {
      impl.deleteColumns(position, 1);
      return self;
    },
    hideColumns: (...args: unknown[]) => {
      const [start, count] = columnArg("hideColumns", args);
      checkColumns(start, count);
      for (let c = start; c < start + count; c += 1) sheet.hiddenColumns.add(c);
    },
    hideColumn: (column: Range): void => impl.hideColumns(column),
    showColumns: (...args: unknown[]) => {
      const [start, count] = columnArg("showColumns", args);
      checkColumns(start, count);
      for (let c = start; c < start + count; c += 1) sheet.hiddenColumns.delete(c);
    },
    unhideColumn: (column: Range): void => impl.showColumns(column),
    isColumnHiddenByUser: (column: number) => sheet.hiddenColumns.has(column),
    // Only what the add-on reads of a filter; its criteria are set by tests through the model.
    getFilter: (): GoogleAppsScript.Spreadsheet.Filter | null => {
      if (!sheet.filter) return null;
      const notModelled = (): never => {
        throw new GasException("The local host does not model filter criteria.");
      };
      const filter: GoogleAppsScript.Spreadsheet.Filter = {
        getRange: () =>
          rangeAt(views, sheet, {
            row: 1,
            column: 1,
            numRows: Math.max(1, sheet.lastRow()),
            numColumns: Math.max(1, sheet.lastColumn()),
          }),
        remove: () => {
          sheet.filter = undefined;
        },
        getColumnFilterCriteria: () => null,
        removeColumnFilterCriteria: () => filter,
        setColumnFilterCriteria: notModelled,
        sort: notModelled,
      };
      return filter;
    },
    isRowHiddenByFilter: (row: number) => sheet.filter?.hiddenRows.has(row) ?? false,
    setFrozenRows: (rows: number) => {
      if (!isCount(rows) || rows < 0 || rows >= sheet.maxRows)
        throw signatureError("SpreadsheetApp.Sheet.setFrozenRows", [rows]);
      exec.meter.sheetsWrite(0);
      sheet.frozenRows = rows;
    },
    getFrozenRows: () => sheet.frozenRows,
    setFrozenColumns: (columns: number) => {
      if (!isCount(columns) || columns < 0 || columns >= sheet.maxColumns) {
        throw signatureError("SpreadsheetApp.Sheet.setFrozenColumns", [columns]);
      }
      exec.meter.sheetsWrite(0);
      sheet.frozenColumns = columns;
    },
    getFrozenColumns: () => sheet.frozenColumns,
    setColumnWidth: (column: number, width: number) => {
      checkColumns(column, 1);
      exec.meter.sheetsWrite(0);
      sheet.columnWidths.set(column, width);
      return self;
    },
    setColumnWidths: (start: number, count: number, width: number) => {
      checkColumns(start, count);
      exec.meter.sheetsWrite(0);
      for (let c = start; c < start + count; c += 1) sheet.columnWidths.set(c, width);
      return self;
    },
    getColumnWidth: (column: number) => sheet.columnWidths.get(column) ?? 100,
    appendRow: (contents: unknown[]) => {
      if (!Array.isArray(contents)) throw signatureError("SpreadsheetApp.Sheet.appendRow", [contents]);
      checkCellInputs(contents);
      const row = sheet.lastRow() + 1;
      const rows = Math.max(sheet.maxRows, row);
      const columns = Math.max(sheet.maxColumns, contents.length);
      checkWorkbookGrowth(book, rows * columns - sheet.maxRows * sheet.maxColumns);
      exec.meter.sheetsWrite(contents.length);
      const grid = { row, column: 1, numRows: 1, numColumns: Math.max(1, contents.length) };
      if (writeRefused(views, sheet, grid, (_, j) => contents[j])) return self;
      sheet.ensureSize(row, contents.length);
      contents.forEach((value, j) => {
        sheet.enter(row, j + 1, value);
      });
      return self;
    },
    sort: (column: number, ascending?: boolean) => {
      checkColumns(column, 1);
      sheet.sortRows(column, ascending ?? true);
      return self;
    },
    clear: () => {
      rangeAt(views, sheet, {
        row: 1,
        column: 1,
        numRows: sheet.maxRows,
        numColumns: sheet.maxColumns,
      }).clear();
      return self;
    },
    clearContents: () => {
      rangeAt(views, sheet, {
        row: 1,
        column: 1,
        numRows: sheet.maxRows,
        numColumns: sheet.maxColumns,
      }).clearContent();
      return self;
    },
    getActiveRange: () => {
      const selected = book.selection;
      if (!selected || selected.sheetName !== sheet.name)
        return book.activeSheet === sheet
          ? views.range({ sheet, grid: { row: 1, column: 1, numRows: 1, numColumns: 1 } })
          : null;
      const [grid] = selected.ranges;
      return grid ? views.range({ sheet, grid }) : null;
    },
    setActiveRange: (range: Range) => {
      const ref = rangeRefOf(range);
      if (!ref || ref.sheet !== sheet) throw signatureError("SpreadsheetApp.Sheet.setActiveRange", [range]);
      book.selection = { sheetName: sheet.name, ranges: [ref.grid] };
      book.activeSheetName = sheet.name;
      return range;
    },
    getActiveRangeList: () => {
      const selected = book.selection;
      if (!selected || selected.sheetName !== sheet.name || selected.ranges.length === 0) return null;
      return makeRangeList(
        views,
        selected.ranges.map((grid) => ({ sheet, grid })),
      );
    },
    getSelection: () => views.selection(),
    setConditionalFormatRules: (rules: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[]) => {
      const records = Array.isArray(rules) ? rules.map(conditionalRecordOf) : [];
      if (!Array.isArray(rules) || records.some((record) => record === undefined)) {
        throw signatureError("SpreadsheetApp.Sheet.setConditionalFormatRules", [rules]);
      }
      exec.meter.sheetsWrite(0);
      sheet.conditionalFormatRules = records as ConditionalFormatRecord[];
    },
    getConditionalFormatRules: () =>
      exec.realm.array(
        (sheet.conditionalFormatRules as ConditionalFormatRecord[]).map((record) =>
          conditionalRuleObject(exec, record, ruleRange),
        ),
      ),
    clearConditionalFormatRules: () => {
      exec.meter.sheetsWrite(0);
      sheet.conditionalFormatRules = [];
    },
  } satisfies Partial<Sheet>;
  self = serviceObject(exec, "Sheet", impl) as unknown as Sheet;
  sheetModels.set(self, sheet);
  return self;
};
