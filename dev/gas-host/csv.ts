// CSV in and out of the sheet model, the way File > Import and File > Download > CSV treat it: on import,
// numbers, booleans, dates and "=..." formulas are recognised (even inside quotes); on export, cells are
// written as displayed, dates as yyyy-MM-dd[ HH:mm:ss] in the spreadsheet's zone and formulas as their text.
import { type CellValue, defaultDateText } from "./cell-values.js";
import type { SheetModel, SpreadsheetModel } from "./sheet-model.js";

/** RFC 4180 fields: quoted fields may hold delimiters, doubled quotes and line breaks. */
export const parseCsvText = (text: string, delimiter = ","): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === delimiter) endField();
    else if (ch === "\r" && text.charAt(i + 1) === "\n") {
      endRow();
      i += 1;
    } else if (ch === "\n" || ch === "\r") endRow();
    else field += ch;
    i += 1;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
};

/** Replaces (or creates) `sheetName` with the CSV's cells, typed as Sheets types an import. */
export const importCsv = (book: SpreadsheetModel, sheetName: string, text: string): SheetModel => {
  const rows = parseCsvText(text.replace(/^\uFEFF/, ""));
  const existing = book.findSheet(sheetName);
  const index = existing ? book.sheets.indexOf(existing) : book.sheets.length;
  if (existing) book.removeSheet(sheetName);
  const sheet = book.addSheet(sheetName, index);
  const width = Math.max(0, ...rows.map((row) => row.length));
  sheet.ensureSize(rows.length, width);
  rows.forEach((row, i) => {
    row.forEach((field, j) => {
      if (field !== "") sheet.enter(i + 1, j + 1, field);
    });
  });
  if (book.sheets.length === 1 || !book.findSheet(book.activeSheetName)) book.activeSheetName = sheet.name;
  return sheet;
};

const quote = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

const cellText = (value: CellValue, formula: string | undefined, timeZone: string): string => {
  if (formula !== undefined) return formula;
  if (value instanceof Date) return defaultDateText(value, timeZone);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  return String(value);
};

/** The sheet's data range as CSV text, rows separated by "\n". */
export const exportCsv = (sheet: SheetModel): string => {
  const rows = sheet.lastRow();
  const columns = sheet.lastColumn();
  const lines: string[] = [];
  for (let r = 1; r <= rows; r += 1) {
    const fields: string[] = [];
    for (let c = 1; c <= columns; c += 1) {
      const cell = sheet.cell(r, c);
      fields.push(cell ? quote(cellText(cell.value, cell.formula, sheet.timeZone)) : "");
    }
    lines.push(fields.join(","));
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
};
