// Unit tests for src/core/sheet/cell.ts: blank cells, the clear token, formula error values, dates and cell
// text.
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CellValue,
  CLEAR_TOKEN,
  cellText,
  isBlank,
  isClearToken,
  isDate,
  isFormulaError,
  JSON_PREFIX,
  textCell,
} from "../../../src/core/sheet/cell";

const DATE = new Date(Date.UTC(2026, 1, 9, 12, 30, 0));
const toIso = (date: Date): string => `ISO(${date.toISOString()})`;

describe("reserved words", () => {
  it("are the documented tokens", () => {
    expect(CLEAR_TOKEN).toBe("#CLEAR");
    expect(JSON_PREFIX).toBe("json:");
  });
});

describe("isBlank", () => {
  it.each<[CellValue, boolean]>([
    ["", true],
    [" ", true],
    ["\t\n ", true],
    ["x", false],
    [" x ", false],
    [0, false],
    [false, false],
    [true, false],
    [DATE, false],
  ])("%j -> %s", (value, expected) => {
    expect(isBlank(value)).toBe(expected);
  });
});

describe("isClearToken", () => {
  it.each<[CellValue, boolean]>([
    ["#CLEAR", true],
    ["#clear", true],
    ["#Clear", true],
    ["  #CLEAR \n", true],
    ["CLEAR", false],
    ["#CLEARED", false],
    ["# CLEAR", false],
    ["", false],
    [0, false],
    [true, false],
    [DATE, false],
  ])("%j -> %s", (value, expected) => {
    expect(isClearToken(value)).toBe(expected);
  });
});

describe("isFormulaError", () => {
  it.each([
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
    " #REF! ",
    "#ref!",
    "#n/a",
  ])("%j is a formula error", (value) => {
    expect(isFormulaError(value)).toBe(true);
  });

  it.each<CellValue>(["#CLEAR", "#REF", "REF!", "#REF! in text", "N/A", "#", "", 0, false, DATE])(
    "%j is not a formula error",
    (value) => {
      expect(isFormulaError(value)).toBe(false);
    },
  );
});

describe("isDate", () => {
  it.each<[CellValue, boolean]>([
    [DATE, true],
    [new Date(Number.NaN), true],
    ["2026-02-09", false],
    [1770640200000, false],
    [true, false],
  ])("%j -> %s", (value, expected) => {
    expect(isDate(value)).toBe(expected);
  });

  it("recognises a Date from another realm (Apps Script's V8 hands them over)", () => {
    const foreign = runInNewContext("new Date(0)") as Date;
    expect(foreign instanceof Date).toBe(false);
    expect(isDate(foreign)).toBe(true);
    expect(cellText(foreign, toIso)).toBe("ISO(1970-01-01T00:00:00.000Z)");
  });
});

describe("cellText", () => {
  it.each<[CellValue, string]>([
    ["  workflow_run_abc  ", "workflow_run_abc"],
    ["a b", "a b"],
    ["", ""],
    [42, "42"],
    [1.5, "1.5"],
    [-0.25, "-0.25"],
    [true, "true"],
    [false, "false"],
    [DATE, "ISO(2026-02-09T12:30:00.000Z)"],
  ])("%j -> %j", (value, expected) => {
    expect(cellText(value, toIso)).toBe(expected);
  });
});

describe("textCell, against the first way it judged text", () => {
  const BOOLEANS =
    /^(true|false|wahr|falsch|vrai|faux|verdadero|verdadeiro|falso|vero|waar|onwaar|prawda|fałsz|pravda|nepravda|sant|falskt|sand|falsk|sann|usann|tosi|epätosi|igaz|hamis|doğru|yanlış|adevărat|fals|cert|benar|salah|sai)\s*$/iu;
  const referenceWouldBeParsed = (text: string): boolean => {
    if (!/^[A-Za-z]/.test(text)) return text !== "";
    return BOOLEANS.test(text) || /^\p{L}+\.?[\s,./-]*\d/u.test(text);
  };

  it("adds the apostrophe exactly where the regular expressions alone did", () => {
    const word = fc.oneof(
      fc.constantFrom(
        "true",
        "FALSE ",
        "WAHR",
        "faux",
        "Jan 5",
        "sept. 3",
        "Mon, 2",
        "Thu-1",
        "Mai 2026",
        "März 3",
        "avril",
        "Updated",
        "PROCESSED",
        "ſep 1",
        "Ja",
      ),
      fc.string({ unit: "binary", maxLength: 12 }),
      fc.string({ unit: "grapheme-ascii", maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), (pieces) => {
        const text = pieces.join("");
        expect(textCell(text)).toBe(referenceWouldBeParsed(text) ? `'${text}` : text);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("textCell in any locale", () => {
  it.each([
    // German and French TRUE/FALSE, month names before a number, and numbers and dates with a comma or dot
    ["WAHR", "'WAHR"],
    ["falsch", "'falsch"],
    ["VRAI", "'VRAI"],
    ["Faux ", "'Faux "],
    ["Mai 2026", "'Mai 2026"],
    ["avril 12", "'avril 12"],
    ["août 2026", "'août 2026"],
    ["Mo., 12.04.2026", "'Mo., 12.04.2026"],
    ["1,5", "'1,5"],
    ["12.04.2026", "'12.04.2026"],
    ["Énergie", "'Énergie"],
    // ordinary words and statuses stay bare, so a plain-text cell never shows an apostrophe it did not need
    ["PROCESSED", "PROCESSED"],
    ["Updated", "Updated"],
    ["Mai", "Mai"],
    ["ACME invoice 2026-04", "ACME invoice 2026-04"],
  ])("%j is written as %j", (text, written) => {
    expect(textCell(text)).toBe(written);
  });
});
