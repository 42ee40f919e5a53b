// Results Sheets refuses to write: a "reject input" data validation rule on an output column, or an output column
// protected against the user. Whether Apps Script throws at the write or only when the queued writes are
// committed is not documented, so every test runs under both timings: the row-by-row fallback must run either
// way, and no refused row may be lost silently (it is marked, named and not sent again).
import { describe, expect, it } from "vitest";
import { clickAndFinish } from "../../dev/local-run.js";
import { OUTPUT_COLUMN_NAMES } from "../support/columns.js";
import { columns, lastAlert, SHEET, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 10 });

const HEADER = ["Run ID", "Name", ...OUTPUT_COLUMN_NAMES];
const STATUSES = ["PROCESSED", "FAILED", "PROCESSED", "NEEDS_REVIEW", "PROCESSED", "CANCELLED"];
const ids = STATUSES.map((_, index) => `workflow_run_refusedWrite${index}`);

const rows = () => [HEADER, ...ids.map((id, index) => [id, `Renamed ${index}`])];

async function addRuns(): Promise<void> {
  await e2e.extend.addRuns(ids.map((id, index) => ({ id, status: STATUSES[index] })));
}

describe.each(["at-write", "at-flush"] as const)("results Sheets refuses (%s)", (refusedWriteTiming) => {
  it("writes a short note where a reject-input rule refuses a row's status, and every other result in full", async () => {
    await addRuns();
    const host = e2e.newHost({ rows: rows(), platform: { refusedWriteTiming } });
    host.spreadsheet.sheet(SHEET).validate("D2:D50", {
      criteria: "VALUE_IN_LIST",
      values: [["PROCESSED"], true],
      allowInvalid: false,
      helpText: null,
    });
    const run = clickAndFinish(host, "Sync all rows");

    expect(run.executions.every((execution) => execution.error === undefined)).toBe(true);
    expect(lastAlert(host)).toMatch(/^Sync finished: 6 updated, 0 failed/);
    const sheet = columns(host);
    expect(sheet["Sync Result"]).toEqual(Array(6).fill("Updated"));
    expect(sheet["Run Status"]).toEqual(STATUSES.map((status) => (status === "PROCESSED" ? status : "")));
    STATUSES.forEach((status, index) => {
      const error = String(sheet["Sync Error"]?.[index]);
      if (status === "PROCESSED") expect(error).toBe("");
      else
        expect(error).toBe(
          `RESULT_NOT_WRITTEN: The result could not be written to the sheet (The data you entered in cell D${index + 2} violates the data validation rules set on this cell.). Extend was updated. See "RESULT_NOT_WRITTEN" in the user guide.`,
        );
    });
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(6);
  });

  it("names every row whose result cannot be written at all, and sends none of them twice", async () => {
    await addRuns();
    const host = e2e.newHost({ rows: rows(), platform: { refusedWriteTiming } });
    host.spreadsheet.sheet(SHEET).protect("C:C");
    const run = clickAndFinish(host, "Sync all rows");

    expect(run.executions.every((execution) => execution.error === undefined)).toBe(true);
    expect(lastAlert(host)).toMatch(
      /6 rows were not synced, sync them again: row 2: .*result could not be written/,
    );
    expect(columns(host)["Sync Result"]).toEqual(Array(6).fill(""));
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(6);

    clickAndFinish(host, "Continue paused sync");
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(6);
  });

  it("finishes a sync whose run log is protected, and says the log could not be written", async () => {
    await addRuns();
    const host = e2e.newHost({ rows: rows(), platform: { refusedWriteTiming } });
    clickAndFinish(host, "Sync all rows");
    host.spreadsheet.sheet("Extend Sync Log").protect();
    host.spreadsheet.sheet(SHEET).setValues("B2", [["Renamed again"]]);
    const run = clickAndFinish(host, "Sync all rows");

    expect(run.executions.every((execution) => execution.error === undefined)).toBe(true);
    expect(lastAlert(host)).toMatch(
      /^Sync finished: 1 updated.*The run log could not be written \(You are trying to edit a protected cell/,
    );
  });
});
