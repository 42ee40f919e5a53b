// How Sheets turns what a user (or setValues) enters into a cell, and how it shows a cell as text. setValues
// parses strings as if typed ("USER_ENTERED"): "=..." becomes a formula, numeric text a number, TRUE/FALSE a
// boolean, ISO-like dates a Date; a leading apostrophe keeps the rest as text. The add-on's formula-injection
// guard and its date handling are tested against exactly these rules.
import { formatDate } from "./date-format.js";
import { GasException } from "./execution.js";
import {
  type FormulaSyntax,
  formulaParses,
  parseBooleanText,
  parseCommaNumber,
  parseLocaleDate,
  rulesOf,
} from "./locale.js";
import { isDate } from "./realm.js";
import { zonedParts, zonedTimeToUtc } from "./time-zone.js";

export type CellValue = string | number | boolean | Date;

export interface Entered {
  value: CellValue;
  formula?: string;
  /** Format Sheets picks for a parsed entry (dates, percents); undefined leaves the cell's format alone. */
  numberFormat?: string;
}

const plainNumber = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const groupedNumber = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const percentNumber = /^([+-]?(\d+\.?\d*|\.\d+))%$/;
const currencyNumber = /^(-?)\$(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

/** Numeric text as Sheets (en_US locale) reads it, or null. */
export const parseNumberText = (text: string): { value: number; numberFormat?: string } | null => {
  const s = text.trim();
  if (s === "") return null;
  if (plainNumber.test(s)) return { value: Number(s) };
  if (groupedNumber.test(s)) return { value: Number(s.replace(/,/g, "")), numberFormat: "#,##0.##" };
  const percent = percentNumber.exec(s);
  if (percent?.[1]) {
    return { value: Number(percent[1]) / 100, numberFormat: percent[1].includes(".") ? "0.00%" : "0%" };
  }
  const currency = currencyNumber.exec(s);
  if (currency) {
    const magnitude = Number(`${currency[2]?.replace(/,/g, "")}${currency[4] ?? ""}`);
    return { value: currency[1] === "-" ? -magnitude : magnitude, numberFormat: '"$"#,##0.00' };
  }
  return null;
};

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const validDate = (y: number, mo: number, d: number): boolean =>
  mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);

const validTime = (h: number, mi: number, s: number): boolean => h <= 23 && mi <= 59 && s <= 59;

const isoDate = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;
const usDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const timeOnly = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Date text Sheets recognises (en_US): yyyy-MM-dd, yyyy/MM/dd, M/d/yyyy (unless `monthFirst` is false, as in
 * locales that put the day first), each with an optional " HH:mm[:ss]", and a bare time of day (which Sheets
 * stores on 1899-12-30). ISO strings with "T" or a zone suffix stay text. Returns the instant in `timeZone`, or
 * null. Other locales' forms: locale.ts.
 */
export const parseDateText = (
  text: string,
  timeZone: string,
  monthFirst = true,
): { ms: number; numberFormat: string } | null => {
  const s = text.trim();
  let y: number;
  let mo: number;
  let d: number;
  let time: (string | undefined)[];
  const iso = isoDate.exec(s);
  const us = iso || !monthFirst ? null : usDate.exec(s);
  if (iso) {
    [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    time = iso.slice(4);
  } else if (us) {
    [mo, d, y] = [Number(us[1]), Number(us[2]), Number(us[3])];
    time = us.slice(4);
  } else {
    const t = timeOnly.exec(s);
    if (!t) return null;
    const [h, mi, sec] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
    if (!validTime(h, mi, sec)) return null;
    return { ms: zonedTimeToUtc(timeZone, 1899, 12, 30, h, mi, sec), numberFormat: "h:mm:ss" };
  }
  if (!validDate(y, mo, d)) return null;
  const [h, mi, sec, frac] = [Number(time[0] ?? 0), Number(time[1] ?? 0), Number(time[2] ?? 0), time[3]];
  if (!validTime(h, mi, sec)) return null;
  const ms = frac ? Number(frac.padEnd(3, "0")) : 0;
  const hasTime = time[0] !== undefined;
  return {
    ms: zonedTimeToUtc(timeZone, y, mo, d, h, mi, sec, ms),
    numberFormat: hasTime ? "yyyy-mm-dd hh:mm:ss" : "yyyy-mm-dd",
  };
};

/** Sheets' limit on what one cell may hold (support.google.com/drive/answer/37603). */
export const MAX_CELL_CHARACTERS = 50_000;
// The text Sheets answers with, through the Sheets API (github.com/freelabz/secator/issues/96,
// github.com/moevm/github_repo_commitment_calc/issues/67) and as an Apps Script "Exception: ..." alike.
export const CELL_TOO_LONG_MESSAGE =
  "Your input contains more than the maximum of 50000 characters in a single cell.";

/** Throws before anything is written when one input of a write call is longer than a cell may hold. */
export const checkCellInputs = (inputs: Iterable<unknown>): void => {
  for (const input of inputs) {
    const text = typeof input === "string" ? input : isTextLike(input) ? String(input) : "";
    if (text.length > MAX_CELL_CHARACTERS) throw new GasException(CELL_TOO_LONG_MESSAGE);
  }
};

const isTextLike = (value: unknown): boolean => typeof value === "object" && value !== null && !isDate(value);

/** What a leading apostrophe written into a plain-text ("@") cell does; Google does not say (§8 item 12). */
export type PlainTextApostrophe = "strip" | "keep";

/** What a formula cell shows while Sheets is still calculating it (reference §8 item 13). */
export const LOADING_TEXT = "Loading...";

/** What a formula cell shows when Sheets cannot parse the formula ("Formula parse error"). */
export const FORMULA_PARSE_ERROR = "#ERROR!";

export interface EntryOptions {
  timeZone: string;
  /** The spreadsheet's locale; default en_US. */
  locale?: string;
  /** How a formula's argument separators are read in a ";" locale; default "english". */
  formulaSyntax?: FormulaSyntax;
  /** The cell's number format is "@" (plain text). */
  plainText?: boolean;
  /** "keep": a leading apostrophe written into a plain-text cell stays part of the text. Default "strip". */
  plainTextApostrophe?: PlainTextApostrophe;
  evaluate: (formula: string) => CellValue;
}

/**
 * A value written by setValue(s)/appendRow, as Sheets stores it. With a plain-text ("@") format, numbers,
 * dates and booleans stay text but "=..." still becomes a formula: whether "@" blocks formulas is not
 * confirmed, so the host assumes the worse case.
 */
export const enterValue = (raw: unknown, options: EntryOptions): Entered => {
  if (raw === null || raw === undefined) return { value: "" };
  if (typeof raw === "number" || typeof raw === "boolean") return { value: raw };
  if (isDate(raw)) return { value: new Date(raw.getTime()) };
  const text = typeof raw === "string" ? raw : String(raw);
  if (text.startsWith("'")) {
    const keep = options.plainText === true && options.plainTextApostrophe === "keep";
    return { value: keep ? text : text.slice(1) };
  }
  const locale = options.locale ?? "en_US";
  if (text.length > 1 && text.startsWith("=")) {
    if (!formulaParses(text, locale, options.formulaSyntax ?? "english"))
      return { formula: text, value: FORMULA_PARSE_ERROR };
    return { formula: text, value: options.evaluate(text) };
  }
  if (options.plainText) return { value: text };
  const truth = parseBooleanText(text, locale);
  if (truth !== undefined) return { value: truth };
  const rules = rulesOf(locale);
  const number = rules.decimal === "," ? parseCommaNumber(text, locale) : parseNumberText(text);
  if (number) return number;
  const date =
    parseLocaleDate(text, locale, options.timeZone) ?? parseDateText(text, options.timeZone, !rules.dayFirst);
  if (date) return { value: new Date(date.ms), numberFormat: date.numberFormat };
  return { value: text };
};

/** Arithmetic on number literals (+ - * / and parentheses), or undefined when the text is anything else. */
const arithmetic = (text: string): number | undefined => {
  const tokens = text.match(/\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const primary = (): number | undefined => {
    const token = tokens[i++];
    if (token === "-") return negate(primary());
    if (token === "+") return primary();
    if (token === "(") {
      const value = sum();
      return tokens[i++] === ")" ? value : undefined;
    }
    return token !== undefined && plainNumber.test(token) ? Number(token) : undefined;
  };
  const negate = (v: number | undefined) => (v === undefined ? undefined : -v);
  const product = (): number | undefined => {
    let value = primary();
    while (value !== undefined && (tokens[i] === "*" || tokens[i] === "/")) {
      const op = tokens[i++];
      const right = primary();
      value = right === undefined ? undefined : op === "*" ? value * right : value / right;
    }
    return value;
  };
  const sum = (): number | undefined => {
    let value = product();
    while (value !== undefined && (tokens[i] === "+" || tokens[i] === "-")) {
      const op = tokens[i++];
      const right = product();
      value = right === undefined ? undefined : op === "+" ? value + right : value - right;
    }
    return value;
  };
  const value = sum();
  return i === tokens.length ? value : undefined;
};

/**
 * Default value of a formula the script writes: number arithmetic, "text", TRUE/FALSE and HYPERLINK(url, label)
 * evaluate; anything else (every other function, cell references) shows #NAME?.
 */
export const evaluateSimpleFormula = (formula: string): CellValue => {
  const body = formula.slice(1).trim();
  const number = arithmetic(body);
  if (number !== undefined) return Number.isFinite(number) ? number : "#DIV/0!";
  const text = /^"((?:[^"]|"")*)"$/.exec(body);
  if (text) return (text[1] ?? "").replace(/""/g, '"');
  if (/^(true|false)$/i.test(body)) return body.toLowerCase() === "true";
  const link = /^HYPERLINK\(\s*"((?:[^"]|"")*)"\s*(?:[,;]\s*"((?:[^"]|"")*)"\s*)?\)$/i.exec(body);
  if (link) return (link[2] ?? link[1] ?? "").replace(/""/g, '"');
  return "#NAME?";
};

/** Date text as the host shows dates without a date format: yyyy-MM-dd, plus the time unless midnight. */
export const defaultDateText = (date: Date, timeZone: string): string => {
  const parts = zonedParts(date.getTime(), timeZone);
  const midnight = parts.hour === 0 && parts.minute === 0 && parts.second === 0 && parts.millisecond === 0;
  return formatDate(date, timeZone, midnight ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss");
};

const generalNumber = (value: number): string => {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const rounded = Number(value.toPrecision(10));
  if (Math.abs(rounded) >= 1e15 || (rounded !== 0 && Math.abs(rounded) < 1e-9)) {
    return rounded.toExponential().replace(/e\+?/, "E+").replace("E+-", "E-");
  }
  return String(rounded);
};

/** Sheets date-format tokens (mm = minutes next to h or s, months otherwise) to SimpleDateFormat. */
const sheetsDateFormatToJava = (format: string): string => {
  const tokens = format.match(/"[^"]*"|y+|m+|d+|h+|s+|am\/pm|a\/p|[^ymdhs"]+/gi) ?? [];
  const hasAmPm = tokens.some((t) => /^(am\/pm|a\/p)$/i.test(t));
  return tokens
    .map((token, i) => {
      const lower = token.toLowerCase();
      if (token.startsWith('"')) return `'${token.slice(1, -1).replace(/'/g, "''")}'`;
      if (lower.startsWith("y")) return lower.length <= 2 ? "yy" : "yyyy";
      if (lower.startsWith("d")) return lower.length >= 4 ? "EEEE" : lower.length === 3 ? "EEE" : lower;
      if (lower.startsWith("h")) return hasAmPm ? lower : lower.toUpperCase();
      if (lower.startsWith("s")) return lower;
      if (lower === "am/pm" || lower === "a/p") return "a";
      if (lower.startsWith("m")) {
        const before = tokens
          .slice(0, i)
          .reverse()
          .find((t) => /^[a-z]/i.test(t));
        const after = tokens.slice(i + 1).find((t) => /^[a-z]/i.test(t));
        const minutes = before?.toLowerCase().startsWith("h") || after?.toLowerCase().startsWith("s");
        if (minutes) return lower.length >= 2 ? "mm" : "m";
        return lower.length >= 4 ? "MMMM" : lower.length === 3 ? "MMM" : lower.toUpperCase();
      }
      return /[a-zA-Z']/.test(token) ? `'${token.replace(/'/g, "''")}'` : token;
    })
    .join("");
};

const isDateFormat = (format: string): boolean => /[ydhs]|m/i.test(format.replace(/"[^"]*"/g, ""));

const numberWithFormat = (value: number, format: string): string => {
  const percent = format.endsWith("%");
  const core = percent ? format.slice(0, -1) : format;
  const decimals = /\.(0+)/.exec(core)?.[1]?.length ?? 0;
  const optional = /\.(#+)/.exec(core)?.[1]?.length ?? 0;
  const grouped = core.includes(",");
  const n = percent ? value * 100 : value;
  const text = n.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals + optional,
    useGrouping: grouped,
  });
  const currency = /^"([^"]*)"/.exec(core)?.[1] ?? "";
  return `${n < 0 && currency ? "-" : ""}${currency}${n < 0 && currency ? text.slice(1) : text}${percent ? "%" : ""}`;
};

/** The text a cell shows (getDisplayValue): formatted by its number format where the host understands it. */
export const displayText = (value: CellValue, numberFormat: string | undefined, timeZone: string): string => {
  if (value === "") return "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "string") return value;
  const format = numberFormat && numberFormat !== "General" ? numberFormat : undefined;
  if (value instanceof Date) {
    if (format && format !== "@" && isDateFormat(format)) {
      return formatDate(value, timeZone, sheetsDateFormatToJava(format));
    }
    return defaultDateText(value, timeZone);
  }
  if (!format || format === "@" || !/[0#]/.test(format)) return generalNumber(value);
  return numberWithFormat(value, format);
};
