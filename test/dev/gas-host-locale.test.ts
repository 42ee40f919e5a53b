// The spreadsheet's locale in the local host: what text written by setValues becomes in a German or French
// spreadsheet (their TRUE/FALSE words, the decimal comma, day-first dates, month names), and how a formula's
// argument separators are read under each answer Google leaves open (formulaSyntax).
import { describe, expect, it } from "vitest";
import { type CellValue, type FormulaSyntax, GasHost } from "../../dev/gas-host/index.js";

const script = `
  function write(texts) {
    var range = SpreadsheetApp.getActiveSheet().getRange(1, 1, texts.length, 1);
    range.setValues(texts.map(function (t) { return [t]; }));
    return range.getValues().map(function (row) { return row[0] instanceof Date ? "date " + row[0].toISOString() : row[0]; });
  }
  function formula(f) {
    var cell = SpreadsheetApp.getActiveSheet().getRange("B1");
    cell.setFormula(f);
    return cell.getValue();
  }
  function rule(f) {
    try {
      var r = SpreadsheetApp.newDataValidation().requireFormulaSatisfied(f).setAllowInvalid(true).build();
      SpreadsheetApp.getActiveSheet().getRange("C1").setDataValidation(r);
      return "ok";
    } catch (e) { return e.message; }
  }
  function locale(next) {
    var ss = SpreadsheetApp.getActive();
    if (next) ss.setSpreadsheetLocale(next);
    return ss.getSpreadsheetLocale();
  }`;

const hostIn = (locale: string, formulaSyntax?: FormulaSyntax) =>
  new GasHost({
    scriptCode: script,
    locale,
    timeZone: "Etc/UTC",
    ...(formulaSyntax ? { formulaSyntax } : {}),
  });

const written = (host: GasHost, texts: string[]): CellValue[] => {
  const result = host.run("write", [texts]);
  expect(result.error).toBeUndefined();
  return result.returned as CellValue[];
};

describe("text written by setValues, by locale", () => {
  it("de_DE reads WAHR/FALSCH (and TRUE/FALSE), the decimal comma, d.M.yyyy and German month names", () => {
    expect(
      written(hostIn("de_DE"), [
        "WAHR",
        "falsch",
        "TRUE",
        "1,5",
        "-1.234,5",
        "12,5 %",
        "12.04.2026",
        "12. April 2026",
        "Mai 2026",
        "März 3, 2026",
        "'WAHR",
        "Montag",
        "1,234",
      ]),
    ).toEqual([
      true,
      false,
      true,
      1.5,
      -1234.5,
      0.125,
      "date 2026-04-12T00:00:00.000Z",
      "date 2026-04-12T00:00:00.000Z",
      "date 2026-05-01T00:00:00.000Z",
      "date 2026-03-03T00:00:00.000Z",
      "WAHR",
      "Montag",
      1.234,
    ]);
  });

  it("fr_FR reads VRAI/FAUX, the decimal comma with spaced thousands, d/M/yyyy and French month names", () => {
    expect(
      written(hostIn("fr_FR"), [
        "VRAI",
        "Faux",
        "1 234,5",
        "12/04/2026",
        "04/13/2026",
        "12 avril 2026",
        "mars 2026",
      ]),
    ).toEqual([
      true,
      false,
      1234.5,
      "date 2026-04-12T00:00:00.000Z",
      "04/13/2026",
      "date 2026-04-12T00:00:00.000Z",
      "date 2026-03-01T00:00:00.000Z",
    ]);
  });

  it("en_US keeps its own reading: a comma groups thousands, the month comes first", () => {
    expect(written(hostIn("en_US"), ["WAHR", "1,5", "1,234", "12/04/2026", "April 12, 2026"])).toEqual([
      "WAHR",
      "1,5",
      1234,
      "date 2026-12-04T00:00:00.000Z",
      "date 2026-04-12T00:00:00.000Z",
    ]);
  });

  it("reports and changes the locale, and refuses one the host does not model", () => {
    const host = hostIn("de_DE");
    expect(host.run("locale").returned).toBe("de_DE");
    expect(host.run("locale", ["fr_FR"]).returned).toBe("fr_FR");
    expect(host.run("locale", ["xx_XX"]).error?.message).toMatch(/not modelled/);
    expect(() => new GasHost({ scriptCode: script, locale: "tlh" })).toThrow(/not modelled/);
  });
});

describe("formula argument separators", () => {
  it.each([
    ["de_DE", "english", '=HYPERLINK("u","label")', "label"],
    ["de_DE", "english", '=HYPERLINK("u";"label")', "#ERROR!"],
    ["de_DE", "locale", '=HYPERLINK("u";"label")', "label"],
    ["de_DE", "locale", '=HYPERLINK("u","label")', "#ERROR!"],
    ["fr_FR", "locale", "=ROUND(1,5;0)", "#NAME?"],
    ["en_US", "locale", '=HYPERLINK("u","label")', "label"],
  ] as const)("%s, formulaSyntax %s: %s shows %s", (locale, syntax, formula, shown) => {
    expect(hostIn(locale, syntax).run("formula", [formula]).returned).toBe(shown);
  });

  it("refuses a custom-formula validation rule whose separators the spreadsheet does not read", () => {
    expect(hostIn("de_DE", "locale").run("rule", ["=OR(ISBLANK(A1),A1>0)"]).returned).toMatch(/is invalid/);
    expect(hostIn("de_DE", "locale").run("rule", ["=OR(ISBLANK(A1);A1>0)"]).returned).toBe("ok");
    expect(hostIn("de_DE", "english").run("rule", ["=OR(ISBLANK(A1),A1>0)"]).returned).toBe("ok");
  });
});
