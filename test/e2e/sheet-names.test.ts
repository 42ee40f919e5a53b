// Sheets the add-on makes for itself (the run log, a set-up sheet) when the user already has a sheet whose name
// differs only in case: Sheets refuses a second such name, so the add-on must pick the next free one. Run under
// both answers to whether getSheetByName minds case (Google does not say).
import { describe, expect, it } from "vitest";
import type { GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, lastAlert, runIds, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 20 });

const LOOKUPS = ["exact", "any-case"] as const;

function sheetNames(host: GasHost): string[] {
  return host.spreadsheet.sheets.map((sheet) => sheet.name);
}

describe.each(LOOKUPS)("sheet names differing only in case (getSheetByName: %s)", (sheetNameLookup) => {
  it("writes the run log beside the user's own 'extend sync log' sheet", () => {
    const [a = ""] = runIds(1);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name"],
        [a, "Renamed"],
      ],
      platform: { sheetNameLookup },
    });
    host.spreadsheet.addSheet("extend sync log").setValues("A1", [["my own notes"]]);
    clickAndFinish(host, "Sync all rows");

    expect(lastAlert(host)).toMatch(/^Sync finished: 1 updated/);
    expect(lastAlert(host)).not.toMatch(/run log could not be written/i);
    expect(sheetNames(host)).toContain("Extend Sync Log (2)");
    expect(host.spreadsheet.sheet("extend sync log").values()).toEqual([["my own notes"]]);
    expect(columns(host, "Extend Sync Log (2)")["Sync ID"]).toHaveLength(1);
  });

  it("takes over an empty sheet under the log's name, as a killed execution leaves one, instead of a second log", () => {
    const [a = ""] = runIds(1);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name"],
        [a, "Renamed"],
      ],
      platform: { sheetNameLookup },
    });
    host.spreadsheet.addSheet("Extend Sync Log");
    clickAndFinish(host, "Sync all rows");

    expect(lastAlert(host)).toMatch(/^Sync finished: 1 updated/);
    expect(sheetNames(host).filter((name) => name.startsWith("Extend Sync Log"))).toEqual([
      "Extend Sync Log",
    ]);
    expect(columns(host, "Extend Sync Log")["Sync ID"]).toHaveLength(1);
  });

  it("sets up a new sheet beside the user's own 'EXTEND SYNC' sheet", () => {
    const host = e2e.newHost({
      rows: [
        ["Invoice", "Amount"],
        ["INV-1", 10],
      ],
      platform: { sheetNameLookup },
    });
    host.spreadsheet.addSheet("EXTEND SYNC").setValues("A1", [["mine"]]);
    host.spreadsheet.select("Runs", "A1");
    const result = host.runFromClient("setUpSheetFromSidebar");

    expect(result.error).toBeUndefined();
    expect(result.returned).toMatchObject({
      ok: true,
      value: { createdSheet: true, sheetName: "Extend Sync 2" },
    });
    expect(host.spreadsheet.sheet("EXTEND SYNC").values()).toEqual([["mine"]]);
  });
});
