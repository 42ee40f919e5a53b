// What a person does to the playground's sheet, as a person does it in Sheets: typing, pasting a block, adding
// and deleting rows, loading a CSV file. These are the user's changes, not the add-on's: they go straight to the
// host's spreadsheet model (typed text read as Sheets reads typed input, as the host already reads a CSV), never
// through an execution, so they cost the add-on no service call, no time and no quota. The body of an edit
// comes from the page over HTTP, so parseEdit checks every field before anything reaches the model, and an
// edit Sheets would refuse (a cell over 50,000 characters, a workbook over 10 million cells) changes nothing.
import { detectSeparator, SEPARATOR_NAMES } from "../csv-separator.js";
import { importCsv } from "../gas-host/csv.js";
import {
  CELL_TOO_LONG_MESSAGE,
  MAX_CELL_CHARACTERS,
  MAX_WORKBOOK_CELLS,
  parseCsvText,
  type SheetModel,
  type SpreadsheetModel,
  WORKBOOK_FULL_MESSAGE,
} from "../gas-host/index.js";
import { printable } from "../safe-output.js";
import type { EditOutcome, SheetEdit } from "./protocol.js";

/** Largest CSV file or paste the page may send (the server refuses a larger body before reading it). */
export const MAX_EDIT_BYTES = 10 * 1024 * 1024;
/** Sheets' own bounds: 10 million cells, and columns up to ZZZ. */
const MAX_ROW = MAX_WORKBOOK_CELLS;
const MAX_COLUMN = 18_278;
/** Rows one click may add. */
const MAX_INSERTED_ROWS = 1000;
/** Sheets limits a sheet's name to 100 characters. */
const MAX_SHEET_NAME = 100;

/** An edit that cannot be made; its message is for the person who tried. */
export class EditRefused extends Error {}

const isWhole = (value: unknown, min: number, max: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;

/** The edit in a request body, or why it is refused (nothing is applied then). */
export function parseEdit(body: unknown): { sheetName: string; edit: SheetEdit } | { error: string } {
  const refused = (what: string) => ({ error: `The playground refused this edit: ${what}.` });
  if (typeof body !== "object" || body === null) return refused("the body is not an object");
  const { sheetName, edit } = body as { sheetName?: unknown; edit?: unknown };
  if (typeof sheetName !== "string" || sheetName === "") return refused("sheetName is missing");
  if (typeof edit !== "object" || edit === null) return refused("edit is missing");
  const e = edit as Record<string, unknown>;
  switch (e.kind) {
    case "set": {
      const values = e.values;
      const rows = Array.isArray(values) ? values : [];
      const valid =
        isWhole(e.row, 1, MAX_ROW) &&
        isWhole(e.column, 1, MAX_COLUMN) &&
        rows.length > 0 &&
        rows.every((row) => Array.isArray(row) && row.every((cell) => typeof cell === "string"));
      if (!valid) return refused("a set needs a row, a column and rows of text");
      return {
        sheetName,
        edit: { kind: "set", row: e.row as number, column: e.column as number, values: rows as string[][] },
      };
    }
    case "paste":
      if (!isWhole(e.row, 1, MAX_ROW) || !isWhole(e.column, 1, MAX_COLUMN) || typeof e.text !== "string")
        return refused("a paste needs a row, a column and text");
      return { sheetName, edit: { kind: "paste", row: e.row, column: e.column, text: e.text } };
    case "insertRows":
      if (!isWhole(e.after, 0, MAX_ROW) || !isWhole(e.count, 1, MAX_INSERTED_ROWS))
        return refused(`rows are inserted after a row, 1 to ${MAX_INSERTED_ROWS} at a time`);
      return { sheetName, edit: { kind: "insertRows", after: e.after, count: e.count } };
    case "deleteRows":
      if (!isWhole(e.first, 1, MAX_ROW) || !isWhole(e.count, 1, MAX_ROW))
        return refused("a deletion needs a first row and a count");
      return { sheetName, edit: { kind: "deleteRows", first: e.first, count: e.count } };
    case "loadCsv":
      if (typeof e.fileName !== "string" || typeof e.text !== "string")
        return refused("a CSV file needs a name and its text");
      return { sheetName, edit: { kind: "loadCsv", fileName: e.fileName, text: e.text } };
    default:
      return refused("unknown kind of edit");
  }
}

/** The longest row's length; a loop, since spreading a pasted sheet's rows would overflow the stack. */
const widest = (rows: readonly (readonly string[])[]): number =>
  rows.reduce((most, row) => Math.max(most, row.length), 0);

const workbookCells = (book: SpreadsheetModel): number =>
  book.sheets.reduce((sum, sheet) => sum + sheet.maxRows * sheet.maxColumns, 0);

/** Refuses, before any change, a block that would make a cell too long or the workbook too large. */
function checkBlock(
  book: SpreadsheetModel,
  sheet: SheetModel,
  row: number,
  column: number,
  values: string[][],
) {
  if (values.some((line) => line.some((cell) => cell.length > MAX_CELL_CHARACTERS)))
    throw new EditRefused(CELL_TOO_LONG_MESSAGE);
  const rows = Math.max(sheet.maxRows, row + values.length - 1);
  const columns = Math.max(sheet.maxColumns, column + widest(values) - 1);
  if (workbookCells(book) - sheet.maxRows * sheet.maxColumns + rows * columns > MAX_WORKBOOK_CELLS)
    throw new EditRefused(WORKBOOK_FULL_MESSAGE);
}

/** Writes a block of typed text from (row, column) on, each cell read as Sheets reads what is typed. */
function enterBlock(
  book: SpreadsheetModel,
  sheet: SheetModel,
  row: number,
  column: number,
  values: string[][],
) {
  checkBlock(book, sheet, row, column, values);
  values.forEach((line, i) => {
    sheet.ensureSize(row + i, column + line.length - 1);
    line.forEach((text, j) => {
      sheet.enter(row + i, column + j, text);
    });
  });
}

const cellsWord = (count: number) => (count === 1 ? "1 cell" : `${count} cells`);

/** A file's name without any folder before it (a browser sends the name alone, but the body says anything). */
const fileNameOnly = (fileName: string): string => printable(fileName.split(/[\\/]/).pop() ?? "");

/** The sheet a CSV file becomes: the file's name without its extension, as File > Import names a new sheet. */
export function sheetNameFor(fileName: string): string {
  const name = fileNameOnly(fileName)
    .replace(/\.(csv|tsv|txt)$/i, "")
    .trim()
    .slice(0, MAX_SHEET_NAME);
  return name === "" ? "Imported" : name;
}

function loadCsv(book: SpreadsheetModel, fileName: string, text: string): EditOutcome {
  const separator = detectSeparator(text);
  const rows = parseCsvText(text.replace(/^\uFEFF/, ""), separator);
  if (rows.some((line) => line.some((cell) => cell.length > MAX_CELL_CHARACTERS)))
    throw new EditRefused(CELL_TOO_LONG_MESSAGE);
  const name = sheetNameFor(fileName);
  const width = Math.max(1, widest(rows));
  const replaced = book.findSheet(name);
  const others = workbookCells(book) - (replaced ? replaced.maxRows * replaced.maxColumns : 0);
  if (others + Math.max(rows.length, 1000) * Math.max(width, 26) > MAX_WORKBOOK_CELLS)
    throw new EditRefused(WORKBOOK_FULL_MESSAGE);
  importCsv(book, name, text, separator);
  book.select(name, "A1");
  const file = fileNameOnly(fileName);
  const separated = separator === "," ? "" : ` (columns separated by ${SEPARATOR_NAMES[separator]})`;
  const count = Math.max(0, rows.length - 1);
  const where = replaced ? `the sheet "${name}", in place of what it held` : `a new sheet, "${name}"`;
  return {
    message: `Loaded ${file} into ${where}${separated}: ${count === 1 ? "1 row" : `${count} rows`} below the header.`,
    sheetName: name,
  };
}

/** Applies a person's edit to the spreadsheet model; throws EditRefused (nothing changed) when it cannot. */
export function applyEdit(book: SpreadsheetModel, sheetName: string, edit: SheetEdit): EditOutcome {
  if (edit.kind === "loadCsv") return loadCsv(book, edit.fileName, edit.text);
  const sheet = book.findSheet(sheetName);
  if (!sheet) throw new EditRefused(`There is no sheet named "${sheetName}" any more.`);
  switch (edit.kind) {
    case "set": {
      enterBlock(book, sheet, edit.row, edit.column, edit.values);
      return { message: `Changed ${cellsWord(edit.values.flat().length)}.` };
    }
    case "paste": {
      const values = parseCsvText(edit.text, "\t");
      if (values.length === 0) return { message: "There was nothing to paste." };
      enterBlock(book, sheet, edit.row, edit.column, values);
      return { message: `Pasted ${cellsWord(values.flat().length)}.` };
    }
    case "insertRows": {
      if (edit.after > sheet.maxRows) throw new EditRefused("That row is below the end of the sheet.");
      if (workbookCells(book) + edit.count * sheet.maxColumns > MAX_WORKBOOK_CELLS)
        throw new EditRefused(WORKBOOK_FULL_MESSAGE);
      sheet.insertRows(edit.after, edit.count);
      return {
        message: `Inserted ${edit.count === 1 ? "1 row" : `${edit.count} rows`} below row ${edit.after}.`,
      };
    }
    case "deleteRows": {
      const last = edit.first + edit.count - 1;
      if (last > sheet.maxRows) throw new EditRefused("Those rows are below the end of the sheet.");
      // Sheets' own refusal: a sheet keeps at least one row.
      if (edit.count >= sheet.maxRows) throw new EditRefused("You can't delete all the rows on the sheet.");
      sheet.deleteRows(edit.first, edit.count);
      return {
        message: edit.count === 1 ? `Deleted row ${edit.first}.` : `Deleted rows ${edit.first} to ${last}.`,
      };
    }
  }
}
