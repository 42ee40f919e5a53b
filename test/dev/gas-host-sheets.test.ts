// The SpreadsheetApp fake: the Sheets behaviours the add-on depends on (typed entry, formulas, the apostrophe,
// dimension errors, bounds, structural edits) and the CSV import/export tests use to seed and check sheets.
import { describe, expect, it } from "vitest";
import { type ExecutionResult, GasHost } from "../../dev/gas-host/index.js";

const hostWith = (scriptCode: string, options: { timeZone?: string } = {}) =>
  new GasHost({ scriptCode, ...options });

const ok = (result: ExecutionResult): unknown => {
  expect(result.error).toBeUndefined();
  return result.returned;
};

describe("values written with setValues", () => {
  const script = `
    function write(values, a1) {
      var range = SpreadsheetApp.getActiveSheet().getRange(a1 || "A1:" + String.fromCharCode(64 + values[0].length) + values.length);
      range.setValues(values);
      return { values: range.getValues(), formulas: range.getFormulas(), display: range.getDisplayValues() };
    }`;

  it("turns '=' strings into formulas and keeps an apostrophe-prefixed string as text without the apostrophe", () => {
    const host = hostWith(script);
    const out = ok(
      host.run("write", [[["=1+2", '\'=HYPERLINK("x")', '=IMPORTXML("https://evil","//a")', "'007"]]]),
    ) as {
      values: unknown[][];
      formulas: string[][];
    };
    expect(out.formulas[0]).toEqual(["=1+2", "", '=IMPORTXML("https://evil","//a")', ""]);
    expect(out.values[0]).toEqual([3, '=HYPERLINK("x")', "#NAME?", "007"]);
    const cell = host.spreadsheet.sheet("Sheet1").cell(1, 2);
    expect(cell?.formula).toBeUndefined();
    expect(cell?.value).toBe('=HYPERLINK("x")');
  });

  it("parses numeric, boolean and date text as Sheets does and leaves other text alone", () => {
    const host = hostWith(script);
    const out = ok(
      host.run("write", [
        [["42", "007", "1,234.5", "12%", "true", "FALSE", "2026-04-12", "+1 555", "abc", "=", ""]],
      ]),
    ) as { values: unknown[][]; display: string[][] };
    const [row] = out.values as [unknown[]];
    expect(row.slice(0, 6)).toEqual([42, 7, 1234.5, 0.12, true, false]);
    expect(row[6]).toBeInstanceOf(Date);
    expect((row[6] as Date).toISOString()).toBe("2026-04-11T22:00:00.000Z");
    expect(row.slice(7)).toEqual(["+1 555", "abc", "=", ""]);
    expect(out.display[0]?.slice(0, 7)).toEqual(["42", "7", "1,234.5", "12%", "TRUE", "FALSE", "2026-04-12"]);
  });

  it("keeps numbers, booleans and Dates as they are and clears cells written with null", () => {
    const host = hostWith(`
      function run() {
        var r = SpreadsheetApp.getActiveSheet().getRange("A1:D1");
        r.setValues([["x", "y", "z", "w"]]);
        r.setValues([[1.5, false, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), null]]);
        var v = r.getValues()[0];
        return [v[0], v[1], v[2] instanceof Date, v[2].getTime(), v[3], SpreadsheetApp.getActiveSheet().getLastColumn()];
      }`);
    expect(ok(host.run("run"))).toEqual([1.5, false, true, Date.UTC(2026, 0, 2, 3, 4, 5), "", 3]);
  });

  it("rejects data whose dimensions differ from the range with Apps Script's messages", () => {
    const host = hostWith(`
      function rows() { SpreadsheetApp.getActiveSheet().getRange(1, 1, 2, 2).setValues([[1, 2]]); }
      function columns() { SpreadsheetApp.getActiveSheet().getRange(1, 1, 2, 2).setValues([[1, 2], [3]]); }
      function notGrid() { SpreadsheetApp.getActiveSheet().getRange(1, 1).setValues("x"); }`);
    expect(host.run("rows").error).toEqual(
      expect.objectContaining({
        name: "Exception",
        message:
          "The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.",
      }),
    );
    expect(host.run("columns").error?.message).toBe(
      "The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.",
    );
    expect(host.run("notGrid").error?.message).toBe(
      "The parameters (String) don't match the method signature for SpreadsheetApp.Range.setValues.",
    );
    expect(host.spreadsheet.sheet("Sheet1").values()).toEqual([]);
  });

  it("returns fresh arrays and Dates: mutating them does not change the sheet", () => {
    const host = hostWith(`
      function run() {
        var r = SpreadsheetApp.getActiveSheet().getRange("A1:B1");
        r.setValues([["a", new Date(0)]]);
        var v = r.getValues();
        v[0][0] = "changed";
        v[0][1].setFullYear(1999);
        return r.getValues()[0][0] + "|" + r.getValues()[0][1].getTime();
      }`);
    expect(ok(host.run("run"))).toBe("a|0");
  });

  it("hands the script arrays, Dates and errors of its own realm", () => {
    const host = hostWith(`
      function run() {
        var sheet = SpreadsheetApp.getActiveSheet();
        sheet.getRange("A1").setValue(new Date(0));
        var v = sheet.getRange("A1:A1").getValues();
        var caught;
        try { sheet.getRange(0, 1); } catch (e) { caught = e; }
        return [v instanceof Array, v[0][0] instanceof Date, caught instanceof Error, caught.name, String(caught)];
      }`);
    expect(ok(host.run("run"))).toEqual([
      true,
      true,
      true,
      "Exception",
      "Exception: The starting row of the range is too small.",
    ]);
  });
});

describe("formulas", () => {
  it("getValues gives a formula cell's computed value, getFormulas its text and '' for plain cells", () => {
    const host = hostWith(`
      function run() {
        var r = SpreadsheetApp.getActiveSheet().getRange("A1:B1");
        return { values: r.getValues(), formulas: r.getFormulas(), formula: r.getFormula() };
      }`);
    const sheet = host.spreadsheet.sheet("Sheet1");
    sheet.setFormula("A1", "=SUM(C1:C9)", 45);
    sheet.setValues("B1", [["plain"]]);
    expect(ok(host.run("run"))).toEqual({
      values: [[45, "plain"]],
      formulas: [["=SUM(C1:C9)", ""]],
      formula: "=SUM(C1:C9)",
    });
  });

  it("setFormula writes a formula, and a replaceable evaluator supplies its value", () => {
    const host = hostWith(`
      function run() {
        var r = SpreadsheetApp.getActiveSheet().getRange("A1:A2");
        r.setFormulas([["=ROW()"], ["=2*(3+4)"]]);
        return r.getValues();
      }`);
    host.spreadsheet.formulaEvaluator = (formula, where) => (formula === "=ROW()" ? where.row : "n/a");
    expect(ok(host.run("run"))).toEqual([[1], ["n/a"]]);
    host.spreadsheet.formulaEvaluator = () => "#NAME?";
    expect(host.spreadsheet.sheet("Sheet1").formulas()).toEqual([["=ROW()"], ["=2*(3+4)"]]);
  });

  it("the default evaluator computes literal arithmetic and shows #NAME? for functions", () => {
    const host = hostWith(`function run() { var r = SpreadsheetApp.getActiveSheet().getRange("A1:D1");
      r.setValues([["=2*(3+4)", "=1/0", '="a""b"', "=NOW()"]]); return r.getValues(); }`);
    expect(ok(host.run("run"))).toEqual([[14, "#DIV/0!", 'a"b', "#NAME?"]]);
  });
});

describe("ranges and sheets", () => {
  it("reports bad ranges with Apps Script's messages", () => {
    const host = hostWith(`
      function get(a, b, c, d) {
        try { SpreadsheetApp.getActiveSheet().getRange.apply(SpreadsheetApp.getActiveSheet(), arguments); return "ok"; }
        catch (e) { return e.message; }
      }`);
    const get = (...args: unknown[]) => host.run("get", args).returned;
    expect(get(1, 1, 0, 3)).toBe("The number of rows in the range must be at least 1.");
    expect(get(1, 1, 2, 0)).toBe("The number of columns in the range must be at least 1.");
    expect(get(0, 1)).toBe("The starting row of the range is too small.");
    expect(get(1, 0)).toBe("The starting column of the range is too small.");
    expect(get(1000, 1, 2, 1)).toBe("The coordinates of the range are outside the dimensions of the sheet.");
    expect(get(1, 26, 1, 2)).toBe("The coordinates of the range are outside the dimensions of the sheet.");
    expect(get("A1:B")).toBe("ok");
    expect(get("nonsense!!")).toBe("Range not found");
    expect(get("Missing!A1")).toBe("Range not found");
    expect(get(1000, 26)).toBe("ok");
  });

  it("computes A1 notation, last row/column and the data range", () => {
    const host = hostWith(`
      function run() {
        var sheet = SpreadsheetApp.getActiveSheet();
        sheet.getRange("B2:C3").setValues([[1, ""], ["", 2]]);
        var r = sheet.getRange(2, 2, 2, 2);
        var d = sheet.getDataRange();
        return [r.getA1Notation(), r.getLastRow(), r.getLastColumn(), sheet.getLastRow(), sheet.getLastColumn(),
          d.getA1Notation(), sheet.getRange("Z10").getColumn(), sheet.getMaxRows(), sheet.getMaxColumns()];
      }`);
    expect(ok(host.run("run"))).toEqual(["B2:C3", 3, 3, 3, 3, "A1:C3", 26, 1000, 26]);
  });

  it("insertColumnsAfter shifts cells and hidden columns right and grows the grid", () => {
    const host = hostWith(`
      function run() {
        var sheet = SpreadsheetApp.getActiveSheet();
        sheet.getRange("A1:C1").setValues([["a", "b", "c"]]);
        sheet.hideColumns(3);
        sheet.insertColumnsAfter(1, 2);
        return [sheet.getRange(1, 1, 1, 5).getValues()[0], sheet.isColumnHiddenByUser(3), sheet.isColumnHiddenByUser(5),
          sheet.getMaxColumns()];
      }`);
    expect(ok(host.run("run"))).toEqual([["a", "", "", "b", "c"], false, true, 28]);
  });

  it("appends rows, grows the grid for them and deletes rows", () => {
    const host = hostWith(`
      function run() {
        var sheet = SpreadsheetApp.getActiveSheet();
        sheet.deleteRows(3, 997);
        sheet.appendRow(["h1", "h2"]);
        sheet.appendRow(["r1", "=1+1"]);
        sheet.appendRow(["r2", "x"]);
        var grown = sheet.getMaxRows();
        sheet.deleteRow(2);
        var msg;
        try { sheet.deleteRows(1, sheet.getMaxRows()); } catch (e) { msg = e.message; }
        return [grown, sheet.getDataRange().getValues(), msg];
      }`);
    expect(ok(host.run("run"))).toEqual([
      3,
      [
        ["h1", "h2"],
        ["r2", "x"],
      ],
      "Sorry, it is not possible to delete all non-frozen rows.",
    ]);
  });

  it("sorts rows below the frozen rows, numbers before text, blanks last", () => {
    const host =
      hostWith(`function run() { var s = SpreadsheetApp.getActiveSheet(); s.setFrozenRows(1); s.sort(2, false);
      return [s.getFrozenRows(), s.getDataRange().getValues()]; }`);
    host.spreadsheet.sheet("Sheet1").setValues("A1", [
      ["id", "score"],
      ["a", 2],
      ["b", ""],
      ["c", 10],
      ["d", "x"],
    ]);
    expect(ok(host.run("run"))).toEqual([
      1,
      [
        ["id", "score"],
        ["d", "x"],
        ["c", 10],
        ["a", 2],
        ["b", ""],
      ],
    ]);
    host.spreadsheet.sheet("Sheet1").sortRows(1, true, 2);
    expect(
      host.spreadsheet
        .sheet("Sheet1")
        .values()
        .map((row) => row[0]),
    ).toEqual(["id", "a", "b", "c", "d"]);
  });

  it("records notes, number formats, formats, widths, validations and conditional formats", () => {
    const host = hostWith(`
      function run() {
        var ss = SpreadsheetApp.getActiveSpreadsheet();
        var sheet = ss.insertSheet("Out");
        var r = sheet.getRange("A1:B1");
        r.setNotes([["n1", null]]).setNumberFormat("@").setFontWeight("bold").setBackground("#eeeeee");
        sheet.setColumnWidth(2, 240);
        var rule = SpreadsheetApp.newDataValidation().requireValueInList(["yes", "no"], true).setAllowInvalid(false).build();
        sheet.getRange("B2:B3").setDataValidation(rule);
        sheet.setConditionalFormatRules([SpreadsheetApp.newConditionalFormatRule().whenTextEqualTo("failed")
          .setBackground("#f4cccc").setRanges([sheet.getRange("C2:C9")]).build()]);
        r.setValues([["0012", "=1"]]);
        var v = sheet.getRange("B3").getDataValidation();
        return [r.getValues()[0], r.getNotes()[0], r.getNumberFormat(), String(v.getCriteriaType()),
          v.getCriteriaValues()[0], sheet.getConditionalFormatRules()[0].getRanges()[0].getA1Notation()];
      }`);
    expect(ok(host.run("run"))).toEqual([
      ["0012", 1],
      ["n1", ""],
      "@",
      "VALUE_IN_LIST",
      ["yes", "no"],
      "C2:C9",
    ]);
    const sheet = host.spreadsheet.sheet("Out");
    expect(sheet.cell(1, 1)?.format).toEqual({ fontWeight: "bold", background: "#eeeeee" });
    expect(sheet.columnWidths.get(2)).toBe(240);
    expect(sheet.cell(2, 2)?.validation).toEqual({
      criteria: "VALUE_IN_LIST",
      values: [["yes", "no"], true],
      allowInvalid: false,
      helpText: null,
    });
    expect(sheet.conditionalFormatRules).toHaveLength(1);
  });

  it("manages sheets: insert, find, activate and the duplicate-name error", () => {
    const host = hostWith(`
      function run() {
        var ss = SpreadsheetApp.getActive();
        var s = ss.insertSheet("Runs");
        var dup;
        try { ss.insertSheet("Runs"); } catch (e) { dup = e.message; }
        ss.setActiveSheet(ss.getSheets()[0]);
        return [ss.getSheets().map(function (x) { return x.getName(); }), ss.getSheetByName("Nope"),
          SpreadsheetApp.getActiveSheet().getName(), s.getSheetId() !== 0, dup, ss.getSpreadsheetTimeZone()];
      }`);
    expect(ok(host.run("run"))).toEqual([
      ["Sheet1", "Runs"],
      null,
      "Sheet1",
      true,
      'A sheet with the name "Runs" already exists. Please enter another name.',
      "Europe/Berlin",
    ]);
  });

  it("exposes the user's selection through getActiveRange and getSelection", () => {
    const host = hostWith(`
      function run() {
        var sel = SpreadsheetApp.getSelection();
        return [SpreadsheetApp.getActiveRange().getA1Notation(),
          sel.getActiveRangeList().getRanges().map(function (r) { return r.getA1Notation(); }),
          sel.getActiveSheet().getName(), sel.getCurrentCell().getA1Notation()];
      }`);
    expect(ok(host.run("run"))).toEqual(["A1", ["A1"], "Sheet1", "A1"]);
    host.spreadsheet.addSheet("Data");
    host.spreadsheet.select("Data", "B2:C4", "E5");
    expect(ok(host.run("run"))).toEqual(["B2:C4", ["B2:C4", "E5"], "Data", "B2"]);
  });
});

describe("CSV import and export", () => {
  const csv = [
    "id,name,due,done,amount,total,code",
    '1,"Smith, Jane",2026-04-12,TRUE,1.5,=SUM(E2:E3),\'007',
    '2,"two\nlines ""quoted""",2026-04-12 10:30:00,false,"1,234",,042',
  ].join("\n");

  it("types cells as a Sheets import does", () => {
    const host = new GasHost({ scriptCode: "" });
    host.loadCsv(csv, "Data");
    const sheet = host.spreadsheet.sheet("Data");
    const [header, first, second] = sheet.values();
    expect(header).toEqual(["id", "name", "due", "done", "amount", "total", "code"]);
    expect(first?.[0]).toBe(1);
    expect(first?.[1]).toBe("Smith, Jane");
    expect(first?.[2]).toEqual(new Date("2026-04-11T22:00:00.000Z"));
    expect(first?.slice(3, 5)).toEqual([true, 1.5]);
    expect(sheet.cell(2, 6)?.formula).toBe("=SUM(E2:E3)");
    expect(first?.[6]).toBe("007");
    expect(second?.[1]).toBe('two\nlines "quoted"');
    expect(second?.[2]).toEqual(new Date("2026-04-12T08:30:00.000Z"));
    expect(second?.slice(3)).toEqual([false, 1234, "", 42]);
  });

  it("uses the spreadsheet time zone for dates", () => {
    const host = new GasHost({ scriptCode: "", timeZone: "America/New_York" });
    host.loadCsv("d\n2026-01-15\n", "Data");
    expect(host.spreadsheet.sheet("Data").values()[1]?.[0]).toEqual(new Date("2026-01-15T05:00:00.000Z"));
  });

  it("exports display-ish values with quoting, formulas as text and dates in the sheet zone", () => {
    const host = new GasHost({ scriptCode: "" });
    host.loadCsv(csv, "Data");
    expect(host.toCsv("Data")).toBe(
      [
        "id,name,due,done,amount,total,code",
        '1,"Smith, Jane",2026-04-12,TRUE,1.5,=SUM(E2:E3),007',
        '2,"two\nlines ""quoted""",2026-04-12 10:30:00,FALSE,1234,,42',
        "",
      ].join("\n"),
    );
  });

  it("reads a CSV file from disk and replaces an existing sheet", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "gas-host-")), "in.csv");
    writeFileSync(file, "a,b\r\n1,2\r\n");
    const host = new GasHost({ scriptCode: "" });
    host.loadCsv("x\n9\n", "Sheet1");
    host.loadCsv(file, "Sheet1");
    expect(host.spreadsheet.sheet("Sheet1").values()).toEqual([
      ["a", "b"],
      [1, 2],
    ]);
    expect(host.spreadsheet.sheets).toHaveLength(1);
  });
});
