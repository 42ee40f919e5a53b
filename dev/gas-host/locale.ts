// The spreadsheet's locale (File > Settings), as far as it changes what Sheets makes of text written with
// setValues: the words for TRUE and FALSE, the decimal comma, the order of day and month in a numeric date,
// month names, and the separator between a formula's arguments (";" in most of Sheets' 72 locales, "," in 28,
// en_US among them: stackoverflow.com/questions/73767719). English words and month names are read in every
// locale too: Google does not say, and reading more of the text as values is the stricter answer for a script
// that wants its text kept as text.
import { zonedTimeToUtc } from "./time-zone.js";

/**
 * How Apps Script reads a formula the script writes (setFormula, a "=..." value, a custom formula rule) in a
 * locale whose argument separator is ";": "english" takes "," whatever the locale, "locale" takes the locale's
 * own. Google does not say which.
 */
export type FormulaSyntax = "english" | "locale";

interface LocaleRules {
  trueWords: readonly string[];
  falseWords: readonly string[];
  decimal: "." | ",";
  /** Thousands separators a grouped number may use. */
  groups: readonly string[];
  /** A numeric date: day first (d.M.yyyy, d/M/yyyy) or month first (M/d/yyyy), and its separator. */
  dayFirst: boolean;
  dateSeparator: "/" | ".";
  /** Month names, January first, lower case; an abbreviation is any name's first three letters or more. */
  months: readonly string[];
  argumentSeparator: "," | ";";
}

const ENGLISH_MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

const EN_US: LocaleRules = {
  trueWords: ["true"],
  falseWords: ["false"],
  decimal: ".",
  groups: [","],
  dayFirst: false,
  dateSeparator: "/",
  months: ENGLISH_MONTHS,
  argumentSeparator: ",",
};

// The words are those of Sheets' TRUE and FALSE in German (WAHR, FALSCH) and French (VRAI, FAUX).
const RULES: Readonly<Record<string, LocaleRules>> = {
  en: EN_US,
  en_US: EN_US,
  en_GB: { ...EN_US, dayFirst: true },
  de: {
    trueWords: ["wahr"],
    falseWords: ["falsch"],
    decimal: ",",
    groups: ["."],
    dayFirst: true,
    dateSeparator: ".",
    months: [
      "januar",
      "februar",
      "märz",
      "april",
      "mai",
      "juni",
      "juli",
      "august",
      "september",
      "oktober",
      "november",
      "dezember",
    ],
    argumentSeparator: ";",
  },
  fr: {
    trueWords: ["vrai"],
    falseWords: ["faux"],
    decimal: ",",
    groups: [" ", "\u00a0", "\u202f"],
    dayFirst: true,
    dateSeparator: "/",
    months: [
      "janvier",
      "février",
      "mars",
      "avril",
      "mai",
      "juin",
      "juillet",
      "août",
      "septembre",
      "octobre",
      "novembre",
      "décembre",
    ],
    argumentSeparator: ";",
  },
};

/** Locales the host models; others are refused (a host limit, not Apps Script's) rather than read as English. */
export const MODELLED_LOCALES: readonly string[] = ["en_US", "en_GB", "de_DE", "de_AT", "fr_FR", "fr_BE"];

export const checkModelledLocale = (locale: string): string => {
  if (!MODELLED_LOCALES.includes(locale))
    throw new Error(`gas-host: the locale ${locale} is not modelled (${MODELLED_LOCALES.join(", ")})`);
  return locale;
};

export const rulesOf = (locale: string): LocaleRules =>
  RULES[locale] ?? RULES[locale.split("_")[0] ?? ""] ?? EN_US;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** TRUE/FALSE typed in this locale (or in English), or undefined. */
export const parseBooleanText = (text: string, locale: string): boolean | undefined => {
  const word = text.trim().toLowerCase();
  const rules = rulesOf(locale);
  if (word === "true" || rules.trueWords.includes(word)) return true;
  if (word === "false" || rules.falseWords.includes(word)) return false;
  return undefined;
};

/** Numeric text with a decimal comma (1,5 · 1.234,5 · 1 234,5 · 12,5 %), for locales that use one. */
export const parseCommaNumber = (
  text: string,
  locale: string,
): { value: number; numberFormat?: string } | null => {
  const rules = rulesOf(locale);
  if (rules.decimal !== ",") return null;
  const s = text.trim();
  const plain = /^([+-]?)(\d+(?:,\d*)?|,\d+)(?:[eE]([+-]?\d+))?$/.exec(s);
  if (plain) return { value: Number(`${plain[1]}${plain[2]?.replace(",", ".")}e${plain[3] ?? 0}`) };
  const groups = rules.groups.map(escapeRegExp).join("|");
  const grouped = new RegExp(`^([+-]?)(\\d{1,3}(?:(?:${groups})\\d{3})+)(,\\d+)?$`).exec(s);
  if (grouped) {
    const digits = (grouped[2] ?? "").replace(/\D/g, "");
    return {
      value: Number(`${grouped[1]}${digits}${(grouped[3] ?? "").replace(",", ".")}`),
      numberFormat: "#,##0.##",
    };
  }
  const percent = /^([+-]?(?:\d+(?:,\d*)?|,\d+))\s?%$/.exec(s);
  if (percent?.[1]) {
    return { value: Number(percent[1].replace(",", ".")) / 100, numberFormat: "0.00%" };
  }
  return null;
};

const validDay = (y: number, m: number, d: number): boolean =>
  m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The month a name (or an abbreviation of three letters or more, with or without a dot) stands for, 1-based. */
const monthOf = (word: string, rules: LocaleRules): number | undefined => {
  const name = word.toLowerCase().replace(/\.$/, "");
  if (name.length < 3) return undefined;
  for (const list of [rules.months, ENGLISH_MONTHS]) {
    const index = list.findIndex((month) => month.startsWith(name));
    if (index >= 0) return index + 1;
  }
  return undefined;
};

/**
 * Date text this locale reads beyond the ISO and en_US forms cell-values.ts knows: its numeric order
 * (12.04.2026 in de_DE, 12/04/2026 in fr_FR and en_GB, with an optional " HH:mm[:ss]") and month names in its
 * language or English (12. April 2026, 12 avril 2026, April 12, 2026, Mai 2026). Returns the instant in
 * `timeZone`, or null.
 */
export const parseLocaleDate = (
  text: string,
  locale: string,
  timeZone: string,
): { ms: number; numberFormat: string } | null => {
  const rules = rulesOf(locale);
  const s = text.trim();
  const sep = escapeRegExp(rules.dateSeparator);
  const numeric = new RegExp(
    `^(\\d{1,2})${sep}(\\d{1,2})${sep}(\\d{4})(?: (\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$`,
  ).exec(s);
  if (numeric && rules.dayFirst) {
    const [d, m, y] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    const [h, mi, sec] = [Number(numeric[4] ?? 0), Number(numeric[5] ?? 0), Number(numeric[6] ?? 0)];
    if (!validDay(y, m, d) || h > 23 || mi > 59 || sec > 59) return null;
    return {
      ms: zonedTimeToUtc(timeZone, y, m, d, h, mi, sec),
      numberFormat: numeric[4] === undefined ? "dd.mm.yyyy" : "dd.mm.yyyy hh:mm:ss",
    };
  }
  const word = "(\\p{L}+\\.?)";
  const dayMonthYear = new RegExp(`^(\\d{1,2})\\.?\\s+${word}\\s+(\\d{4})$`, "u").exec(s);
  const monthDayYear = new RegExp(`^${word}\\s+(\\d{1,2}),?\\s+(\\d{4})$`, "u").exec(s);
  const monthYear = new RegExp(`^${word}\\s+(\\d{4})$`, "u").exec(s);
  let parts: [number | undefined, number, number] | undefined;
  if (dayMonthYear)
    parts = [monthOf(dayMonthYear[2] ?? "", rules), Number(dayMonthYear[1]), Number(dayMonthYear[3])];
  else if (monthDayYear)
    parts = [monthOf(monthDayYear[1] ?? "", rules), Number(monthDayYear[2]), Number(monthDayYear[3])];
  else if (monthYear) parts = [monthOf(monthYear[1] ?? "", rules), 1, Number(monthYear[2])];
  if (!parts) return null;
  const [m, d, y] = parts;
  if (m === undefined || !validDay(y, m, d)) return null;
  return { ms: zonedTimeToUtc(timeZone, y, m, d, 0, 0, 0), numberFormat: "d mmmm yyyy" };
};

/**
 * Whether Sheets in this locale, under `syntax`, reads the argument separators of `formula`: "," or ";"
 * between a function's arguments (outside strings and {array} literals) must be the one expected. A decimal
 * comma (a "," between two digits) is a number's, not a separator, in a ";" locale.
 */
export const formulaParses = (formula: string, locale: string, syntax: FormulaSyntax): boolean => {
  const expected = syntax === "english" ? "," : rulesOf(locale).argumentSeparator;
  const other = expected === "," ? ";" : ",";
  let depth = 0;
  let braces = 0;
  let inString = false;
  for (let i = 0; i < formula.length; i += 1) {
    const ch = formula[i];
    if (ch === '"') inString = !inString;
    if (inString) continue;
    if (ch === "(") depth += 1;
    else if (ch === ")") depth -= 1;
    else if (ch === "{") braces += 1;
    else if (ch === "}") braces -= 1;
    else if (ch === other && depth > 0 && braces === 0) {
      const decimalComma = ch === "," && /\d/.test(formula[i - 1] ?? "") && /\d/.test(formula[i + 1] ?? "");
      if (!decimalComma) return false;
    }
  }
  return true;
};
