// The defects an audit found, each reproduced end to end with the built bundle in the local host against the
// stand-in: the key in server text, cells over Sheets' limit, "Unchanged" after an ambiguous failure, results
// that could not be written, rows left out of a sync, another run's outputs, and tags edited during a pause.
import { describe, expect, it } from "vitest";
import { columnLetters, type GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish, syncUnfinished } from "../../dev/local-run.js";
import {
  API_KEY,
  columns,
  everythingVisible,
  lastAlert,
  records,
  runIds,
  SHEET,
  useExtend,
} from "./harness.js";

const HEADER = ["Run ID", "Name", "metadata.team", "Tags"];
const CELL_LIMIT = 50_000;

const e2e = useExtend({ runCount: 200 });

const rowsFor = (ids: string[]) => [HEADER, ...ids.map((id, index) => [id, `Run ${index}`, "ops", "prod"])];

/** Continues from the menu, as a user without the sidebar would, so the last alert is the final summary. */
function continueFromMenuUntilDone(target: GasHost): void {
  for (let clicks = 0; syncUnfinished(target); clicks++) {
    if (clicks > 50) throw new Error("the sync did not finish");
    target.clickMenuItem("Continue paused sync");
  }
}

describe("server text never carries the key into the sheet, an alert, the log or the saved job", () => {
  it("scrubs the key and bearer tokens from error messages, HTML pages and the stop reason", async () => {
    const [a = "", b = "", c = "", d = ""] = runIds(4);
    await e2e.extend.setFaults([
      {
        kind: "status",
        status: 400,
        message: `Key ${API_KEY} rejected; header was Authorization: Bearer ${API_KEY}`,
        match: { runId: a },
      },
      {
        kind: "custom",
        status: 422,
        contentType: "text/html",
        body: `<html><body>Bearer ${API_KEY} is not allowed</body></html>`,
        match: { runId: b },
      },
      { kind: "status", status: 401, message: `Invalid API key ${API_KEY}.`, match: { runId: c } },
    ]);
    const host = e2e.newHost({ rows: rowsFor([a, b, c, d]), rate: 1 });
    clickAndFinish(host, "Sync all rows");

    expect(everythingVisible(host)).not.toContain(API_KEY);
    for (const value of host.documentProperties.values()) expect(value).not.toContain(API_KEY);
    const errors = columns(host)["Sync Error"] ?? [];
    expect(String(errors[0])).toContain("Bearer [redacted]");
    expect(lastAlert(host)).toMatch(/^Sync stopped: /);
  });
});

describe("cells stay within Sheets' 50,000-character limit", () => {
  it("cuts a huge run status, dashboard link and tag-change list, and the sync finishes", async () => {
    const [a = "", b = ""] = runIds(2);
    const huge = "S".repeat(60_000);
    await e2e.extend.setFaults([
      {
        kind: "custom",
        apply: true,
        body: JSON.stringify({
          object: "workflow_run",
          id: a,
          status: huge,
          dashboardUrl: `https://dashboard.extend.ai/${"x".repeat(60_000)}`,
        }),
        match: { runId: a },
      },
    ]);
    const manyDroppedTags = `ok,${"!!!,".repeat(12_000)}`;
    const host = e2e.newHost({
      rows: [HEADER, [a, "big", "ops", "prod"], [b, "tags", "ops", manyDroppedTags]],
    });
    clickAndFinish(host, "Sync all rows");

    expect(lastAlert(host)).toMatch(/^Sync finished: 2 updated/);
    for (const row of host.spreadsheet.sheet(SHEET).values())
      for (const cell of row) expect(String(cell).length).toBeLessThanOrEqual(CELL_LIMIT);
    const results = columns(host)["Sync Result"] ?? [];
    expect(String(results[0])).toBe("Updated");
    expect(String(results[1])).toMatch(/^Updated; tags: /);
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(2);
  });
});

describe("Unchanged is a promise that Extend holds what the row asks for", () => {
  it("sends a row again after a failure that may have reached Extend, even when its values went back", async () => {
    const [a = ""] = runIds(1);
    const host = e2e.newHost({ rows: rowsFor([a]) });
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Updated"]);

    host.spreadsheet.sheet(SHEET).setValues("B2", [["Renamed"]]);
    await e2e.extend.setFaults([{ kind: "drop-after-apply", times: "unlimited", match: { runId: a } }]);
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Failed"]);
    expect((await e2e.extend.getRun(a))?.name).toBe("Renamed");

    await e2e.extend.setFaults([]);
    host.spreadsheet.sheet(SHEET).setValues("B2", [["Run 0"]]);
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Updated"]);
    expect((await e2e.extend.getRun(a))?.name).toBe("Run 0");
  }, 60_000);
});

describe("results that cannot be written now are written later", () => {
  it("pauses instead of finishing when the header row changes during the last batch", async () => {
    const ids = runIds(10);
    const host = e2e.newHost({ rows: rowsFor(ids) });
    const target = host;
    let deleted = false;
    const first = target.clickMenuItem("Sync all rows", {
      onServiceCall: (call) => {
        if (!deleted && call.key === "UrlFetchApp.fetchAll") {
          deleted = true;
          const sheet = target.spreadsheet.sheet(SHEET);
          const header = sheet.values()[0] ?? [];
          sheet.deleteColumns(header.indexOf("Dashboard Link") + 1, 1);
        }
      },
    });
    expect(first.error).toBeUndefined();
    expect(lastAlert(host)).toMatch(/^Sync paused/);

    clickAndFinish(host, "Continue paused sync");
    expect(columns(host)["Sync Result"]).toEqual(Array(10).fill("Updated"));
    expect(columns(host)["Dashboard Link"]).toEqual(
      ids.map((id) => `https://dashboard.extend.ai/workflows/${id}`),
    );
    expect(records(host, "Extend Sync Log")[0]).toMatchObject({
      Ended: "Finished",
      "Rows Deleted During Sync": 0,
    });
  });
});

describe("rows a sync could not follow are named, not counted as deleted", () => {
  it("tells a corrected Run ID and a cleared Sync State cell apart from a deleted row", async () => {
    const ids = runIds(40);
    const spare = runIds(41)[40] ?? "";
    const host = e2e.newHost({ rows: rowsFor(ids), rate: 10, executionBudgetSeconds: 1 });
    host.clickMenuItem("Sync all rows");
    expect(lastAlert(host)).toMatch(/^Sync paused/);

    const sheet = host.spreadsheet.sheet(SHEET);
    const header = sheet.values()[0] ?? [];
    const stateColumn = header.indexOf("Sync State") + 1;
    const waiting = records(host)
      .map((row, index) => ({ row: index + 2, result: row["Sync Result"] }))
      .filter((entry) => entry.result === "");
    const [corrected, cleared, deleted] = waiting.slice(-3).map((entry) => entry.row);
    sheet.setValues(`A${corrected}`, [[spare]]);
    sheet.setValues(`${columnLetters(stateColumn)}${cleared}`, [[""]]);
    sheet.deleteRows(deleted ?? 0, 1);

    continueFromMenuUntilDone(host);
    const summary = lastAlert(host);
    expect(summary).toMatch(/1 row deleted during the sync/);
    expect(summary).toContain(`row ${corrected}: its Run ID changed after the sync started`);
    expect(summary).toContain(`row ${cleared}:`);
    const log = records(host, "Extend Sync Log")[0];
    expect(log?.["Rows Deleted During Sync"]).toBe(1);
    expect(String(log?.["Rows Not Synced"])).toContain(`row ${corrected}`);
    expect(String(log?.["Rows Not Synced"])).toContain(`row ${cleared}`);
  });

  it("stops with a clear reason when the Sync State column was deleted during a pause", async () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(40)), rate: 10, executionBudgetSeconds: 1 });
    host.clickMenuItem("Sync all rows");
    const sheet = host.spreadsheet.sheet(SHEET);
    sheet.deleteColumns((sheet.values()[0] ?? []).indexOf("Sync State") + 1, 1);

    continueFromMenuUntilDone(host);
    expect(lastAlert(host)).toMatch(/^Sync stopped: .*Sync State column/);
    expect(records(host, "Extend Sync Log")[0]?.Ended).toMatch(/^Stopped: .*Sync State column/);
    // The stopping execution added nothing to the user's sheet; the next sync makes the column anew.
    expect(sheet.values()[0]).not.toContain("Sync State");
  });
});

describe("output cells belong to the row's current run", () => {
  it("blanks the status, time and link a copied row kept from another run when its own run fails", async () => {
    const [a = "", missing = "workflow_run_doesNotExist000000000"] = runIds(1);
    const host = e2e.newHost({ rows: rowsFor([a]) });
    clickAndFinish(host, "Sync all rows");
    const sheet = host.spreadsheet.sheet(SHEET);
    const synced = sheet.values()[1] ?? [];
    sheet.setValues("A3", [[missing, ...synced.slice(1)]], { raw: true });

    clickAndFinish(host, "Sync all rows");
    const copied = records(host)[1];
    expect(copied).toMatchObject({ "Run ID": missing, "Sync Result": "Failed", "Run Status": "" });
    expect(copied?.["Synced At"]).toBe("");
    expect(copied?.["Dashboard Link"]).toBe("");
    expect(String(copied?.["Sync Error"])).toMatch(/^NOT_FOUND/);
  });
});

describe("tag changes are never sent without the confirmation they need", () => {
  it("marks a row whose tags were edited during a pause into ones Extend would change as Invalid", async () => {
    const ids = runIds(40);
    const host = e2e.newHost({ rows: rowsFor(ids), rate: 10, executionBudgetSeconds: 1 });
    host.clickMenuItem("Sync all rows");
    const lastRow = 41;
    host.spreadsheet.sheet(SHEET).setValues(`D${lastRow}`, [["customer 9"]]);

    clickAndFinish(host, "Continue paused sync");
    const row = records(host)[lastRow - 2];
    expect(row?.["Sync Result"]).toBe("Invalid");
    expect(String(row?.["Sync Error"])).toContain('"customer 9" is sent as "customer9"');
    const sent = (await e2e.extend.stats()).updateRequests.map((request) => request.runId);
    expect(sent).not.toContain(ids[39]);
    expect(sent).toHaveLength(39);
  });
});

describe("Apps Script's own refusals", () => {
  it("slows down and finishes after the burst quota refuses whole fetchAll calls, sending nothing twice", async () => {
    const ids = runIds(12);
    const host = e2e.newHost({ rows: rowsFor(ids), rate: 10 });
    host.injectUrlFetchBurstErrors(2);
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(Array(12).fill("Updated"));
    const stats = await e2e.extend.stats();
    expect(Object.values(stats.updatesByRunId)).toEqual(Array(12).fill(1));
    expect(records(host, "Extend Sync Log")[0]?.["Requests Sent"]).toBe(12);
  });
});

describe("smaller defects", () => {
  it("finishes a sync whose run log cannot be written, and says so", async () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(3)) });
    const result = host.clickMenuItem("Sync all rows", {
      onServiceCall: (call) => {
        if (call.key === "Spreadsheet.insertSheet") throw new Error("Service Spreadsheets failed");
      },
    });
    expect(result.error).toBeUndefined();
    expect(lastAlert(host)).toMatch(/^Sync finished: 3 updated/);
    expect(lastAlert(host)).toMatch(/run log could not be written/i);
    expect(columns(host)["Sync Result"]).toEqual(Array(3).fill("Updated"));
  });

  it("releases the document lock when the commit before its release throws, and reports the failure", async () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(3)) });
    const target = host;
    // The commit made under the lock after the job is saved (the lock's own flush) fails, as a Sheets outage
    // or a refused write would make it fail.
    let jobJustSaved = false;
    let failedCommit = false;
    let releasedAfterIt = false;
    const result = target.clickMenuItem("Sync all rows", {
      onServiceCall: (call) => {
        if (call.key === "Lock.releaseLock" && failedCommit) releasedAfterIt = true;
        if (call.key === "SpreadsheetApp.flush" && jobJustSaved && target.locks.holder("document")) {
          failedCommit = true;
          throw new Error("Service error: Spreadsheets");
        }
        // A new job is saved with its row marks in one setProperties, a running one with setProperty.
        if (call.service === "Properties")
          jobJustSaved = call.method === "setProperty" || call.method === "setProperties";
        else jobJustSaved = false;
      },
    });
    expect(failedCommit).toBe(true);
    expect(releasedAfterIt).toBe(true);
    expect(result.error?.message).toBe("Service error: Spreadsheets");
    expect(syncUnfinished(host)).toBe(true);
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(0);
  });

  it("asks whether a row is hidden by a filter only for rows with data", async () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(20)) });
    const sheet = host.spreadsheet.sheet(SHEET);
    sheet.filter = { hiddenRows: new Set([5]) };
    host.spreadsheet.select(SHEET, "A1:A1000");
    const result = host.clickMenuItem("Sync selected rows");
    expect(result.calls["Sheet.isRowHiddenByFilter"] ?? 0).toBeLessThanOrEqual(20);
    expect(columns(host)["Sync Result"]?.filter((value) => value === "Updated")).toHaveLength(19);
  });

  it("never appends to a sheet the user already named Extend Sync Log", async () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(2)) });
    host.spreadsheet.addSheet("Extend Sync Log").setValues("A1", [["My notes"], ["keep me"]], { raw: true });
    clickAndFinish(host, "Sync all rows");
    expect(host.spreadsheet.sheet("Extend Sync Log").values()).toEqual([["My notes"], ["keep me"]]);
    const logs = host.spreadsheet.sheets.filter((sheet) => sheet.name.startsWith("Extend Sync Log"));
    expect(logs).toHaveLength(2);
  });

  it("sends a metadata key named __proto__ as an ordinary key", async () => {
    const [a = ""] = runIds(1);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "metadata.__proto__"],
        [a, "value"],
      ],
    });
    clickAndFinish(host, "Sync all rows");
    const sent = (await e2e.extend.stats()).updateRequests[0]?.body as { metadata?: Record<string, unknown> };
    expect(Object.keys(sent?.metadata ?? {})).toEqual(["__proto__"]);
  });

  it("puts a full stop between Extend's message and what to do", async () => {
    const [a = ""] = runIds(1);
    await e2e.extend.setFaults([
      { kind: "status", status: 422, message: "name is too long", match: { runId: a } },
    ]);
    const host = e2e.newHost({ rows: rowsFor([a]) });
    clickAndFinish(host, "Sync all rows");
    expect(String(columns(host)["Sync Error"]?.[0])).toMatch(
      /^INVALID_REQUEST: name is too long\. What to do: /,
    );
  });
});
