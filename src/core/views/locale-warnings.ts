// Check rows' warnings about metadata cells that hold text looking like a number or a date written another way
// than the spreadsheet's locale reads one ("1.234,56" in an English sheet, "1,234.56" in a German one, "€ 99",
// "12/04/2026"): Sheets kept them as text, so a sync sends the text, not a number or a date. Each warning says
// what will be sent and how to send a number instead. They never block a sync. Numbers and dates Sheets typed
// are sent as such and are not warned about; nor is ISO text ("2026-04-12"), sent exactly as a date would be.

import type { SyncPlan } from "../engine/plan";
import type { CellValue } from "../sheet/cell";
import { columnLetter } from "../sheet/headers";
import type { ListedRow } from "./check-view";

/** The locale's decimal mark: the comma in most of Europe, the point in English-speaking locales. */
export function decimalMarkOf(locale: string): "," | "." {
  const language = locale.toLowerCase().split(/[_-]/)[0] ?? "";
  return ["en", "ja", "ko", "zh", "th", "he", "ms", "hi"].includes(language) ? "." : ",";
}

const CURRENCY = /^(?:[€$£¥]|EUR|USD|GBP|CHF)\s?|\s?(?:[€$£¥]|EUR|USD|GBP|CHF)$/i;
/** 1.234,56 / 1 234,56 / 12,5: a comma for decimals. */
const COMMA_DECIMAL = /^[-+]?(?:\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?$/;
/** 1,234.56 / 12.5: a point for decimals. */
const POINT_DECIMAL = /^[-+]?(?:\d{1,3}(?:[, \u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?$/;
const NUMERIC_DATE = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$/;

/** The number the text means when written with `mark` for decimals, or undefined when it is not one. */
function numberIn(text: string, mark: "," | "."): number | undefined {
  const pattern = mark === "," ? COMMA_DECIMAL : POINT_DECIMAL;
  if (!pattern.test(text)) return undefined;
  const grouping = mark === "," ? /[. \u00a0\u202f]/g : /[, \u00a0\u202f]/g;
  const plain = text.replace(grouping, "").replace(",", ".");
  const value = Number(plain);
  return Number.isFinite(value) ? value : undefined;
}

/** A number as the sheet's locale expects it typed (no grouping). */
function typedIn(value: number, mark: "," | "."): string {
  const text = String(value);
  return mark === "," ? text.replace(".", ",") : text;
}

/** Why a text cell will not be sent as the number or date it looks like, or undefined. */
export function textWarning(text: string, locale: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || !/\d/.test(trimmed)) return undefined;
  const mark = decimalMarkOf(locale);
  const quoted = `sent as the text "${trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed}"`;
  const date = NUMERIC_DATE.exec(trimmed);
  if (date) {
    const [first, second] = [Number(date[1]), Number(date[2])];
    const ambiguous = first <= 12 && second <= 12 && first !== second;
    return `${quoted}, not a date${ambiguous ? ` (day and month could be read either way)` : ""}; to send a date, type it as yyyy-mm-dd (for example 2026-04-12) or format the cell as a date`;
  }
  const bare = trimmed.replace(CURRENCY, "").trim();
  const hadCurrency = bare !== trimmed;
  // Text in the locale's own format is a number Sheets did not type (the cell is formatted as plain text).
  const ownValue = numberIn(bare, mark);
  const otherValue = numberIn(bare, mark === "," ? "." : ",");
  const value = ownValue ?? otherValue;
  if (value === undefined) return undefined;
  // A plain integer ("42") in a cell kept as text is common and harmless (an id, a code): no warning.
  if (!hadCurrency && /^[-+]?\d+$/.test(bare)) return undefined;
  const reason = hadCurrency
    ? "a currency sign makes it text"
    : ownValue === undefined
      ? `this sheet's locale (${locale}) writes numbers with "${mark}" for decimals`
      : "the cell is formatted as text";
  return `${quoted} (${reason}); type ${typedIn(value, mark)} (or format the cell as a number) to send a number`;
}

/** Warnings for the metadata cells of the rows a sync would send, in row order. */
export function localeWarnings(
  values: readonly (readonly CellValue[])[],
  plan: SyncPlan,
  locale: string,
): ListedRow[] {
  const warnings: ListedRow[] = [];
  for (const planned of plan.rows) {
    if (!("send" in planned.action)) continue;
    const cells = values[planned.row - 1] ?? [];
    const found: string[] = [];
    for (const column of plan.columns.metadata) {
      const cell = cells[column.index];
      if (typeof cell !== "string") continue;
      const warning = textWarning(cell, locale);
      if (warning) found.push(`metadata.${column.key} (column ${columnLetter(column.index)}) is ${warning}.`);
    }
    if (found.length > 0) warnings.push({ row: planned.row, runId: planned.runId, text: found.join(" ") });
  }
  return warnings;
}
