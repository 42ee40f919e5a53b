// CSV in and out of the sheet model, the way File > Import and File > Download > CSV treat it: on import,
// numbers, booleans, dates and "=..." formulas are recognised (even inside quotes); on export, cells are
// written as displayed, dates as yyyy-MM-dd[ HH:mm:ss] in the spreadsheet's zone and formulas as their text.
// Reading and writing the CSV format itself is csv-parse's and csv-stringify's.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { type CellValue, defaultDateText } from "./cell-values.js";
import type { SheetModel, SpreadsheetModel } from "./sheet-model.js";

/**
 * RFC 4180 fields (quoted fields may hold delimiters, doubled quotes and line breaks), lines ending in CRLF, LF
 * or CR, rows of any length. A stray quote inside an unquoted field is kept as a character.
 */
export const parseCsvText = (text: string, delimiter = ","): string[][] =>
  parse(text, {
    delimiter,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];

/**
 * Replaces (or creates) `sheetName` with the CSV's cells, typed as Sheets types an import; `delimiter` is the
 * separator File > Import would have detected (default a comma).
 */
export const importCsv = (
  book: SpreadsheetModel,
  sheetName: string,
  text: string,
  delimiter = ",",
): SheetModel => {
  const rows = parseCsvText(text.replace(/^\uFEFF/, ""), delimiter);
  const existing = book.findSheet(sheetName);
  const index = existing ? book.sheets.indexOf(existing) : book.sheets.length;
  if (existing) book.removeSheet(sheetName);
  const sheet = book.addSheet(sheetName, index);
  // A loop: spreading 130,000 rows or more into Math.max overflows V8's stack.
  const width = rows.reduce((most, row) => Math.max(most, row.length), 0);
  sheet.ensureSize(rows.length, width);
  rows.forEach((row, i) => {
    row.forEach((field, j) => {
      if (field !== "") sheet.enter(i + 1, j + 1, field);
    });
  });
  if (book.sheets.length === 1 || !book.findSheet(book.activeSheetName)) book.activeSheetName = sheet.name;
  return sheet;
};

const cellText = (value: CellValue, formula: string | undefined, timeZone: string): string => {
  if (formula !== undefined) return formula;
  if (value instanceof Date) return defaultDateText(value, timeZone);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
};

/** The sheet's data range as the texts a CSV download holds, row by row. */
export const csvCells = (sheet: SheetModel): string[][] => {
  const rows = sheet.lastRow();
  const columns = sheet.lastColumn();
  const lines: string[][] = [];
  for (let r = 1; r <= rows; r += 1) {
    const fields: string[] = [];
    for (let c = 1; c <= columns; c += 1) {
      const cell = sheet.cell(r, c);
      fields.push(cell ? cellText(cell.value, cell.formula, sheet.timeZone) : "");
    }
    lines.push(fields);
  }
  return lines;
};

/**
 * Rows as CSV text, each ending in "\n", fields separated by `delimiter` (default a comma). A field holding a
 * carriage return is quoted too (csv-stringify quotes only the record delimiter by default), so no reader can
 * take it for a line break.
 */
export const stringifyCsv = (rows: readonly (readonly string[])[], delimiter = ","): string =>
  stringify(rows as string[][], { delimiter, record_delimiter: "\n", quoted_match: /\r/ });

/** The sheet's data range as CSV text, rows separated by "\n". */
export const exportCsv = (sheet: SheetModel): string => stringifyCsv(csvCells(sheet));
