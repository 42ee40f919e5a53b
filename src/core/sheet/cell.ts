// What a spreadsheet cell can hold (as Range.getValues returns it) and the reserved words users type in cells.

export type CellValue = string | number | boolean | Date;

/** Typed in a Name, metadata or Tags cell, clears that value instead of leaving it unchanged. */
export const CLEAR_TOKEN = "#CLEAR";
/** Prefix of a metadata cell whose rest is JSON (an object or an array) to send as the value. */
export const JSON_PREFIX = "json:";

const FORMULA_ERROR_VALUES = new Set([
  "#N/A",
  "#REF!",
  "#VALUE!",
  "#DIV/0!",
  "#NAME?",
  "#NUM!",
  "#NULL!",
  "#ERROR!",
  "#SPILL!",
  "#CALC!",
]);

export function isBlank(value: CellValue): boolean {
  return typeof value === "string" && value.trim() === "";
}

export function isClearToken(value: CellValue): boolean {
  return typeof value === "string" && value.trim().toUpperCase() === CLEAR_TOKEN;
}

/** A formula that failed shows one of these; sending it would put "#REF!" into Extend. */
export function isFormulaError(value: CellValue): boolean {
  return (
    typeof value === "string" && value.includes("#") && FORMULA_ERROR_VALUES.has(value.trim().toUpperCase())
  );
}

export function isDate(value: CellValue): value is Date {
  return value instanceof Date || Object.prototype.toString.call(value) === "[object Date]";
}

/** Text of a cell for places that need text (ids, names, tags). */
export function cellText(value: CellValue, dateToIso: (date: Date) => string): string {
  if (isDate(value)) return dateToIso(value);
  return String(value).trim();
}

/** Google Sheets holds at most this many characters in a cell; setValues throws on a longer string. */
export const MAX_CELL_CHARACTERS = 50_000;
const CUT_MARK = "… [cut to fit a cell]";

/**
 * TRUE and FALSE in the languages of Sheets' locales, as far as they are spelled with an ASCII letter first (text
 * starting with any other character is escaped anyway): Sheets reads the spreadsheet's own language, and
 * English in every locale.
 */
const BOOLEAN_WORD =
  /^(true|false|wahr|falsch|vrai|faux|verdadero|verdadeiro|falso|vero|waar|onwaar|prawda|fałsz|pravda|nepravda|sant|falskt|sand|falsk|sann|usann|tosi|epätosi|igaz|hamis|doğru|yanlış|adevărat|fals|cert|benar|salah|sai)\s*$/iu;

/**
 * A word and then a number, as month and day names start dates in any language ("Mai 2026", "avril 12",
 * "Mo., 12.04."): such text may be a date in the spreadsheet's locale, whichever it is.
 */
const WORD_THEN_NUMBER = /^\p{L}+\.?[\s,./-]*\d/u;

/**
 * Whether Sheets, in any locale, could store this text as something else when setValues writes it (it parses
 * like typing): a formula, a number, a date, a boolean, or text without its own leading apostrophe. Text that
 * starts with anything but an ASCII letter is always escaped; otherwise a boolean word, or a word followed by a
 * number. The spreadsheet's locale is not asked: the answer must hold in all of them.
 */
function wouldBeParsed(text: string): boolean {
  const first = text.charCodeAt(0) | 0x20;
  if (!(first >= 0x61 && first <= 0x7a)) return text !== "";
  return BOOLEAN_WORD.test(text) || WORD_THEN_NUMBER.test(text);
}

/**
 * A text as it must be written so that the cell holds exactly it (cut to the cell limit): a leading apostrophe
 * only where Sheets would otherwise parse it, so ordinary words are written bare and a cell formatted as plain
 * text never shows an apostrophe the add-on did not need.
 */
export function textCell(text: string): string {
  const fitted =
    text.length > MAX_CELL_CHARACTERS - 1
      ? text.slice(0, MAX_CELL_CHARACTERS - 1 - CUT_MARK.length) + CUT_MARK
      : text;
  return wouldBeParsed(fitted) ? `'${fitted}` : fitted;
}

/** "Loading..." is what a formula shows while it is still calculating; it must never be sent as a value. */
export function isStillCalculating(value: CellValue): boolean {
  return typeof value === "string" && value.length < 20 && /^\s*loading(\.\.\.|…)\s*$/i.test(value);
}
