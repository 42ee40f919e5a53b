// An import continued after its sheet's columns changed, end to end with the built bundle in the local host
// against the stand-in: every page is appended under its headers, found by name on every append; a deleted or
// renamed import column comes back at the right end; a lost Run ID column (or, with current values, a lost
// Sync State column) pauses the import with a message naming it, and putting it back lets the import go on.
import { describe, expect, it } from "vitest";
import type { GasHost } from "../../dev/gas-host/index.js";
import { clickAndFinish, syncUnfinished } from "../../dev/local-run.js";
import type { StoredRun } from "../../dev/stand-in/types.js";
import { importForm } from "../support/sidebar-fixtures.js";
import { importedSheet, records, TIMINGS, useExtend } from "./harness.js";

const e2e = useExtend({ runCount: 200, ...TIMINGS.modelOn });

/** Pages of 7 runs and one page per execution (a 1-second budget at 1 request a second): 30 runs take 5. */
const PAGE = 7;

/** Starts an import of 30 runs that pauses after its first page, as a long import does at its time limit. */
async function pausedImport(withCurrent: boolean): Promise<GasHost> {
  await e2e.extend.configure({ maxPageSize: PAGE });
  const host = e2e.newHost({ rows: [["Notes"]], rate: 1, executionBudgetSeconds: 1, ...TIMINGS.modelOn });
  const first = host.runFromClient("startImportJob", [importForm({ max: "30", withCurrent })]);
  expect(first.returned).toMatchObject({ state: "paused", counts: { imported: PAGE } });
  return host;
}

async function storedRun(id: unknown): Promise<StoredRun> {
  const run = await e2e.extend.getRun(String(id));
  if (!run) throw new Error(`no run ${String(id)}`);
  return run;
}

/** Every imported row holds its own run's facts under the right headers. */
async function expectRowsInPlace(rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) {
    const run = await storedRun(row["Run ID"]);
    expect(row).toMatchObject({ Name: "", Tags: "", "Run Status": run.status, Workflow: run.workflow.name });
    expect(String(row["Dashboard Link"])).toMatch(/^https:\/\//);
  }
}

describe("an import continued after its columns changed", () => {
  it("writes every later page under its headers after a column is inserted after Name, and refreshes every row", async () => {
    const host = await pausedImport(true);
    const name = importedSheet(host);
    const sheet = host.spreadsheet.sheet(name);
    sheet.insertColumns(2, 1);
    sheet.setValues("C1", [["metadata.customer"]]);

    clickAndFinish(host, "Continue paused sync");

    const rows = records(host, name);
    expect(rows).toHaveLength(30);
    await expectRowsInPlace(rows);
    expect(rows.every((row) => row["metadata.customer"] === "")).toBe(true);
    // The mark landed in Sync State, so the refresh after the listing read every row.
    expect(rows.every((row) => row["Refreshed At"] instanceof Date && row["Refresh Error"] === "")).toBe(
      true,
    );
    expect(rows.every((row) => /^v1 .*done=/.test(String(row["Sync State"])))).toBe(true);
    const log = records(host, "Extend Sync Log").at(-1);
    expect(log).toMatchObject({ Kind: "Import", Ended: "Finished", "Runs Read": 30, "Reads Failed": 0 });
  });

  it("adds a deleted or renamed import column back at the right end and fills it from then on", async () => {
    const host = await pausedImport(false);
    const name = importedSheet(host);
    const sheet = host.spreadsheet.sheet(name);
    // Workflow (column F) deleted; Run Status (now column E) renamed.
    sheet.deleteColumns(6, 1);
    sheet.setValues("E1", [["Status as imported"]]);

    clickAndFinish(host, "Continue paused sync");

    const [header = []] = sheet.values();
    expect(header.slice(-2)).toEqual(["Run Status", "Workflow"]);
    const rows = records(host, name);
    expect(rows).toHaveLength(30);
    expect(rows.map((row) => row["Status as imported"] !== "")).toEqual(rows.map((_, index) => index < PAGE));
    await expectRowsInPlace(rows.slice(PAGE));
    expect(records(host, "Extend Sync Log").at(-1)).toMatchObject({ Ended: "Finished" });
  });

  it("pauses with a message naming the Run ID column when it is gone, and goes on once it is back", async () => {
    const host = await pausedImport(false);
    const name = importedSheet(host);
    const sheet = host.spreadsheet.sheet(name);
    sheet.setValues("A1", [["Id"]]);
    const listed = (await e2e.extend.stats()).listQueries.length;

    // The sidebar's next step, then the menu's Continue: each says what to fix, and neither goes on.
    const answer = host.runFromClient("continueSyncJob", []).returned as { state: string; message: string };
    expect(answer).toMatchObject({ state: "paused", held: true });
    expect(answer.message).toMatch(/"Run ID".* The 7 runs read so far are in the sheet "Extend runs /);
    host.clickMenuItem("Continue paused sync");
    expect(host.ui.alerts.at(-1)?.prompt).toMatch(/^Import paused: .*"Run ID"/);
    expect(String(records(host, "Extend Sync Log").at(-1)?.Ended)).toMatch(/^Paused: .*"Run ID"/);
    // Nothing was asked of Extend while the import could not place what it read.
    expect((await e2e.extend.stats()).listQueries.length).toBe(listed);
    expect(syncUnfinished(host)).toBe(true);

    sheet.setValues("A1", [["Run ID"]]);
    clickAndFinish(host, "Continue paused sync");
    const rows = records(host, name);
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((row) => row["Run ID"])).size).toBe(30);
    expect(records(host, "Extend Sync Log").at(-1)).toMatchObject({ Ended: "Finished" });
  });

  it("with current values, pauses when the hidden Sync State column is gone, and goes on once it is back", async () => {
    const host = await pausedImport(true);
    const name = importedSheet(host);
    const sheet = host.spreadsheet.sheet(name);
    const [header = []] = sheet.values();
    const state = header.indexOf("Sync State") + 1;
    const marks = sheet.values().map((row) => row[state - 1]);
    sheet.deleteColumns(state, 1);

    clickAndFinish(host, "Continue paused sync");
    expect(String(records(host, "Extend Sync Log").at(-1)?.Ended)).toMatch(/^Paused: .*"Sync State"/);

    // Undo, as Sheets would: the column and its marks back where they were.
    sheet.insertColumns(state - 1, 1);
    sheet.setValues(
      sheetCell(state, 1),
      marks.map((mark) => [mark ?? ""]),
    );
    clickAndFinish(host, "Continue paused sync");
    const rows = records(host, name);
    expect(rows).toHaveLength(30);
    expect(rows.every((row) => row["Refreshed At"] instanceof Date)).toBe(true);
    expect(records(host, "Extend Sync Log").at(-1)).toMatchObject({ Ended: "Finished", "Runs Read": 30 });
  });
});

/** A1 notation of a 1-based column and row (the import sheet has fewer than 27 columns). */
function sheetCell(column: number, row: number): string {
  return `${String.fromCharCode(64 + column)}${row}`;
}
