// Writes Sheets refuses in the local host: a protected range the user may not edit, and a value a "reject input"
// data validation rule does not accept, under both answers to when the script hears of it (at the write, or at
// the next commit of the queued writes).
import { describe, expect, it } from "vitest";
import {
  GasHost,
  PROTECTED_MESSAGE,
  type RefusedWriteTiming,
  validationRefusedMessage,
} from "../../dev/gas-host/index.js";

const script = `
  function attempt(step) {
    try { step(); return "ok"; } catch (e) { return e.message; }
  }
  function write(a1, values) {
    var sheet = SpreadsheetApp.getActiveSheet();
    var wrote = attempt(function () { sheet.getRange(a1).setValues(values); });
    var flushed = attempt(function () { SpreadsheetApp.flush(); });
    return [wrote, flushed];
  }
  function writeThenRead(a1, values) {
    var sheet = SpreadsheetApp.getActiveSheet();
    sheet.getRange(a1).setValues(values);
    return attempt(function () { sheet.getLastRow(); });
  }
  function writeAndReturn(a1, values) {
    SpreadsheetApp.getActiveSheet().getRange(a1).setValues(values);
    return "returned";
  }
  function note(a1) {
    return attempt(function () { SpreadsheetApp.getActiveSheet().getRange(a1).setNote("x"); SpreadsheetApp.flush(); });
  }
  function appendRow(values) {
    return attempt(function () { SpreadsheetApp.getActiveSheet().appendRow(values); SpreadsheetApp.flush(); });
  }`;

const newHost = (refusedWriteTiming: RefusedWriteTiming) => {
  const host = new GasHost({ scriptCode: script, refusedWriteTiming });
  const sheet = host.spreadsheet.sheet("Sheet1");
  sheet.setValues("A1", [["id", "status", "note"]]);
  return { host, sheet };
};

const refusedAt = (timing: RefusedWriteTiming, message: string) =>
  timing === "at-write" ? [message, "ok"] : ["ok", message];

describe.each(["at-write", "at-flush"] as const)("refused writes (%s)", (timing) => {
  it("refuses a write into a protected range the user may not edit, writing nothing of the call", () => {
    const { host, sheet } = newHost(timing);
    sheet.protect("B:B");
    expect(host.run("write", ["A2:B2", [["a", "PROCESSED"]]]).returned).toEqual(
      refusedAt(timing, PROTECTED_MESSAGE),
    );
    expect(sheet.values()).toEqual([["id", "status", "note"]]);
    expect(host.run("write", ["A2:A2", [["a"]]]).returned).toEqual(["ok", "ok"]);
    expect(sheet.values()[1]).toEqual(["a", "", ""]);
    expect(host.run("note", ["B5"]).returned).toBe(PROTECTED_MESSAGE);
    expect(host.run("appendRow", [["x", "y"]]).returned).toBe(PROTECTED_MESSAGE);
  });

  it("lets an editor of the range, and anyone past a warning-only protection, write", () => {
    const { host, sheet } = newHost(timing);
    sheet.protect("B:B", { editors: ["tester@example.com"] });
    sheet.protect("C:C", { warningOnly: true });
    expect(host.run("write", ["B2:C2", [["PROCESSED", "n"]]]).returned).toEqual(["ok", "ok"]);
    expect(sheet.values()[1]).toEqual(["", "PROCESSED", "n"]);
  });

  it("refuses a value a reject-input rule does not accept, and takes one it does (or a blank)", () => {
    const { host, sheet } = newHost(timing);
    sheet.validate("B2:B9", {
      criteria: "VALUE_IN_LIST",
      values: [["PROCESSED", "FAILED"], true],
      allowInvalid: false,
      helpText: null,
    });
    expect(host.run("write", ["B3", [["CANCELLED"]]]).returned).toEqual(
      refusedAt(timing, validationRefusedMessage("B3")),
    );
    expect(host.run("write", ["B2:B4", [["FAILED"], [""], ["PROCESSED"]]]).returned).toEqual(["ok", "ok"]);
    expect(sheet.values().map((row) => row[1])).toEqual(["status", "FAILED", "", "PROCESSED"]);
  });

  it("lets a warning-only rule take any value", () => {
    const { host, sheet } = newHost(timing);
    sheet.validate("B2", {
      criteria: "NUMBER_GREATER_THAN",
      values: [10],
      allowInvalid: true,
      helpText: null,
    });
    expect(host.run("write", ["B2", [[5]]]).returned).toEqual(["ok", "ok"]);
  });
});

describe("a refused write under at-flush timing", () => {
  it("throws at the next read or metadata call instead of at the write", () => {
    const { host, sheet } = newHost("at-flush");
    sheet.protect("B:B");
    expect(host.run("writeThenRead", ["B2", [["x"]]]).returned).toBe(PROTECTED_MESSAGE);
  });

  it("fails the execution when nothing commits the queue before it ends", () => {
    const { host, sheet } = newHost("at-flush");
    sheet.protect("B:B");
    const result = host.run("writeAndReturn", ["B2", [["x"]]]);
    expect(result.error?.message).toBe(PROTECTED_MESSAGE);
    expect(result.returned).toBeUndefined();
  });
});
