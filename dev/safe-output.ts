// What `npm start` writes and prints, made safe to open and to read. Its CSV files carry text from Extend and
// from cells, which Excel and LibreOffice would run as a formula when it starts with =, +, -, @, a tab or a
// carriage return (OWASP, CSV Injection: https://owasp.org/www-community/attacks/CSV_Injection; CWE-1236):
// such a cell gets a leading apostrophe, which spreadsheets read as "this is text". Real numbers such as -12.5
// are left alone. And a terminal runs escape sequences (ESC, BEL, C1 controls) found in what it is given to
// print, so those are removed from everything printed.
import { stringifyCsv } from "./gas-host/csv.js";

/** A number as a CSV of ours writes one (String(n)), or as a person types one: not a formula. */
const NUMBER = /^-(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as a spreadsheet opening the CSV will show it, never as a formula. */
export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

export const BOM = "\uFEFF";

/**
 * CSV text with every formula-like cell neutralised; with a byte order mark when the input had one, and its
 * separator (default a comma).
 */
export function safeCsv(
  rows: readonly (readonly string[])[],
  options: { bom: boolean; delimiter?: string },
): string {
  const text = stringifyCsv(
    rows.map((row) => row.map(neutraliseFormula)),
    options.delimiter,
  );
  return options.bom ? `${BOM}${text}` : text;
}

/** C0 and C1 control characters, and DEL, except the newline and tab that printing needs. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to remove.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The text without anything a terminal would take as a command. */
export function printable(text: string): string {
  return text.replace(CONTROL, "");
}

/** console.log for text that came from a server or a cell. */
export function say(text = ""): void {
  console.log(printable(text));
}
