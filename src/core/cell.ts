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
  return typeof value === "string" && FORMULA_ERROR_VALUES.has(value.trim().toUpperCase());
}

export function isDate(value: CellValue): value is Date {
  return value instanceof Date || Object.prototype.toString.call(value) === "[object Date]";
}

/** Text of a cell for places that need text (ids, names, tags). */
export function cellText(value: CellValue, dateToIso: (date: Date) => string): string {
  if (isDate(value)) return dateToIso(value);
  return String(value).trim();
}
