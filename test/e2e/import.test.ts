// Importing runs end to end: the built bundle in the local Apps Script host pages through the stand-in's List
// over HTTP with each filter, writes a new sheet in the sheet contract's layout, and continues across
// executions like a long sync, without writing a run twice when an execution is killed after an append.
import { describe, expect, it } from "vitest";
import { startAndFinish } from "../../dev/local-run.js";
import { listRuns } from "../../dev/stand-in/list.js";
import { generateSeededRuns } from "../../dev/stand-in/runs.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { importedSheet, records, useExtend } from "./harness.js";

const RUNS = 10_500;
const PAGE = 7;
const seeded = generateSeededRuns(RUNS);

const e2e = useExtend({ runCount: RUNS });

/** What List returns for these filters, every page read in process: the ids an import must write, in order. */
function expectedIds(filters: Record<string, string>, max?: number): string[] {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({
      ...filters,
      maxPageSize: "100",
      ...(token ? { nextPageToken: token } : {}),
    });
    const page = listRuns(seeded.values(), query);
    if (!page.ok) throw new Error(page.message);
    for (const run of page.value.data) ids.push(run.id);
    token = page.value.nextPageToken;
  } while (token && (max === undefined || ids.length < max));
  return max === undefined ? ids : ids.slice(0, max);
}

const form = importForm;

describe("Import runs", () => {
  const someRun = seeded.get([...seeded.keys()][3] ?? "") as StoredRun;
  it.each<[string, Record<string, string>, number | undefined]>([
    ["status", { status: "FAILED" }, 60],
    ["workflow id", { workflowId: someRun.workflow.id }, 60],
    ["batch id (to the last page)", { batchId: someRun.batchId ?? "" }, undefined],
    ["file name contains", { fileNameContains: "invoice" }, 60],
    ["sort by update time, oldest first, at most 40", { sortBy: "updatedAt", sortDir: "asc" }, 40],
    ["status and workflow together", { status: "PROCESSED", workflowId: someRun.workflow.id }, 30],
  ])("pages through List by %s, sending the filters with every page", async (_label, filters, max) => {
    await e2e.extend.configure({ maxPageSize: PAGE });
    const expected = expectedIds(filters, max);
    expect(expected.length).toBeGreaterThan(PAGE);
    const host = e2e.newHost({ rows: [["Notes"]] });
    startAndFinish(host, "startImportJob", [form({ ...filters, ...(max ? { max: String(max) } : {}) })]);

    const rows = records(host, importedSheet(host));
    expect(rows.map((row) => row["Run ID"])).toEqual(expected);
    const { listQueries } = await e2e.extend.stats();
    expect(listQueries.length).toBe(Math.ceil(expected.length / PAGE));
    for (const query of listQueries) {
      const params = new URLSearchParams(query);
      for (const [key, value] of Object.entries(filters)) expect(params.get(key)).toBe(value);
      expect(Number(params.get("maxPageSize"))).toBeLessThanOrEqual(100);
    }
    // Later pages carry the cursor of the one before.
    expect(listQueries.slice(1).every((query) => new URLSearchParams(query).has("nextPageToken"))).toBe(true);
  });

  it("writes the sheet contract's layout, ready to edit and sync, in a new sheet", async () => {
    const host = e2e.newHost({ rows: [["Notes"]] });
    startAndFinish(host, "startImportJob", [form({ status: "FAILED", max: "5" })]);
    const name = importedSheet(host);
    const [header = []] = host.spreadsheet.sheet(name).values();
    expect(header).toEqual([
      "Run ID",
      "Name",
      "Tags",
      "Dashboard Link",
      "Run Status",
      "Workflow",
      "Workflow ID",
      "Batch ID",
      "File Names",
      "Created At",
      "Updated At",
      "Credits",
      "Sync Result",
      "Synced At",
      "Sync Error",
      "Sync State",
    ]);
    const rows = records(host, name);
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      const run = seeded.get(String(row["Run ID"])) as StoredRun;
      expect(row).toMatchObject({
        Name: "",
        Tags: "",
        "Run Status": "FAILED",
        Workflow: run.workflow.name,
        "Workflow ID": run.workflow.id,
        "Batch ID": run.batchId ?? "",
        "File Names": run.files.map((file) => file.name).join(", "),
        Credits: run.usage?.credits ?? "",
      });
      expect(row["Created At"]).toEqual(new Date(run.createdAt));
    }
    // The sheet the person was on is untouched, and the log says what was imported.
    expect(host.spreadsheet.sheet("Runs").values()).toEqual([["Notes"]]);
    const log = records(host, "Extend Sync Log");
    expect(log[0]).toMatchObject({ Kind: "Import", Ended: "Finished", Rows: "status FAILED, at most 5" });

    // The imported sheet syncs as it is: fill in a name and sync.
    const sheet = host.spreadsheet.sheet(name);
    sheet.setValues("B2", [["Imported and renamed"]]);
    host.spreadsheet.select(name, "A1");
    startAndFinish(host, "startSyncJob", [{ selectedRowsOnly: false, force: false }]);
    expect(records(host, name)[0]?.["Sync Result"]).toBe("Updated");
    expect((await e2e.extend.getRun(String(rows[0]?.["Run ID"])))?.name).toBe("Imported and renamed");
  });

  it("imports 10,500 runs over several executions, none twice although an execution is killed after an append", async () => {
    const host = e2e.newHost({ rows: [["Notes"]], rate: 20, executionLimitSeconds: 2 });
    let appends = 0;
    const run = startAndFinish(host, "startImportJob", [form({})], {
      executionLimitMs: 2_000,
      killWhen: (execution) =>
        execution === 1
          ? (call) => {
              // Killed right after the second page's rows were written, before its cursor was saved.
              if (call.key === "Range.setValues") appends += 1;
              return appends === 3 && call.key.startsWith("Properties.");
            }
          : undefined,
    });
    expect(run.killed).toBe(1);
    // 105 pages at 20 a second take over 5 s, at most about 1.5 s of them per execution.
    expect(run.executions.length).toBeGreaterThanOrEqual(3);
    const ids = records(host, importedSheet(host)).map((row) => row["Run ID"]);
    expect(ids).toHaveLength(RUNS);
    expect(new Set(ids).size).toBe(RUNS);
    expect(ids).toEqual(expectedIds({}));
    const { listQueries } = await e2e.extend.stats();
    expect(listQueries.length).toBeGreaterThan(RUNS / 100);
    // Sheets' limit is 10 million cells per spreadsheet: the import sheet holds no more columns than it needs.
    const sheet = host.spreadsheet.sheet(importedSheet(host));
    expect(sheet.maxColumns).toBe(16);
    expect(sheet.maxRows).toBeLessThan(RUNS + 1_000);
    expect([...sheet.hiddenColumns]).toEqual([16]);
  }, 120_000);

  it("stops with the runs read so far when the spreadsheet would pass 10 million cells, and says what to do", async () => {
    const host = e2e.newHost({ rows: [["Notes"]] });
    // Another sheet already takes 9.9 million cells: room is left for about 3,000 imported rows.
    const big = host.spreadsheet.addSheet("Archive");
    big.maxRows = 396_000;
    big.maxColumns = 25;
    const run = startAndFinish(host, "startImportJob", [form({})]);
    const rows = records(host, importedSheet(host));
    expect(rows.length).toBeGreaterThan(2_000);
    expect(rows.length).toBeLessThan(RUNS);
    const returned = run.executions.at(-1)?.returned as {
      state: string;
      message: string;
      logFailure: string;
    };
    expect(returned.state).toBe("stopped");
    expect(returned.message).toMatch(
      /^SHEET_FULL: .*10000000 cells.* What to do: Sheets would not take more rows: .* Import fewer runs .* runs read before are in the sheet "Extend runs /,
    );
    // Not even the run log has room left; the answer says so.
    expect(returned.logFailure).toMatch(/^The run log could not be written \(.*10000000 cells/);
  });
});
