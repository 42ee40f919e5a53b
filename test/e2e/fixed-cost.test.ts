// A job's fixed cost (issue 16, point 2), counted through the built bundle in the local host with the cost model
// on: the service calls a small sync makes from its click to its end, by kind, so a call that creeps back into the
// start or the end of every job fails here. Counts, not times: each call's price is the cost model's.
import { describe, expect, it } from "vitest";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, runIds, TIMINGS, useExtend } from "./harness.js";

const HEADER = ["Run ID", "Name", "metadata.team", "Tags"];

describe("a small sync's fixed cost", () => {
  const e2e = useExtend({ runCount: 100, rate: 75, ...TIMINGS.modelOn });

  it("reads and writes the properties once each where it can, and asks Sheets nothing twice", () => {
    const ids = runIds(5);
    const host = e2e.newHost({
      ...TIMINGS.modelOn,
      rate: 75,
      rows: [HEADER, ...ids.map((id, index) => [id, `Run ${index}`, "ops", "prod"])],
    });
    const calls = new Map<string, number>();
    host.onServiceCall = (call) => calls.set(call.key, (calls.get(call.key) ?? 0) + 1);
    const run = clickAndFinish(host, "Sync all rows");
    host.onServiceCall = undefined;
    expect(run.executions).toHaveLength(1);
    expect(columns(host)["Sync Result"]).toEqual(Array(5).fill("Updated"));
    const count = (key: string) => calls.get(key) ?? 0;

    // Properties: the key with today's count (one user read), the settings (one document read), the job under
    // the lock at the start and at the end, the job with its marks in one write, the count saved once (its
    // read spared), and one delete to end the job (its marks stay under its id).
    expect({
      getProperties: count("Properties.getProperties"),
      getProperty: count("Properties.getProperty"),
      setProperties: count("Properties.setProperties"),
      setProperty: count("Properties.setProperty"),
      deleteProperty: count("Properties.deleteProperty"),
    }).toEqual({ getProperties: 2, getProperty: 2, setProperties: 1, setProperty: 1, deleteProperty: 1 });

    // Sheets: the start's read gives the sheet's size, so the new columns ask only how wide the grid is; the
    // last write reads the two columns the final scan needs, which then reads nothing. The run log is new.
    expect({
      getLastColumn: count("Sheet.getLastColumn"),
      getMaxColumns: count("Sheet.getMaxColumns"),
      getMaxRows: count("Sheet.getMaxRows"),
      getLastRow: count("Sheet.getLastRow"),
      getDataRange: count("Sheet.getDataRange"),
      getValues: count("Range.getValues"),
    }).toEqual({
      getLastColumn: 0,
      getMaxColumns: 1,
      getMaxRows: 0,
      getLastRow: 1,
      getDataRange: 1,
      getValues: 3,
    });
    // One lock at the start, one at the end; one batch, so no progress put delays anything.
    expect(count("Lock.tryLock")).toBe(2);
    expect(count("Cache.put")).toBe(0);
    expect(count("UrlFetchApp.fetchAll")).toBe(1);
  });
});
