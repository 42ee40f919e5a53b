// Range and RangeList: the per-execution views of sheet cells. Reads return fresh arrays and Dates of the
// script's realm; writes parse strings as Sheets does and demand exact dimensions, with Apps Script's messages.
// Each read and write tells the execution's cost meter how many cells it touched.
import { a1Notation, type GridRange } from "./a1.js";
import { dataValidationObject, validationRecordOf } from "./builders.js";
import { type CellValue, checkCellInputs, displayText, LOADING_TEXT } from "./cell-values.js";
import { type Execution, GasException, serviceObject, signatureError } from "./execution.js";
import { formulaParses } from "./locale.js";
import { type RangeRef, registerRange } from "./range-ref.js";
import { isDate } from "./realm.js";
import { writeRefusal } from "./refusals.js";
import type { Cell, SheetModel, SpreadsheetModel, ValidationRecord } from "./sheet-model.js";

type Range = GoogleAppsScript.Spreadsheet.Range;
type RangeList = GoogleAppsScript.Spreadsheet.RangeList;

export interface SheetViews {
  exec: Execution;
  book: SpreadsheetModel;
  sheet(model: SheetModel): GoogleAppsScript.Spreadsheet.Sheet;
  range(ref: RangeRef): Range;
  spreadsheet(): GoogleAppsScript.Spreadsheet.Spreadsheet;
  selection(): GoogleAppsScript.Spreadsheet.Selection;
}

const cellsOf = (grid: GridRange): { row: number; column: number; i: number; j: number }[] => {
  const out = [];
  for (let i = 0; i < grid.numRows; i += 1) {
    for (let j = 0; j < grid.numColumns; j += 1)
      out.push({ row: grid.row + i, column: grid.column + j, i, j });
  }
  return out;
};

/** Apps Script's check of a 2-D argument against the range size. */
export const checkDimensions = (method: string, data: unknown, grid: GridRange): unknown[][] => {
  if (!Array.isArray(data) || data.some((row) => !Array.isArray(row))) throw signatureError(method, [data]);
  const rows = data as unknown[][];
  if (rows.length !== grid.numRows) {
    throw new GasException(
      `The number of rows in the data does not match the number of rows in the range. The data has ${rows.length} but the range has ${grid.numRows}.`,
    );
  }
  for (const row of rows) {
    if (row.length !== grid.numColumns) {
      throw new GasException(
        `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${grid.numColumns}.`,
      );
    }
  }
  return rows;
};

/**
 * Whether Sheets refuses this write (a protected cell, a value a "reject input" rule does not accept): at-write
 * it throws now; at-flush the write is dropped and the next commit of the queued writes throws instead.
 */
export const writeRefused = (
  views: SheetViews,
  sheet: SheetModel,
  grid: GridRange,
  valueAt?: (i: number, j: number) => unknown,
): boolean => {
  const message = writeRefusal(sheet, grid, views.exec.userEmail, valueAt);
  if (message === undefined) return false;
  if (views.book.refusedWriteTiming === "at-write") throw new GasException(message);
  views.exec.meter.deferRefusal(message);
  return true;
};

/**
 * A custom-formula rule whose argument separators this spreadsheet does not read (locale.ts) is refused.
 * Google's wording for it was not found.
 */
const checkRuleFormula = (book: SpreadsheetModel, rule: ValidationRecord): void => {
  const [formula] = rule.values;
  if (rule.criteria === "CUSTOM_FORMULA" && !formulaParses(String(formula), book.locale, book.formulaSyntax))
    throw new GasException(`The formula of this data validation rule is invalid: ${String(formula)}`);
};

export const makeRange = (views: SheetViews, ref: RangeRef): Range => {
  const { exec } = views;
  const { sheet, grid } = ref;
  const cellCount = grid.numRows * grid.numColumns;
  const read = <T>(pick: (cell: Cell | undefined) => T): T[][] => {
    exec.meter.sheetsRead(cellCount);
    return Array.from({ length: grid.numRows }, (_, i) =>
      Array.from({ length: grid.numColumns }, (_, j) => pick(sheet.cell(grid.row + i, grid.column + j))),
    );
  };
  const first = <T>(pick: (cell: Cell | undefined) => T): T => {
    exec.meter.sheetsRead(1);
    return pick(sheet.cell(grid.row, grid.column));
  };
  // A formula still calculating reads as "Loading..." until its reads are used up.
  const stillLoading = (cell: Cell | undefined): boolean => {
    if (!cell?.loadingReads || cell.loadingReads <= 0) return false;
    cell.loadingReads -= 1;
    return true;
  };
  const value = (cell: Cell | undefined): CellValue => {
    if (stillLoading(cell)) return LOADING_TEXT;
    const v = cell?.value ?? "";
    return v instanceof Date ? exec.realm.date(v) : v;
  };
  const display = (cell: Cell | undefined): string => {
    if (stillLoading(cell)) return LOADING_TEXT;
    return cell ? displayText(cell.value, cell.numberFormat, sheet.timeZone) : "";
  };
  const out = <T>(rows: T[][]): T[][] => exec.realm.array(rows);
  const refused = (valueAt?: (i: number, j: number) => unknown) => writeRefused(views, sheet, grid, valueAt);
  const each = (change: (cell: Cell, i: number, j: number) => void): void => {
    exec.meter.sheetsWrite(cellCount);
    if (refused()) return;
    for (const { row, column, i, j } of cellsOf(grid))
      sheet.updateCell(row, column, (cell) => change(cell, i, j));
  };
  const setFormat = (key: string, v: unknown): void =>
    each((cell) => {
      cell.format = { ...cell.format, [key]: v as string };
    });
  const setFormats = (method: string, key: string, data: unknown): void => {
    const rows = checkDimensions(`SpreadsheetApp.Range.${method}`, data, grid);
    each((cell, i, j) => {
      cell.format = { ...cell.format, [key]: rows[i]?.[j] as string };
    });
  };
  const readFormat = (key: string, fallback: string) => (cell: Cell | undefined) =>
    String(cell?.format?.[key] ?? fallback);
  const clear = (parts: { contents?: boolean; formats?: boolean; validations?: boolean; notes?: boolean }) =>
    each((cell) => {
      if (parts.contents) {
        cell.value = "";
        delete cell.formula;
      }
      if (parts.formats) {
        delete cell.numberFormat;
        delete cell.format;
      }
      if (parts.validations) delete cell.validation;
      if (parts.notes) delete cell.note;
    });
  const sub = (row: number, column: number, numRows = 1, numColumns = 1): Range => {
    if (numRows < 1 || numColumns < 1) {
      throw new GasException(
        `The number of ${numRows < 1 ? "rows" : "columns"} in the range must be at least 1.`,
      );
    }
    const g = { row, column, numRows, numColumns };
    if (
      row < 1 ||
      column < 1 ||
      row + numRows - 1 > sheet.maxRows ||
      column + numColumns - 1 > sheet.maxColumns
    ) {
      throw new GasException("The coordinates of the range are outside the dimensions of the sheet.");
    }
    return views.range({ sheet, grid: g });
  };

  let self: Range;
  const impl = {
    activate: () => {
      views.book.select(sheet.name, a1Notation(grid));
      return self;
    },
    getA1Notation: () => a1Notation(grid),
    getRow: () => grid.row,
    getRowIndex: () => grid.row,
    getColumn: () => grid.column,
    getLastRow: () => grid.row + grid.numRows - 1,
    getLastColumn: () => grid.column + grid.numColumns - 1,
    getNumRows: () => grid.numRows,
    getNumColumns: () => grid.numColumns,
    getHeight: () => grid.numRows,
    getWidth: () => grid.numColumns,
    getGridId: () => sheet.sheetId,
    getSheet: () => views.sheet(sheet),
    getCell: (row: number, column: number) => {
      if (row < 1 || column < 1 || row > grid.numRows || column > grid.numColumns) {
        throw new GasException("The coordinates of the range are outside the dimensions of the sheet.");
      }
      return sub(grid.row + row - 1, grid.column + column - 1);
    },
    offset: (rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number) =>
      sub(
        grid.row + rowOffset,
        grid.column + columnOffset,
        numRows ?? grid.numRows,
        numColumns ?? grid.numColumns,
      ),
    isBlank: () => {
      exec.meter.sheetsRead(cellCount);
      return cellsOf(grid).every(({ row, column }) => {
        const cell = sheet.cell(row, column);
        return !cell || (cell.value === "" && cell.formula === undefined);
      });
    },

    getValues: () => out(read(value)),
    getValue: () => first(value),
    getDisplayValues: () => out(read(display)),
    getDisplayValue: () => first(display),
    getFormulas: () => out(read((cell) => cell?.formula ?? "")),
    getFormula: () => first((cell) => cell?.formula ?? ""),
    getNotes: () => out(read((cell) => cell?.note ?? "")),
    getNote: () => first((cell) => cell?.note ?? ""),
    getNumberFormats: () => out(read((cell) => cell?.numberFormat ?? "General")),
    getNumberFormat: () => first((cell) => cell?.numberFormat ?? "General"),

    setValues: (values: unknown[][]) => {
      const rows = checkDimensions("SpreadsheetApp.Range.setValues", values, grid);
      checkCellInputs(rows.flat());
      exec.meter.sheetsWrite(cellCount);
      if (refused((i, j) => rows[i]?.[j])) return self;
      for (const { row, column, i, j } of cellsOf(grid)) sheet.enter(row, column, rows[i]?.[j]);
      return self;
    },
    setValue: (v: unknown) => {
      if (Array.isArray(v) || (typeof v === "object" && v !== null && !isDate(v))) {
        throw signatureError("SpreadsheetApp.Range.setValue", [v]);
      }
      checkCellInputs([v]);
      exec.meter.sheetsWrite(cellCount);
      if (refused(() => v)) return self;
      for (const { row, column } of cellsOf(grid)) sheet.enter(row, column, v);
      return self;
    },
    setFormula: (formula: string) => {
      if (typeof formula !== "string") throw signatureError("SpreadsheetApp.Range.setFormula", [formula]);
      checkCellInputs([formula]);
      exec.meter.sheetsWrite(cellCount);
      const entered = formula === "" || formula.startsWith("=") ? formula : `=${formula}`;
      if (refused(() => entered)) return self;
      for (const { row, column } of cellsOf(grid)) sheet.enter(row, column, entered);
      return self;
    },
    setFormulas: (formulas: string[][]) => {
      const rows = checkDimensions("SpreadsheetApp.Range.setFormulas", formulas, grid);
      checkCellInputs(rows.flat());
      exec.meter.sheetsWrite(cellCount);
      const formulaAt = (i: number, j: number) => {
        const f = String(rows[i]?.[j] ?? "");
        return f === "" || f.startsWith("=") ? f : `=${f}`;
      };
      if (refused(formulaAt)) return self;
      for (const { row, column, i, j } of cellsOf(grid)) sheet.enter(row, column, formulaAt(i, j));
      return self;
    },
    setNote: (note: string | null) => {
      each((cell) => {
        cell.note = note === null || note === undefined ? "" : String(note);
      });
      return self;
    },
    setNotes: (notes: (string | null)[][]) => {
      const rows = checkDimensions("SpreadsheetApp.Range.setNotes", notes, grid);
      each((cell, i, j) => {
        const note = rows[i]?.[j];
        cell.note = note === null || note === undefined ? "" : String(note);
      });
      return self;
    },
    clearNote: () => {
      clear({ notes: true });
      return self;
    },
    setNumberFormat: (format: string) => {
      each((cell) => {
        cell.numberFormat = String(format);
      });
      return self;
    },
    setNumberFormats: (formats: string[][]) => {
      const rows = checkDimensions("SpreadsheetApp.Range.setNumberFormats", formats, grid);
      each((cell, i, j) => {
        cell.numberFormat = String(rows[i]?.[j]);
      });
      return self;
    },
    setDataValidation: (rule: GoogleAppsScript.Spreadsheet.DataValidation | null) => {
      const record = rule === null ? undefined : validationRecordOf(rule);
      if (rule !== null && !record) throw signatureError("SpreadsheetApp.Range.setDataValidation", [rule]);
      if (record) checkRuleFormula(views.book, record);
      each((cell) => {
        if (record) cell.validation = { ...record, values: [...record.values] };
        else delete cell.validation;
      });
      if (record) sheet.noteValidation(record);
      return self;
    },
    setDataValidations: (rules: (GoogleAppsScript.Spreadsheet.DataValidation | null)[][]) => {
      const rows = checkDimensions("SpreadsheetApp.Range.setDataValidations", rules, grid);
      const records = rows.map((row) => row.map(validationRecordOf));
      for (const record of records.flat()) if (record) checkRuleFormula(views.book, record);
      each((cell, i, j) => {
        const record = records[i]?.[j];
        if (record) cell.validation = { ...record, values: [...record.values] };
        else delete cell.validation;
        if (record) sheet.noteValidation(record);
      });
      return self;
    },
    getDataValidation: () =>
      first((cell) => (cell?.validation ? dataValidationObject(exec, cell.validation) : null)),
    getDataValidations: () =>
      out(read((cell) => (cell?.validation ? dataValidationObject(exec, cell.validation) : null))),
    clearDataValidations: () => {
      clear({ validations: true });
      return self;
    },
    clearContent: () => {
      clear({ contents: true });
      return self;
    },
    clearFormat: () => {
      clear({ formats: true });
      return self;
    },
    clear: (options?: {
      contentsOnly?: boolean;
      formatOnly?: boolean;
      validationsOnly?: boolean;
      commentsOnly?: boolean;
    }) => {
      const only =
        options &&
        (options.contentsOnly || options.formatOnly || options.validationsOnly || options.commentsOnly);
      if (!only) clear({ contents: true, formats: true });
      else
        clear({
          contents: Boolean(options?.contentsOnly),
          formats: Boolean(options?.formatOnly),
          validations: Boolean(options?.validationsOnly),
          notes: Boolean(options?.commentsOnly),
        });
      return self;
    },
    setFontWeight: (weight: "normal" | "bold" | null) => {
      setFormat("fontWeight", weight);
      return self;
    },
    setFontWeights: (weights: ("normal" | "bold" | null)[][]) => {
      setFormats("setFontWeights", "fontWeight", weights);
      return self;
    },
    getFontWeight: () => first(readFormat("fontWeight", "normal")) as "normal" | "bold",
    getFontWeights: () => out(read(readFormat("fontWeight", "normal"))) as ("normal" | "bold")[][],
    setFontStyle: (style: "normal" | "italic" | null) => {
      setFormat("fontStyle", style);
      return self;
    },
    setFontColor: (color: string | null) => {
      setFormat("fontColor", color);
      return self;
    },
    setBackground: (color: string | null) => {
      setFormat("background", color);
      return self;
    },
    setBackgrounds: (colors: (string | null)[][]) => {
      setFormats("setBackgrounds", "background", colors);
      return self;
    },
    getBackground: () => first(readFormat("background", "#ffffff")),
    getBackgrounds: () => out(read(readFormat("background", "#ffffff"))),
    setHorizontalAlignment: (alignment: "left" | "center" | "normal" | "right" | null) => {
      setFormat("horizontalAlignment", alignment);
      return self;
    },
    setWrap: (wrap: boolean) => {
      setFormat("wrap", wrap);
      return self;
    },
  } satisfies Partial<Range>;
  self = serviceObject(exec, "Range", impl) as unknown as Range;
  registerRange(self, ref);
  return self;
};

export const makeRangeList = (views: SheetViews, refs: RangeRef[]): RangeList => {
  const ranges = () => refs.map((ref) => views.range(ref));
  let self: RangeList;
  const forEach = (apply: (range: Range) => void) => () => {
    for (const range of ranges()) apply(range);
    return self;
  };
  const impl = {
    getRanges: () => views.exec.realm.array(ranges()),
    clearContent: forEach((range) => range.clearContent()),
    clear: forEach((range) => range.clear()),
    clearFormat: forEach((range) => range.clearFormat()),
    clearDataValidations: forEach((range) => range.clearDataValidations()),
    clearNote: forEach((range) => range.clearNote()),
    setValue: (v: unknown) => forEach((range) => range.setValue(v))(),
    setFormula: (f: string) => forEach((range) => range.setFormula(f))(),
    setNote: (note: string | null) => forEach((range) => range.setNote(note))(),
    setNumberFormat: (format: string) => forEach((range) => range.setNumberFormat(format))(),
    setBackground: (color: string | null) => forEach((range) => range.setBackground(color))(),
    setFontWeight: (weight: "normal" | "bold" | null) => forEach((range) => range.setFontWeight(weight))(),
    setFontColor: (color: string | null) => forEach((range) => range.setFontColor(color))(),
    activate: () => {
      const [firstRef] = refs;
      if (firstRef) views.book.select(firstRef.sheet.name, ...refs.map((ref) => a1Notation(ref.grid)));
      return self;
    },
  } satisfies Partial<RangeList>;
  self = serviceObject(views.exec, "RangeList", impl) as unknown as RangeList;
  return self;
};
