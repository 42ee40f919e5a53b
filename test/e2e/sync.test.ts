// The main job end to end: the built bundle in the local Apps Script host, the menu clicked as a user would,
// the Extend stand-in answering over real HTTP; then both the sheet and the stand-in's stored runs are checked.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clickAndFinish } from "../../dev/local-run.js";
import { columns, lastAlert, records, runIds, SHEET, useExtend } from "./harness.js";

const EXAMPLE = join(import.meta.dirname, "../../examples/runs.csv");
const HEADER = ["Run ID", "Name", "metadata.team", "Tags"];

// A sync updates runs and never deletes one.
const e2e = useExtend({}, async (extend) => {
  expect((await extend.stats()).deletes).toBe(0);
});

/** Requests per batch at 10 requests/s: one second of the rate. */
const BATCH_AT_10 = 10;

function simpleRows(ids: string[]) {
  return [HEADER, ...ids.map((id, index) => [id, `Run ${index}`, "ops", "prod"])];
}

describe("Sync all rows", () => {
  it("leaves no job in the document's properties once it has finished, and its row marks only under its id", () => {
    const host = e2e.newHost({ rows: simpleRows(runIds(3)) });
    const jobKeys = () =>
      [...host.documentProperties.keys()].filter((key) => key.startsWith("extendSync.job")).sort();
    const marksJob = () => host.documentProperties.get("extendSync.jobMarks")?.split(" ")[0];
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(Array(3).fill("Updated"));
    // The job is removed with one delete; its marks stay, named by its id, which no later job has.
    expect(jobKeys()).toEqual(["extendSync.jobMarks"]);
    const first = marksJob();
    expect(first).toMatch(/^[0-9a-f]{8}$/);
    // The next job writes its own marks with itself, in the same write: the old ones never mislead it.
    clickAndFinish(host, "Sync all rows");
    expect(jobKeys()).toEqual(["extendSync.jobMarks"]);
    expect(marksJob()).not.toBe(first);
  });

  it("on an empty sheet, or one whose only cell is A1, sends nothing and says what the sheet lacks", async () => {
    // The sheet is read by its data range, which is A1 even on an empty sheet: one blank cell is no header.
    const empty = e2e.newHost({ rows: [] });
    clickAndFinish(empty, "Sync all rows");
    const onlyA1 = e2e.newHost({ rows: [["Run ID"]] });
    clickAndFinish(onlyA1, "Sync all rows");
    expect(String(lastAlert(empty))).toMatch(/^This sheet cannot be synced: No "Run ID" column/);
    expect(String(lastAlert(onlyA1))).toMatch(/^There are no rows to sync/);
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(0);
  });

  it("makes its output columns and the run log ready to the rows they hold: date formats, the state hidden", () => {
    const ids = runIds(3);
    const host = e2e.newHost({ rows: simpleRows(ids) });
    clickAndFinish(host, "Sync all rows");

    // The state column is hidden once the job is under way; each date gets its format as it is first written,
    // so the empty rows below are not formatted (each formatted cell is a cell committed).
    const sheet = host.spreadsheet.sheet(SHEET);
    const header = (sheet.values()[0] ?? []).map(String);
    const syncedAt = header.indexOf("Synced At") + 1;
    const state = header.indexOf("Sync State") + 1;
    expect(syncedAt).toBeGreaterThan(HEADER.length);
    expect([...sheet.hiddenColumns]).toEqual([state]);
    expect(sheet.hiddenColumns.size).toBe(1);
    for (const row of [2, 3, 4]) expect(sheet.cell(row, syncedAt)?.numberFormat).toBe("yyyy-mm-dd hh:mm:ss");
    for (const row of [1, 5, sheet.maxRows]) expect(sheet.cell(row, syncedAt)?.numberFormat).toBeUndefined();

    const log = host.spreadsheet.sheet("Extend Sync Log");
    expect(log.frozenRows).toBe(1);
    // Each log row formats its own time cell as it is written.
    expect(log.cell(2, 2)?.numberFormat).toBe("yyyy-mm-dd hh:mm:ss");
    for (const row of [1, 3, log.maxRows]) expect(log.cell(row, 2)?.numberFormat).toBeUndefined();
    // The first log row goes right under the header of the log just made.
    expect(records(host, "Extend Sync Log")).toHaveLength(1);
    expect(String(log.values()[1]?.[0] ?? "")).not.toBe("");

    // A format the person gives a date the add-on wrote is kept when the row is synced again; a row added later
    // gets the add-on's format with its first date.
    sheet.updateCell(2, syncedAt, (cell) => {
      cell.numberFormat = "dd.mm.yyyy";
    });
    sheet.enter(2, 2, "Run 0 renamed");
    sheet.setValues("A5:D5", [[runIds(4)[3] ?? "", "Run 3", "ops", "prod"]]);
    clickAndFinish(host, "Sync all rows");
    expect(columns(host)["Sync Result"]).toEqual(["Updated", "Unchanged", "Unchanged", "Updated"]);
    expect(sheet.cell(2, syncedAt)?.numberFormat).toBe("dd.mm.yyyy");
    expect(sheet.cell(5, syncedAt)?.numberFormat).toBe("yyyy-mm-dd hh:mm:ss");
    expect(sheet.cell(6, syncedAt)?.numberFormat).toBeUndefined();
  });

  it("updates valid rows with merged metadata and sanitized tags, and never sends invalid rows", async () => {
    const ids = runIds(50);
    const before = await e2e.extend.getRun(ids[0] ?? "");
    const host = e2e.newHost({ csvPath: EXAMPLE });
    const sheetBefore = host.spreadsheet.sheet(SHEET).values();

    clickAndFinish(host, "Sync all rows");

    const stats = await e2e.extend.stats();
    const rows = records(host);
    const sentIds = new Set(stats.updateRequests.map((request) => request.runId));
    for (const row of rows) {
      const result = String(row["Sync Result"]);
      if (result === "Invalid" || result === "Nothing to change")
        expect(sentIds.has(String(row["Run ID"]).trim())).toBe(false);
    }
    expect(rows.filter((row) => String(row["Sync Result"]).startsWith("Updated"))).toHaveLength(
      stats.updatesApplied,
    );
    expect(rows.filter((row) => row["Sync Result"] === "Invalid")).toHaveLength(6);
    expect(stats.updateRequests.every((request) => request.runId?.startsWith("workflow_run_"))).toBe(true);

    const stored = await e2e.extend.getRun(ids[0] ?? "");
    expect(stored?.name).toBe("ACME invoice 2026-04");
    expect(stored?.metadata).toEqual({
      ...before?.metadata,
      customer: "ACME Corp",
      invoiceTotal: 1250.5,
      approved: true,
      receivedOn: "2026-04-12",
      "extend:usage_tags": ["production", "team-eng", "customer123"],
    });
    expect(rows[0]?.["Sync Result"]).toBe('Updated; tags: "customer 123" is sent as "customer123"');
    expect(rows[0]?.["Dashboard Link"]).toBe(`https://dashboard.extend.ai/workflows/${ids[0]}`);
    expect(rows[0]?.["Synced At"]).toBeInstanceOf(Date);
    const tagAlert = host.ui.alerts.find((alert) => alert.title === "Extend will change some tags");
    expect(tagAlert?.prompt).toContain('Row 2: "customer 123" is sent as "customer123"');
    expect(lastAlert(host)).toMatch(
      /^Sync finished: 42 updated, 0 failed, 6 invalid, 0 unchanged, 2 with nothing to change\./,
    );

    const after = host.spreadsheet.sheet(SHEET).values();
    const inputWidth = (sheetBefore[0] ?? []).length;
    expect(after.map((row) => row.slice(0, inputWidth))).toEqual(
      sheetBefore.map((row) => row.slice(0, inputWidth)),
    );
  });

  it("sends nothing when the user declines the tag changes", async () => {
    const host = e2e.newHost({ csvPath: EXAMPLE });
    host.ui.answerNext({ button: "NO" });
    host.clickMenuItem("Sync all rows");
    expect((await e2e.extend.stats()).totalRequests).toBe(0);
    expect(columns(host)["Sync Result"]).toBeUndefined();
  });

  it("marks 404 and 422 rows with their errors while the other rows succeed", async () => {
    const ids = runIds(6);
    await e2e.extend.setFaults([
      { kind: "status", status: 422, code: "INVALID_REQUEST", match: { runId: ids[2] } },
    ]);
    const host = e2e.newHost({
      rows: simpleRows([...ids.slice(0, 4), "workflow_run_doesNotExist000000", ...ids.slice(4)]),
    });
    clickAndFinish(host, "Sync all rows");
    const rows = records(host);
    expect(rows.map((row) => row["Sync Result"])).toEqual([
      "Updated",
      "Updated",
      "Failed",
      "Updated",
      "Failed",
      "Updated",
      "Updated",
    ]);
    expect(String(rows[2]?.["Sync Error"])).toMatch(
      /^INVALID_REQUEST: .* What to do: Extend refused this row's values.*\(request id req_\w+\) See "INVALID_REQUEST" in the user guide\.$/,
    );
    expect(String(rows[4]?.["Sync Error"])).toMatch(/^NOT_FOUND: .* What to do: Check the Run ID/);
    expect(lastAlert(host)).toMatch(/5 updated, 2 failed/);
  });

  it("waits out 429 answers with Retry-After and ends with every row updated", async () => {
    await e2e.extend.configure({ rate: 4 });
    const ids = runIds(16);
    const host = e2e.newHost({ rows: simpleRows(ids), rate: 50 });
    clickAndFinish(host, "Sync all rows");
    const stats = await e2e.extend.stats();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(columns(host)["Sync Result"]).toEqual(Array(16).fill("Updated"));
    for (const id of ids) {
      const attempts = stats.updateRequests.filter((request) => request.runId === id);
      attempts.slice(1).forEach((attempt, index) => {
        const previous = attempts[index];
        if (previous?.status === 429)
          expect(attempt.receivedAt - previous.receivedAt).toBeGreaterThanOrEqual(950);
      });
    }
  });

  it("retries a 500 and then succeeds", async () => {
    const ids = runIds(3);
    await e2e.extend.setFaults([{ kind: "500-json", match: { runId: ids[1] } }]);
    const host = e2e.newHost({ rows: simpleRows(ids) });
    clickAndFinish(host, "Sync all rows");
    const attempts = (await e2e.extend.stats()).updateRequests.filter((request) => request.runId === ids[1]);
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    expect(columns(host)["Sync Result"]).toEqual(["Updated", "Updated", "Updated"]);
  });

  it("does not lose the other answers of a batch when one request's connection drops", async () => {
    const ids = runIds(8);
    await e2e.extend.setFaults([{ kind: "drop", match: { runId: ids[3] } }]);
    const host = e2e.newHost({ rows: simpleRows(ids) });
    clickAndFinish(host, "Sync all rows");
    const stats = await e2e.extend.stats();
    expect(stats.byStatus.dropped).toBe(1);
    expect(columns(host)["Sync Result"]).toEqual(Array(8).fill("Updated"));
    for (const id of ids) expect((await e2e.extend.getRun(id))?.name).toMatch(/^Run \d$/);
  });

  it("stops at a 401 with advice and leaves every unsent row untouched", async () => {
    const ids = runIds(30);
    await e2e.extend.setFaults([
      { kind: "status", status: 401, code: "UNAUTHORIZED", match: { runId: ids[14] } },
    ]);
    const host = e2e.newHost({ rows: simpleRows(ids), rate: 10 });
    clickAndFinish(host, "Sync all rows");
    const stats = await e2e.extend.stats();
    const sent = new Set(stats.updateRequests.map((request) => request.runId));
    const results = columns(host)["Sync Result"] ?? [];
    ids.forEach((id, index) => {
      if (!sent.has(id)) expect(results[index]).toBe("");
    });
    expect(ids.slice(20).some((id) => sent.has(id))).toBe(false);
    expect(results[14]).toBe("");
    expect(lastAlert(host)).toMatch(
      /^Sync stopped: UNAUTHORIZED: .* Set a valid key .*Rows not sent yet were left as they were/,
    );
  });

  it("stops at once when the organization is blocked for credits (402 USAGE_BLOCKED)", async () => {
    await e2e.extend.configure({ usageBlocked: true });
    const ids = runIds(25);
    const host = e2e.newHost({ rows: simpleRows(ids), rate: 10 });
    clickAndFinish(host, "Sync all rows");
    expect((await e2e.extend.stats()).updateRequests).toHaveLength(BATCH_AT_10);
    expect(columns(host)["Sync Result"]).toEqual(Array(25).fill(""));
    expect(lastAlert(host)).toMatch(/^Sync stopped: USAGE_BLOCKED: .*Ask an Extend admin to add credits/);
    expect(records(host, "Extend Sync Log")[0]?.Ended).toMatch(/^Stopped: USAGE_BLOCKED/);
  });

  it("stops when the Google account's daily UrlFetch quota runs out, leaving unsent rows as they were", async () => {
    const ids = runIds(30);
    const host = e2e.newHost({ rows: simpleRows(ids), rate: 10, urlFetchDailyQuota: 15 });
    clickAndFinish(host, "Sync all rows");
    // The second batch would pass the quota of 15: Apps Script refuses it whole, and the sync stops there.
    const sent = (await e2e.extend.stats()).updateRequests.length;
    expect(sent).toBe(BATCH_AT_10);
    const results = columns(host)["Sync Result"] ?? [];
    expect(results.filter((result) => result === "Updated")).toHaveLength(sent);
    expect(results.filter((result) => result === "")).toHaveLength(30 - sent);
    expect(lastAlert(host)).toMatch(
      /^Sync stopped: URLFETCH_QUOTA: .*sync again once it resets .*resets at \d\d:\d\d Europe\/Berlin/,
    );
  });

  it("changes no input cell or formula, and writes an API message that starts with = as text", async () => {
    const ids = runIds(4);
    await e2e.extend.setFaults([
      {
        kind: "status",
        status: 422,
        code: '=HYPERLINK("https://evil.example","x")',
        match: { runId: ids[1] },
      },
    ]);
    const host = e2e.newHost({
      rows: [[...HEADER, "Notes"], ...ids.map((id, index) => [id, `Run ${index}`, "ops", "prod", ""])],
    });
    const sheet = host.spreadsheet.sheet(SHEET);
    sheet.setFormula("B4", '=CONCAT("Run ", "2")', "Run 2");
    sheet.setFormula("E2", "=1+1", 2);
    const valuesBefore = sheet.values();
    const formulasBefore = sheet.formulas();

    clickAndFinish(host, "Sync all rows");

    const values = sheet.values();
    const formulas = sheet.formulas();
    expect(values.map((row) => row.slice(0, 5))).toEqual(valuesBefore.map((row) => row.slice(0, 5)));
    expect(formulas.map((row) => row.slice(0, 5))).toEqual(formulasBefore.map((row) => row.slice(0, 5)));
    expect(formulas.flat().filter((formula) => formula !== "")).toEqual(["=1+1", '=CONCAT("Run ", "2")']);
    expect(String(columns(host)["Sync Error"]?.[1])).toMatch(
      /^=HYPERLINK\("https:\/\/evil\.example","x"\): /,
    );
    expect((await e2e.extend.getRun(ids[2] ?? ""))?.name).toBe("Run 2");
  });

  it("writes each result on its own row when rows are not in id order", async () => {
    const ids = runIds(40);
    const shuffled = [...ids].sort((a, b) => (a.slice(-3) < b.slice(-3) ? -1 : 1));
    const host = e2e.newHost({ rows: simpleRows(shuffled), rate: 20 });
    clickAndFinish(host, "Sync all rows");
    for (const row of records(host)) {
      const id = String(row["Run ID"]);
      const stored = await e2e.extend.getRun(id);
      expect(row["Dashboard Link"]).toBe(`https://dashboard.extend.ai/workflows/${id}`);
      expect(row["Run Status"]).toBe(stored?.status);
    }
  });

  it("Sync selected rows sends only the rows of the selection", async () => {
    const ids = runIds(10);
    const host = e2e.newHost({ rows: simpleRows(ids) });
    host.spreadsheet.select(SHEET, "A3:B4", "C8");
    clickAndFinish(host, "Sync selected rows");
    const sent = (await e2e.extend.stats()).updateRequests.map((request) => request.runId).sort();
    expect(sent).toEqual([ids[1], ids[2], ids[6]].sort());
    expect(columns(host)["Sync Result"]).toEqual([
      "",
      "Updated",
      "Updated",
      "",
      "",
      "",
      "Updated",
      "",
      "",
      "",
    ]);
  });

  it("Check rows (dry run) shows every row's fate and exact body, sending and writing nothing", async () => {
    const ids = runIds(3);
    const host = e2e.newHost({
      rows: [
        HEADER,
        [ids[0] ?? "", "<script>alert(1)</script>", "ops", "prod, team eng"],
        ["exr_abc", "x", "", ""],
        [ids[1] ?? "", "", "", ""],
      ],
    });
    const before = host.spreadsheet.sheet(SHEET).values();
    host.clickMenuItem("Check rows (dry run)");
    expect((await e2e.extend.stats()).totalRequests).toBe(0);
    expect(host.spreadsheet.sheet(SHEET).values()).toEqual(before);
    const dialog = host.ui.modalDialogs.at(-1);
    expect(dialog?.title).toBe("Dry run: nothing was sent");
    expect(dialog?.html).toContain(
      "would send\n1 row. Not sent: 1 invalid, 0 unchanged since the last sync, 1 with nothing to change.",
    );
    expect(dialog?.html).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
    expect(dialog?.html).not.toContain("<script>alert");
    expect(dialog?.html).toContain(
      "&#34;extend:usage_tags&#34;: [\n      &#34;prod&#34;,\n      &#34;teameng&#34;",
    );
    expect(dialog?.html).toContain("&#34;team eng&#34; is sent as &#34;teameng&#34;");
  });

  it("Sync selected rows leaves out rows a filter hides", async () => {
    const ids = runIds(6);
    const host = e2e.newHost({ rows: simpleRows(ids) });
    host.spreadsheet.sheet(SHEET).filter = { hiddenRows: new Set([3, 5]) };
    host.spreadsheet.select(SHEET, "A2:A7");
    clickAndFinish(host, "Sync selected rows");
    const sent = (await e2e.extend.stats()).updateRequests.map((request) => request.runId).sort();
    expect(sent).toEqual([ids[0], ids[2], ids[4], ids[5]].sort());
    expect(columns(host)["Sync Result"]).toEqual(["Updated", "", "Updated", "", "Updated", "Updated"]);
  });

  it("lists at its end only the rows the job failed, not an older failure of a row outside the selection", async () => {
    const ids = runIds(4);
    const [refused = "", , , chosen = ""] = ids;
    await e2e.extend.setFaults([
      { kind: "status", status: 422, code: "INVALID_REQUEST", match: { runId: refused, method: "POST" } },
    ]);
    const host = e2e.newHost({ rows: simpleRows(ids) });
    clickAndFinish(host, "Sync all rows");
    const jobOf = (row: number) => /done=([\w-]+)/.exec(String(columns(host)["Sync State"]?.[row - 2]))?.[1];
    const toFix = (jobId?: string) =>
      host.runFromClient("rowsToFix", jobId === undefined ? [SHEET] : [SHEET, jobId]).returned as {
        ok: true;
        value: { failed: { rows: { row: number }[] } };
      };
    const wholeSheet = jobOf(2);
    expect(toFix(wholeSheet).value.failed.rows.map((entry) => entry.row)).toEqual([2]);

    host.spreadsheet.sheet(SHEET).setValues("B5", [["Renamed"]]);
    host.spreadsheet.select(SHEET, "A5");
    clickAndFinish(host, "Sync selected rows");
    const selected = jobOf(5);
    expect(selected).toBeDefined();
    expect(selected).not.toBe(wholeSheet);
    expect(chosen).not.toBe("");
    // Row 2 still says Failed from the first sync, which this one never touched: it is not this job's to list.
    expect(columns(host)["Sync Result"]?.[0]).toBe("Failed");
    expect(toFix(selected).value.failed.rows).toEqual([]);
    expect(toFix().value.failed.rows.map((entry) => entry.row)).toEqual([2]);
  });

  it("asks for an API key first when none is set, and sends nothing", async () => {
    const host = e2e.newHost({ rows: simpleRows(runIds(2)) });
    host.userProperties.clear();
    host.clickMenuItem("Sync all rows");
    expect(lastAlert(host)).toMatch(/No Extend API key is set for you/);
    expect((await e2e.extend.stats()).totalRequests).toBe(0);
  });
});
