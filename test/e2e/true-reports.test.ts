// True reports at the end of each job (issue 16, point 4), end to end through the built bundle in the local host:
// what the summary, the cells and the run log say must be what the job did.
import { describe, expect, it } from "vitest";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, lastAlert, records, runIds, SHEET, useExtend } from "./harness.js";

const HEADER = ["Run ID", "Name", "metadata.team", "Tags"];
const e2e = useExtend();

const rowsFor = (ids: string[]) => [HEADER, ...ids.map((id, index) => [id, `Run ${index}`, "ops", "prod"])];

describe("Sync selected rows: a Run ID also outside the selection", () => {
  it("refuses the selected row, names the other row, and never blames it in the summary or the run log", async () => {
    const ids = runIds(40);
    const rows = rowsFor(ids);
    // Row 37 holds row 6's run id.
    const row37 = rows[36];
    if (row37) row37[0] = ids[4] ?? "";
    const host = e2e.newHost({ rows });
    host.spreadsheet.select(SHEET, "A6:D6");
    clickAndFinish(host, "Sync selected rows");

    expect((await e2e.extend.stats()).updateRequests).toHaveLength(0);
    const after = records(host);
    expect(after[4]?.["Sync Result"]).toBe("Invalid");
    expect(String(after[4]?.["Sync Error"])).toContain(`Run ID ${ids[4]} is also on row 37`);
    // Row 37 is outside the job: nothing written to it.
    expect(after[35]?.["Sync Result"]).toBe("");
    expect(after[35]?.["Sync Error"]).toBe("");
    const summary = lastAlert(host);
    expect(summary).toMatch(/^Sync finished: 0 updated, 0 failed, 1 invalid/);
    expect(summary).not.toContain("37");
    const log = records(host, "Extend Sync Log")[0] ?? {};
    expect(log).toMatchObject({ Invalid: 1, "Rows Not Synced": "", "Rows Deleted During Sync": 0 });
    expect(columns(host)["Sync Result"]?.filter((value) => value !== "")).toEqual(["Invalid"]);
  });
});
