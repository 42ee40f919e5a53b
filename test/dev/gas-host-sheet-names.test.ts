// Sheet names in the local host: unique regardless of case, as Sheets keeps them, and found by getSheetByName
// under each answer to the question Google leaves open (does case matter when looking a name up?).
import { describe, expect, it } from "vitest";
import { type ExecutionResult, GasHost } from "../../dev/gas-host/index.js";

const ok = (result: ExecutionResult): unknown => {
  expect(result.error).toBeUndefined();
  return result.returned;
};

const script = `
  function tryTo(action) {
    try { action(); return "ok"; } catch (e) { return e.message; }
  }
  function run() {
    var ss = SpreadsheetApp.getActive();
    var runs = ss.insertSheet("Extend runs");
    var other = ss.insertSheet("Other");
    return [
      tryTo(function () { ss.insertSheet("extend RUNS"); }),
      tryTo(function () { other.setName("EXTEND RUNS"); }),
      tryTo(function () { runs.setName("Extend Runs"); }),
      ss.getSheets().map(function (s) { return s.getName(); }),
    ];
  }
  function lookUp(name) {
    var sheet = SpreadsheetApp.getActive().getSheetByName(name);
    return sheet ? sheet.getName() : null;
  }`;

describe("sheet names", () => {
  it("refuses a second name that differs only in case, in insertSheet and setName, with Sheets' words", () => {
    const host = new GasHost({ scriptCode: script });
    expect(ok(host.run("run"))).toEqual([
      'A sheet with the name "extend RUNS" already exists. Please enter another name.',
      'A sheet with the name "EXTEND RUNS" already exists. Please enter another name.',
      "ok",
      ["Sheet1", "Extend Runs", "Other"],
    ]);
    expect(() => host.spreadsheet.addSheet("sheet1")).toThrow(/already exists/);
  });

  it("numbers a default name past a sheet that holds it in another case", () => {
    const host = new GasHost({
      scriptCode: "function run() { return SpreadsheetApp.getActive().insertSheet().getName(); }",
    });
    host.spreadsheet.addSheet("sheet2");
    expect(ok(host.run("run"))).toBe("Sheet3");
  });

  it.each([
    ["exact", null],
    ["any-case", "Extend runs"],
  ] as const)("getSheetByName under sheetNameLookup %s", (lookup, found) => {
    const host = new GasHost({ scriptCode: script, sheetNameLookup: lookup });
    host.spreadsheet.addSheet("Extend runs");
    expect(ok(host.run("lookUp", ["Extend runs"]))).toBe("Extend runs");
    expect(ok(host.run("lookUp", ["EXTEND RUNS"]))).toBe(found);
  });
});
