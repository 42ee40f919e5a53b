// True reports at the end of each job (issue 16, point 4), end to end through the built bundle in the local host:
// what the summary, the cells and the run log say must be what the job did.
import { describe, expect, it } from "vitest";
import { clickAndFinish, startAndFinish } from "../../dev/local-run.js";
import { importForm } from "../support/sidebar-fixtures.js";
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

describe("An import that matches nothing", () => {
  it.each([false, true])(
    "says no runs matched the filters, names them, deletes its empty sheet and logs it (current values: %s)",
    (withCurrent) => {
      const host = e2e.newHost({ rows: [["Notes"]] });
      const run = startAndFinish(host, "startImportJob", [
        importForm({ workflowId: "workflow_mistyped", withCurrent }),
      ]);
      const end = run.executions.at(-1)?.returned as { state: string; message?: string; counts: object };
      expect(end.state).toBe("finished");
      expect(end.message).toMatch(
        /^No runs matched these filters: workflow workflow_mistyped\. .*The empty sheet "Extend runs [^"]+" it made was deleted\.$/,
      );
      // Neither the empty import sheet nor a credits summary of nothing is left behind.
      expect(host.spreadsheet.sheets.map((sheet) => sheet.name)).toEqual([
        "Sheet1",
        SHEET,
        "Extend Sync Log",
      ]);
      const log = records(host, "Extend Sync Log")[0];
      expect(log?.Details).toBe(
        "No runs matched these filters: workflow workflow_mistyped. The empty sheet it made was deleted.",
      );
      expect(log?.Ended).toBe("Finished");
    },
  );

  it("keeps the sheet when something was typed in it during the import, and says so", () => {
    const host = e2e.newHost({ rows: [["Notes"]] });
    let typed = false;
    const run = startAndFinish(host, "startImportJob", [importForm({ workflowId: "workflow_mistyped" })], {
      onServiceCall: () => (call) => {
        const made = host.spreadsheet.sheets.find((sheet) => sheet.name.startsWith("Extend runs"));
        if (typed || !made || !call.key.startsWith("UrlFetchApp")) return;
        typed = true;
        made.setValues("A3", [["my note"]], { raw: true });
      },
    });
    expect(typed).toBe(true);
    const end = run.executions.at(-1)?.returned as { message?: string };
    expect(end.message).toMatch(
      /The sheet "Extend runs [^"]+" it made was kept: something was typed in it\.$/,
    );
    expect(host.spreadsheet.sheets.some((sheet) => sheet.name.startsWith("Extend runs"))).toBe(true);
    expect(records(host, "Extend Sync Log")[0]?.Details).toMatch(/The sheet it made was kept/);
  });
});

describe("Credits by usage tag: one summary per source sheet", () => {
  it("never replaces the summary of another sheet: an import with current values gets its own", () => {
    const host = e2e.newHost({ rows: rowsFor(runIds(5)) });
    clickAndFinish(host, "Refresh from Extend: all rows");
    const ofRuns = () => host.spreadsheet.sheet("Extend Credits by Tag").values();
    const runsSummary = ofRuns();
    expect(runsSummary.find((row) => row[0] === "Runs read")?.[1]).toBe(5);

    const run = startAndFinish(host, "startImportJob", [importForm({ max: "60", withCurrent: true })]);
    const end = run.executions.at(-1)?.returned as { summarySheet?: string };
    expect(end.summarySheet).toBe("Extend Credits by Tag (2)");
    expect(ofRuns()).toEqual(runsSummary);
    const imported = host.spreadsheet.sheet("Extend Credits by Tag (2)").values();
    expect(imported.find((row) => row[0] === "Runs read")?.[1]).toBe(60);
    expect(String(imported.find((row) => row[0] === "From")?.[1])).toMatch(
      /^the import of .* into the sheet "Extend runs /,
    );

    // Refreshing the first sheet again rebuilds its own summary, and makes no third one.
    host.spreadsheet.select(SHEET, "A1");
    const again = clickAndFinish(host, "Refresh from Extend: all rows");
    expect(again.executions.at(-1)?.error).toBeUndefined();
    expect(lastAlert(host)).toContain('Credits by usage tag are in the sheet "Extend Credits by Tag".');
    expect(host.spreadsheet.sheets.filter((sheet) => sheet.name.startsWith("Extend Credits")).length).toBe(2);
  });
});

describe("Check rows in a de_DE sheet (issue 16, point 5)", () => {
  it("warns about values that look like numbers or dates in another format, and says what is sent", () => {
    const ids = runIds(4);
    const host = e2e.newHost({
      platform: { locale: "de_DE" },
      rows: [
        ["Run ID", "metadata.amount", "metadata.receivedOn"],
        [ids[0] ?? "", "1,234.56", ""],
        [ids[1] ?? "", "€ 99", "12/04/2026"],
        [ids[2] ?? "", 1234.56, new Date(Date.UTC(2026, 3, 12))],
        [ids[3] ?? "", "ACME", ""],
      ],
    });
    const result = host.runFromClient("checkRows", ["replace"]);
    const reply = result.returned as {
      ok: boolean;
      value: {
        sentAsText: { total: number; rows: { row: number; text: string }[] };
        counts: { toSend: number };
      };
    };
    expect(reply.ok).toBe(true);
    // Warnings never block the sync: every row is still to be sent.
    expect(reply.value.counts.toSend).toBe(4);
    expect(reply.value.sentAsText.total).toBe(2);
    expect(reply.value.sentAsText.rows).toEqual([
      {
        row: 2,
        runId: ids[0],
        text: 'metadata.amount (column B) is sent as the text "1,234.56" (this sheet\'s locale (de_DE) writes numbers with "," for decimals); type 1234,56 (or format the cell as a number) to send a number.',
      },
      {
        row: 3,
        runId: ids[1],
        text: expect.stringMatching(
          /^metadata\.amount \(column B\) is sent as the text "€ 99" .*type 99 .* metadata\.receivedOn \(column C\) is sent as the text "12\/04\/2026", not a date/,
        ),
      },
    ]);

    // The menu's dry run says the same on each row, and counts the rows to check at the top.
    host.clickMenuItem("Check rows (dry run)");
    const html = host.ui.modalDialogs.at(-1)?.html ?? "";
    expect(html).toContain("<strong>Check 2 rows:</strong> a metadata cell looks like a number or a date");
    expect(html).toContain(
      "<strong>Check:</strong> metadata.amount (column B) is sent as the text &#34;1,234.56&#34;",
    );
    expect(html).toContain(
      "metadata.receivedOn (column C) is sent as the text &#34;12/04/2026&#34;, not a date",
    );
    expect(html.match(/<strong>Check:<\/strong>/g)).toHaveLength(2);
  });
});
