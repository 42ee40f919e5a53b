// Writes Sheets refuses: into a range protected against the user, or a value that a "reject input" data
// validation rule does not accept. Google does not say whether the script hears of it at the write or only when
// the queued writes are committed, so the host runs under both (GasHostOptions.refusedWriteTiming): "at-write"
// throws from the write itself; "at-flush" drops the write and throws at the next commit (a read, a metadata
// call, a structural edit, SpreadsheetApp.flush(), or the end of the execution).
import { a1Notation, type GridRange } from "./a1.js";
import type { CellValue } from "./cell-values.js";
import { protectedAgainst } from "./protection.js";
import { isDate } from "./realm.js";
import type { SheetModel, ValidationRecord } from "./sheet-model.js";

// The Sheets API's answer (github.com/theoephraim/node-google-spreadsheet/pull/20), which Apps Script reports
// as an Exception with the same words.
export const PROTECTED_MESSAGE =
  "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.";

/** Apps Script's words for a value a "reject input" rule refuses, as scripts quote them (code search). */
export const validationRefusedMessage = (a1: string): string =>
  `The data you entered in cell ${a1} violates the data validation rules set on this cell.`;

const text = (value: CellValue): string => (isDate(value) ? String(value.getTime()) : String(value));
const num = (value: unknown): number => (isDate(value) ? value.getTime() : Number(value));

const between = (value: CellValue, low: unknown, high: unknown): boolean =>
  num(value) >= Math.min(num(low), num(high)) && num(value) <= Math.max(num(low), num(high));

/**
 * Whether `rule` accepts `value` as Sheets would store it. A blank always passes (clearing a cell is allowed).
 * Criteria the host cannot evaluate (a custom formula, a list taken from a range) refuse every other value:
 * the stricter answer.
 */
export const acceptedBy = (rule: ValidationRecord, value: CellValue): boolean => {
  if (value === "") return true;
  const [a, b] = rule.values;
  const isNumber = typeof value === "number";
  const isDay = isDate(value);
  switch (rule.criteria) {
    case "VALUE_IN_LIST":
      return Array.isArray(a) && a.some((item) => String(item) === text(value));
    case "CHECKBOX":
      return rule.values.length === 0 ? typeof value === "boolean" : rule.values.some((v) => v === value);
    case "TEXT_CONTAINS":
      return typeof value === "string" && value.includes(String(a));
    case "TEXT_DOES_NOT_CONTAIN":
      return !text(value).includes(String(a));
    case "TEXT_EQUAL_TO":
      return text(value) === String(a);
    case "TEXT_IS_VALID_EMAIL":
      return typeof value === "string" && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
    case "TEXT_IS_VALID_URL":
      return typeof value === "string" && /^https?:\/\/\S+$/.test(value);
    case "NUMBER_BETWEEN":
      return isNumber && between(value, a, b);
    case "NUMBER_NOT_BETWEEN":
      return isNumber && !between(value, a, b);
    case "NUMBER_EQUAL_TO":
      return isNumber && value === num(a);
    case "NUMBER_NOT_EQUAL_TO":
      return isNumber && value !== num(a);
    case "NUMBER_GREATER_THAN":
      return isNumber && value > num(a);
    case "NUMBER_GREATER_THAN_OR_EQUAL_TO":
      return isNumber && value >= num(a);
    case "NUMBER_LESS_THAN":
      return isNumber && value < num(a);
    case "NUMBER_LESS_THAN_OR_EQUAL_TO":
      return isNumber && value <= num(a);
    case "DATE_IS_VALID_DATE":
      return isDay;
    case "DATE_AFTER":
      return isDay && num(value) > num(a);
    case "DATE_ON_OR_AFTER":
      return isDay && num(value) >= num(a);
    case "DATE_BEFORE":
      return isDay && num(value) < num(a);
    case "DATE_ON_OR_BEFORE":
      return isDay && num(value) <= num(a);
    case "DATE_EQUAL_TO":
      return isDay && num(value) === num(a);
    case "DATE_BETWEEN":
      return isDay && between(value, a, b);
    case "DATE_NOT_BETWEEN":
      return isDay && !between(value, a, b);
    default:
      return false;
  }
};

/**
 * Why Sheets refuses this write of `grid` on `sheet` by `userEmail`, or undefined: a protected cell, or (for
 * values, given by `valueAt`) a value a "reject input" rule does not accept as Sheets would store it.
 */
export const writeRefusal = (
  sheet: SheetModel,
  grid: GridRange,
  userEmail: string,
  valueAt?: (i: number, j: number) => unknown,
): string | undefined => {
  const checkValues = valueAt !== undefined && sheet.mayRejectInput;
  if (sheet.protections.length === 0 && !checkValues) return undefined;
  for (let i = 0; i < grid.numRows; i += 1) {
    for (let j = 0; j < grid.numColumns; j += 1) {
      const [row, column] = [grid.row + i, grid.column + j];
      if (protectedAgainst(sheet.protections, row, column, userEmail)) return PROTECTED_MESSAGE;
      const rule = checkValues ? sheet.cell(row, column)?.validation : undefined;
      if (rule && !rule.allowInvalid && !acceptedBy(rule, sheet.entry(row, column, valueAt?.(i, j)).value))
        return validationRefusedMessage(a1Notation({ row, column, numRows: 1, numColumns: 1 }));
    }
  }
  return undefined;
};
