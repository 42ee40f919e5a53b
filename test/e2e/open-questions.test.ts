// Where Google does not document what Sheets does, the add-on must be right under every answer (issue #7):
// a leading apostrophe written into a Plain-text ("@") cell may be stripped or kept as a character, so output
// columns a user formatted as plain text must not pile up apostrophes over syncs, resends and failures under
// either answer, and nothing the API says may be evaluated; and a formula still calculating reads as
// "Loading...", which must make its row Invalid, never sent.
import { describe, expect, it } from "vitest";
import type { GasHost, PlainTextApostrophe } from "../../dev/gas-host/index.js";
import { clickAndFinish } from "../../dev/local-run.js";
import { ECHO_RUN_ID } from "../../dev/stand-in/faults.js";
import { records, runIds, SHEET, TIMINGS, useExtend } from "./harness.js";

const OUTPUTS = ["Sync Result", "Run Status", "Synced At", "Sync Error", "Dashboard Link", "Sync State"];
const HEADER = ["Run ID", "Name", "Tags", ...OUTPUTS];

const e2e = useExtend({ runCount: 20, ...TIMINGS.modelOn });

/** Formats the output columns of the data rows as Plain text, as a user would (Format > Number > Plain text). */
function formatOutputsAsPlainText(target: GasHost, rows: number): void {
  const sheet = target.spreadsheet.sheet(SHEET);
  const header = sheet.values()[0] ?? [];
  for (const name of OUTPUTS) {
    const column = header.indexOf(name) + 1;
    for (let row = 2; row <= rows + 1; row++)
      sheet.updateCell(row, column, (cell) => {
        cell.numberFormat = "@";
      });
  }
}

/** The output cells as stored, with their formulas, for rows 2 onwards. */
function outputs(target: GasHost): { values: string[][]; formulas: string[][] } {
  const sheet = target.spreadsheet.sheet(SHEET);
  const header = sheet.values()[0] ?? [];
  const at = OUTPUTS.map((name) => header.indexOf(name));
  const pick = <T>(grid: T[][]) => grid.slice(1).map((line) => at.map((index) => line[index] as T));
  return {
    values: pick(sheet.values()).map((line) =>
      line.map((value) => (value instanceof Date ? "date" : String(value))),
    ),
    formulas: pick(sheet.formulas()),
  };
}

describe.each(["strip", "keep"] as const)(
  "Plain-text output cells, apostrophe %s",
  (mode: PlainTextApostrophe) => {
    it("never grow an apostrophe or evaluate what the API said, over syncs, a resend and a failure", async () => {
      const [formulaStatus = "", minusError = "", plusStatus = "", atStatus = "", plain = ""] = runIds(5);
      const runAnswer = (status: string) =>
        `{"object":"workflow_run","id":"${ECHO_RUN_ID}","status":"${status}","dashboardUrl":"https://dashboard.extend.ai/workflows/${ECHO_RUN_ID}"}`;
      await e2e.extend.setFaults([
        {
          kind: "custom",
          apply: true,
          body: runAnswer("=1+1"),
          times: "unlimited",
          match: { runId: formulaStatus },
        },
        {
          kind: "custom",
          apply: true,
          body: runAnswer("+1"),
          times: "unlimited",
          match: { runId: plusStatus },
        },
        {
          kind: "custom",
          apply: true,
          body: runAnswer("@PENDING"),
          times: "unlimited",
          match: { runId: atStatus },
        },
        {
          kind: "status",
          status: 422,
          code: "-42",
          message: "-1 is not an allowed team",
          times: "unlimited",
          match: { runId: minusError },
        },
      ]);
      const rows = [formulaStatus, minusError, plusStatus, atStatus, plain].map((id, index) => [
        id,
        `Run ${index}`,
        "prod",
        ...OUTPUTS.map(() => ""),
      ]);
      const host = e2e.newHost({ rows: [HEADER, ...rows], ...TIMINGS.modelOn });
      host.spreadsheet.plainTextApostrophe = mode;
      formatOutputsAsPlainText(host, rows.length);

      clickAndFinish(host, "Sync all rows");
      const first = outputs(host);
      expect(records(host).map((row) => row["Sync Result"])).toEqual([
        "Updated",
        "Failed",
        "Updated",
        "Updated",
        "Updated",
      ]);
      const shown = (text: string) => (mode === "keep" ? [text, `'${text}`] : [text]);
      expect(shown("=1+1")).toContain(first.values[0]?.[1]);
      expect(shown("+1")).toContain(first.values[2]?.[1]);
      expect(shown("@PENDING")).toContain(first.values[3]?.[1]);
      expect(String(first.values[1]?.[3]).replace(/^'/, "")).toMatch(
        /^-42: -1 is not an allowed team\. What to do: /,
      );

      const check = () => {
        const now = outputs(host as GasHost);
        for (const line of now.formulas) for (const formula of line) expect(formula).toBe("");
        for (const line of now.values) for (const value of line) expect(value).not.toMatch(/^''/);
        return now;
      };
      check();

      // Again (the rows are Unchanged), then a resend of every row, then a failure of the first row.
      clickAndFinish(host, "Sync all rows");
      const again = check();
      expect(again.values.map((line) => line[1])).toEqual(first.values.map((line) => line[1]));
      clickAndFinish(host, "Resend all rows (ignore Unchanged)");
      const resent = check();
      // The same cells again, but for the request id each new answer carries.
      const stable = (grid: string[][]) =>
        grid.map((line) => [line[0], line[1], line[3]?.replace(/\(request id \w+\)/, ""), line[4]]);
      expect(stable(resent.values)).toEqual(stable(first.values));
      await e2e.extend.setFaults([{ kind: "500-json", times: "unlimited", match: { runId: formulaStatus } }]);
      clickAndFinish(host, "Resend all rows (ignore Unchanged)");
      const failed = check();
      expect(failed.values[0]?.[0]).toBe("Failed");
      expect(failed.values[0]?.[1]).toBe(first.values[0]?.[1]);
    }, 60_000);
  },
);

describe("a formula still calculating", () => {
  it('makes its row Invalid while it reads "Loading...", and the row goes out once it has a value', async () => {
    const [loading = "", ready = ""] = runIds(2);
    const host = e2e.newHost({
      rows: [
        ["Run ID", "Name", "metadata.total"],
        [loading, "Waiting for IMPORTRANGE", ""],
        [ready, "Ready", 12],
      ],
      ...TIMINGS.modelOn,
    });
    const sheet = host.spreadsheet.sheet(SHEET);
    sheet.setFormula("C2", '=SUM(IMPORTRANGE("https://docs.google.com/spreadsheets/d/x","A:A"))', 99);
    sheet.setLoading("C2");

    clickAndFinish(host, "Sync all rows");
    const [waiting, done] = records(host);
    expect(waiting?.["Sync Result"]).toBe("Invalid");
    expect(String(waiting?.["Sync Error"])).toMatch(
      /Cell C shows "Loading…": its formula is still calculating/,
    );
    expect(done?.["Sync Result"]).toBe("Updated");
    expect((await e2e.extend.stats()).updateRequests.map((request) => request.runId)).toEqual([ready]);
    expect(sheet.formulas()[1]?.[2]).toMatch(/^=SUM\(IMPORTRANGE/);

    // Sheets finishes calculating: the next sync sends the row with the formula's value.
    sheet.setLoading("C2", 0);
    clickAndFinish(host, "Sync all rows");
    expect(records(host)[0]?.["Sync Result"]).toBe("Updated");
    expect((await e2e.extend.getRun(loading))?.metadata.total).toBe(99);
  });
});
