// Unit tests for src/core/views/dry-run.ts: counts over every row, details for the first rows, escaped
// markup.
import { describe, expect, it } from "vitest";
import { planSync } from "../../../src/core/engine/plan";
import { DRY_RUN_ROWS_SHOWN, dryRunReport, escapeHtml, renderDryRun } from "../../../src/core/views/dry-run";

const ctx = { dateToIso: (date: Date) => date.toISOString() };

function planOf(rows: (string | number)[][]) {
  const result = planSync([["Run ID", "Name", "Tags", "Sync State"], ...rows], "all", false, ctx);
  if (!result.ok) throw new Error(result.problems.join(" "));
  return result.plan;
}

describe("dryRunReport", () => {
  it("counts each fate and shows the body that would be sent", () => {
    const report = dryRunReport(
      planOf([
        ["workflow_run_a", "A", "x y", ""],
        ["pr_nope", "B", "", ""],
        ["workflow_run_c", "", "", ""],
      ]),
    );
    expect(report).toMatchObject({ toSend: 1, invalid: 1, unchanged: 0, noop: 1, rowsNotShown: 0 });
    expect(report.rows.map((row) => [row.row, row.action])).toEqual([
      [2, "Will be sent"],
      [3, "Invalid: not sent"],
      [4, "Nothing to change: not sent"],
    ]);
    expect(JSON.parse(report.rows[0]?.body ?? "")).toEqual({
      name: "A",
      metadata: { "extend:usage_tags": ["xy"] },
    });
    expect(report.rows[0]?.detail).toBe('"x y" is sent as "xy"');
    expect(report.rows[1]?.detail).toMatch(/is not a workflow run/);
  });

  it(`lists at most ${DRY_RUN_ROWS_SHOWN} rows but counts them all`, () => {
    const rows = Array.from({ length: DRY_RUN_ROWS_SHOWN + 7 }, (_, index) => [
      `workflow_run_${index}`,
      "n",
      "",
      "",
    ]);
    const report = dryRunReport(planOf(rows));
    expect(report.toSend).toBe(DRY_RUN_ROWS_SHOWN + 7);
    expect(report.rows).toHaveLength(DRY_RUN_ROWS_SHOWN);
    expect(report.rowsNotShown).toBe(7);
    expect(renderDryRun(report)).toContain("7 more rows are counted above but not listed.");
  });
});

describe("escapeHtml", () => {
  it.each([
    ["<b>", "&#60;b&#62;"],
    ["\"q\" & 's'", "&#34;q&#34; &#38; &#39;s&#39;"],
    ["plain", "plain"],
  ])("%j -> %j", (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
  });

  it("leaves no markup from a cell in the page", () => {
    const page = renderDryRun(
      dryRunReport(planOf([["workflow_run_<img src=x onerror=alert(1)>", "<i>n</i>", "", ""]])),
    );
    expect(page).not.toMatch(/<img|<i>/);
  });
});
