// The persistent spreadsheet behind the SpreadsheetApp fake, and the handle tests use to seed and inspect it.
// It outlives executions, like the document does; the service objects the script gets are thin per-execution
// views onto it.
import { a1Notation, type GridRange, parseA1 } from "./a1.js";
import {
  type CellValue,
  displayText,
  type Entered,
  enterValue,
  evaluateSimpleFormula,
  type PlainTextApostrophe,
} from "./cell-values.js";
import { GasException } from "./execution.js";
import type { FormulaSyntax } from "./locale.js";
import { type Protection, unboundedGrid } from "./protection.js";

/** Google does not say when a refused write is reported, so the host runs under each answer (refusals.ts). */
export type RefusedWriteTiming = "at-write" | "at-flush";

export interface ValidationRecord {
  criteria: string;
  values: unknown[];
  allowInvalid: boolean;
  helpText: string | null;
}

export interface Cell {
  value: CellValue;
  formula?: string;
  note?: string;
  numberFormat?: string;
  validation?: ValidationRecord;
  /** Recorded text formats (fontWeight, background, fontColor, ...) by Range setter name minus "set". */
  format?: Record<string, string | number | boolean | null>;
  /** Reads of this formula cell that still see "Loading..." (a test makes Sheets be calculating it). */
  loadingReads?: number;
}

const isEmptyCell = (cell: Cell): boolean =>
  cell.value === "" &&
  cell.formula === undefined &&
  !cell.note &&
  cell.numberFormat === undefined &&
  cell.validation === undefined &&
  (cell.format === undefined || Object.keys(cell.format).length === 0);

const hasContent = (cell: Cell | undefined): boolean =>
  cell !== undefined && (cell.value !== "" || cell.formula !== undefined);

const copyCell = (cell: Cell): Cell => ({
  ...cell,
  value: cell.value instanceof Date ? new Date(cell.value.getTime()) : cell.value,
  ...(cell.format ? { format: { ...cell.format } } : {}),
});

// Sheets sorts numbers and dates first, then text (case-insensitively), then booleans; blanks always last.
const sortRank = (value: CellValue): number => {
  if (typeof value === "number" || value instanceof Date) return 0;
  if (typeof value === "string") return value === "" ? 3 : 1;
  return 2;
};

const compareCells = (a: CellValue, b: CellValue): number => {
  const rank = sortRank(a) - sortRank(b);
  if (rank !== 0) return rank;
  if (typeof a === "string" && typeof b === "string")
    return a.localeCompare(b, "en", { sensitivity: "base" });
  return Number(a) - Number(b);
};

/** A new sheet's grid, as Sheets creates one. */
export const NEW_SHEET_ROWS = 1000;
export const NEW_SHEET_COLUMNS = 26;

export class SheetModel {
  maxRows: number;
  maxColumns: number;
  frozenRows = 0;
  frozenColumns = 0;
  readonly hiddenColumns = new Set<number>();
  /** A basic filter on the sheet, as a test sets it: the rows its criteria hide (1-based). */
  filter: { hiddenRows: Set<number> } | undefined;
  readonly columnWidths = new Map<number, number>();
  conditionalFormatRules: unknown[] = [];
  /** Protected ranges (a test sets them with protect()). */
  readonly protections: Protection[] = [];
  /** A "reject input" validation rule was ever set here: only then are written values checked. */
  mayRejectInput = false;
  private rows: (Cell | undefined)[][] = [];

  constructor(
    public name: string,
    readonly sheetId: number,
    private readonly book: SpreadsheetModel,
    maxRows = NEW_SHEET_ROWS,
    maxColumns = NEW_SHEET_COLUMNS,
  ) {
    this.maxRows = maxRows;
    this.maxColumns = maxColumns;
  }

  get timeZone(): string {
    return this.book.timeZone;
  }

  cell(row: number, column: number): Cell | undefined {
    return this.rows[row - 1]?.[column - 1];
  }

  /** Replaces a cell; an empty cell is dropped so getLastRow and friends see only content. */
  putCell(row: number, column: number, cell: Cell | undefined): void {
    let line = this.rows[row - 1];
    if (!line) {
      if (!cell || isEmptyCell(cell)) return;
      line = [];
      this.rows[row - 1] = line;
    }
    line[column - 1] = cell && !isEmptyCell(cell) ? cell : undefined;
  }

  updateCell(row: number, column: number, change: (cell: Cell) => void): void {
    const cell: Cell = { ...(this.cell(row, column) ?? { value: "" }) };
    change(cell);
    this.putCell(row, column, cell);
  }

  /** What Sheets would store for `raw` written into this cell, without storing it. */
  entry(row: number, column: number, raw: unknown): Entered {
    return enterValue(raw, {
      timeZone: this.timeZone,
      locale: this.book.locale,
      formulaSyntax: this.book.formulaSyntax,
      plainText: this.cell(row, column)?.numberFormat === "@",
      plainTextApostrophe: this.book.plainTextApostrophe,
      evaluate: (formula) => this.book.formulaEvaluator(formula, { sheet: this, row, column }),
    });
  }

  /** Writes a value the way setValue does (formulas, numbers, dates and booleans parsed from strings). */
  enter(row: number, column: number, raw: unknown): void {
    const entered = this.entry(row, column, raw);
    this.updateCell(row, column, (cell) => {
      cell.value = entered.value;
      delete cell.loadingReads;
      if (entered.formula === undefined) delete cell.formula;
      else cell.formula = entered.formula;
      if (entered.numberFormat && cell.numberFormat === undefined) cell.numberFormat = entered.numberFormat;
    });
  }

  /** Seeds a formula cell with the value Sheets would have computed for it. */
  setFormula(a1: string, formula: string, value: CellValue = ""): void {
    const { row, column } = this.range(a1);
    this.updateCell(row, column, (cell) => {
      cell.formula = formula.startsWith("=") ? formula : `=${formula}`;
      cell.value = value;
    });
  }

  /**
   * Makes formula cells read as "Loading..." (getValue(s), getDisplayValue(s)) for their next `reads` reads, as
   * a formula Sheets is still calculating does; each read call that covers a cell uses up one of its reads.
   */
  setLoading(a1: string, reads = Number.POSITIVE_INFINITY): void {
    const { row, column, numRows, numColumns } = this.range(a1);
    for (let r = row; r < row + numRows; r += 1) {
      for (let c = column; c < column + numColumns; c += 1) {
        const cell = this.cell(r, c);
        if (cell?.formula === undefined) throw new Error(`setLoading: ${a1} has a cell without a formula`);
        cell.loadingReads = reads;
      }
    }
  }

  /** Protects `a1` ("F:F", "A1:C9"; the whole sheet when omitted) against every user but `editors`. */
  protect(a1?: string, options: { editors?: string[]; warningOnly?: boolean } = {}): void {
    this.protections.push({
      grid: a1 === undefined ? unboundedGrid("A:ZZZ") : unboundedGrid(a1),
      editors: [...(options.editors ?? [])],
      warningOnly: options.warningOnly ?? false,
    });
  }

  /** Puts a data validation rule on every cell of `a1`, as the Data validation menu does. */
  validate(a1: string, rule: ValidationRecord): void {
    const { row, column, numRows, numColumns } = this.range(a1);
    for (let r = row; r < row + numRows; r += 1) {
      for (let c = column; c < column + numColumns; c += 1)
        this.updateCell(r, c, (cell) => {
          cell.validation = { ...rule, values: [...rule.values] };
        });
    }
    this.noteValidation(rule);
  }

  /** Remembers that a rule may now refuse input here. */
  noteValidation(rule: ValidationRecord): void {
    if (!rule.allowInvalid) this.mayRejectInput = true;
  }

  /** Seeds values from A1 on, parsed as typed (pass raw: true to store them untouched). */
  setValues(a1: string, values: unknown[][], options: { raw?: boolean } = {}): void {
    const { row, column } = this.range(a1);
    values.forEach((line, i) => {
      line.forEach((raw, j) => {
        this.ensureSize(row + i, column + j);
        if (options.raw) {
          this.updateCell(row + i, column + j, (cell) => {
            cell.value = raw as CellValue;
            delete cell.formula;
          });
        } else this.enter(row + i, column + j, raw);
      });
    });
  }

  range(a1: string): GridRange {
    const range = parseA1(a1, this.maxRows, this.maxColumns);
    if (!range) throw new Error(`not A1 notation: ${a1}`);
    return range;
  }

  ensureSize(rows: number, columns: number): void {
    this.maxRows = Math.max(this.maxRows, rows);
    this.maxColumns = Math.max(this.maxColumns, columns);
  }

  lastRow(): number {
    for (let r = this.rows.length; r >= 1; r -= 1) {
      if (this.rows[r - 1]?.some(hasContent)) return r;
    }
    return 0;
  }

  lastColumn(): number {
    let last = 0;
    for (const line of this.rows) {
      if (!line) continue;
      for (let c = line.length; c > last; c -= 1) {
        if (hasContent(line[c - 1])) {
          last = c;
          break;
        }
      }
    }
    return last;
  }

  /** Values of the data range (A1 to last row/column), as getDataRange().getValues() would give. */
  values(): CellValue[][] {
    return this.grid((cell) => cell?.value ?? "");
  }

  formulas(): string[][] {
    return this.grid((cell) => cell?.formula ?? "");
  }

  displayValues(): string[][] {
    return this.grid((cell) => (cell ? displayText(cell.value, cell.numberFormat, this.timeZone) : ""));
  }

  notes(): string[][] {
    return this.grid((cell) => cell?.note ?? "");
  }

  private grid<T>(pick: (cell: Cell | undefined) => T): T[][] {
    const rows = this.lastRow();
    const columns = this.lastColumn();
    return Array.from({ length: rows }, (_, r) =>
      Array.from({ length: columns }, (_, c) => {
        const cell = this.cell(r + 1, c + 1);
        return pick(cell ? copyCell(cell) : undefined);
      }),
    );
  }

  insertRows(after: number, count: number): void {
    this.rows.splice(after, 0, ...Array.from({ length: count }, () => undefined as unknown as Cell[]));
    this.maxRows += count;
  }

  deleteRows(start: number, count: number): void {
    this.rows.splice(start - 1, count);
    this.maxRows -= count;
  }

  insertColumns(after: number, count: number): void {
    for (const line of this.rows) {
      if (line && line.length > after) line.splice(after, 0, ...new Array<Cell | undefined>(count));
    }
    this.shiftColumnSets(after + 1, count);
    this.maxColumns += count;
  }

  deleteColumns(start: number, count: number): void {
    for (const line of this.rows) if (line) line.splice(start - 1, count);
    for (let c = start; c < start + count; c += 1) {
      this.hiddenColumns.delete(c);
      this.columnWidths.delete(c);
    }
    this.shiftColumnSets(start + count, -count);
    this.maxColumns -= count;
  }

  private shiftColumnSets(from: number, delta: number): void {
    const hidden = [...this.hiddenColumns].map((c) => (c >= from ? c + delta : c));
    this.hiddenColumns.clear();
    for (const c of hidden) this.hiddenColumns.add(c);
    const widths = [...this.columnWidths].map(([c, w]) => [c >= from ? c + delta : c, w] as const);
    this.columnWidths.clear();
    for (const [c, w] of widths) this.columnWidths.set(c, w);
  }

  /** Sorts whole rows from `firstRow` to the last row by one column, as a user's sort would. */
  sortRows(column: number, ascending = true, firstRow = this.frozenRows + 1): void {
    const last = this.lastRow();
    if (last < firstRow) return;
    const block = Array.from({ length: last - firstRow + 1 }, (_, i) => this.rows[firstRow - 1 + i]);
    const keyed = block.map((line, index) => ({ line, index, key: line?.[column - 1]?.value ?? "" }));
    keyed.sort((a, b) => {
      const blank = Number(a.key === "") - Number(b.key === "");
      if (blank !== 0) return blank;
      const order = compareCells(a.key, b.key) * (ascending ? 1 : -1);
      return order !== 0 ? order : a.index - b.index;
    });
    keyed.forEach((entry, i) => {
      this.rows[firstRow - 1 + i] = entry.line as Cell[];
    });
  }

  /** A1 notation of the data range, for messages. */
  dataRangeA1(): string {
    return a1Notation({
      row: 1,
      column: 1,
      numRows: Math.max(1, this.lastRow()),
      numColumns: Math.max(1, this.lastColumn()),
    });
  }
}

export interface FormulaContext {
  sheet: SheetModel;
  row: number;
  column: number;
}

/** How getSheetByName matches a name; Google does not say whether case matters (see the README). */
export type SheetNameLookup = "exact" | "any-case";

/** Sheets keeps sheet names unique regardless of case: "Runs" and "runs" cannot both exist. */
export const sameSheetName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

// Sheets' words (through the Sheets API's addSheet, quoted in public code), for insertSheet and setName alike.
export const sheetNameTakenMessage = (name: string): string =>
  `A sheet with the name "${name}" already exists. Please enter another name.`;

export interface Selection {
  sheetName: string;
  ranges: GridRange[];
}

export class SpreadsheetModel {
  readonly sheets: SheetModel[] = [];
  activeSheetName: string;
  selection: Selection | undefined;
  /** How a formula's argument separators are read in a locale that uses ";" (locale.ts). */
  formulaSyntax: FormulaSyntax = "english";
  /** When a refused write throws: at the write, or at the next commit of the queued writes. */
  refusedWriteTiming: RefusedWriteTiming = "at-write";
  /** Whether getSheetByName also finds "runs" when asked for "Runs". */
  sheetNameLookup: SheetNameLookup = "exact";
  /** What a leading apostrophe does when the script writes it into a plain-text ("@") cell. */
  plainTextApostrophe: PlainTextApostrophe = "strip";
  /** Value a formula written by the script gets; replace it to emulate real Sheets functions. */
  formulaEvaluator: (formula: string, where: FormulaContext) => CellValue = (formula) =>
    evaluateSimpleFormula(formula);
  private nextSheetId = 0;

  constructor(
    public timeZone: string,
    readonly id = "1FakeSpreadsheetIdForTheLocalHost000000000000",
    public name = "Untitled spreadsheet",
    public locale = "en_US",
  ) {
    this.activeSheetName = this.addSheet("Sheet1").name;
  }

  get url(): string {
    return `https://docs.google.com/spreadsheets/d/${this.id}/edit`;
  }

  sheet(name: string): SheetModel {
    const sheet = this.findSheet(name);
    if (!sheet) throw new Error(`no sheet named ${name}`);
    return sheet;
  }

  findSheet(name: string): SheetModel | undefined {
    return this.sheets.find((sheet) => sheet.name === name);
  }

  /** The sheet getSheetByName answers with, under the lookup rule in force. */
  lookUpSheet(name: string): SheetModel | undefined {
    return this.sheetNameLookup === "exact" ? this.findSheet(name) : this.sheetNamedAnyCase(name);
  }

  /** The sheet whose name equals `name` ignoring case, if any (exact first). */
  sheetNamedAnyCase(name: string): SheetModel | undefined {
    return this.findSheet(name) ?? this.sheets.find((sheet) => sameSheetName(sheet.name, name));
  }

  addSheet(name: string, index = this.sheets.length): SheetModel {
    if (this.sheetNamedAnyCase(name)) throw new GasException(sheetNameTakenMessage(name));
    const sheet = new SheetModel(name, this.nextSheetId === 0 ? 0 : 100_000 + this.nextSheetId * 7919, this);
    this.nextSheetId += 1;
    this.sheets.splice(index, 0, sheet);
    return sheet;
  }

  removeSheet(name: string): void {
    const index = this.sheets.findIndex((sheet) => sheet.name === name);
    if (index >= 0) this.sheets.splice(index, 1);
    if (this.activeSheetName === name) this.activeSheetName = this.sheets[0]?.name ?? "";
  }

  get activeSheet(): SheetModel {
    return this.findSheet(this.activeSheetName) ?? (this.sheets[0] as SheetModel);
  }

  /** Makes `a1` (one or more ranges) the user's selection on `sheetName`, and that sheet active. */
  select(sheetName: string, ...a1: string[]): void {
    const sheet = this.sheet(sheetName);
    this.activeSheetName = sheetName;
    this.selection = { sheetName, ranges: a1.map((ref) => sheet.range(ref)) };
  }
}
