// Unit tests for src/core/views/check-view.ts: Check rows' counts and lists, a row's body, and the rows left
// to fix.
import { describe, expect, it } from "vitest";
import { planSync } from "../../../src/core/engine/plan";
import {
  checkRowsView,
  LISTED_ROWS_CAP,
  LISTED_TEXT_CAP,
  rowBody,
  syncProblems,
} from "../../../src/core/views/check-view";

const ctx = { dateToIso: (date: Date) => date.toISOString().slice(0, 10) };

function planOf(rows: (string | number)[][]) {
  const result = planSync([["Run ID", "Name", "Tags"], ...rows], "all", false, ctx);
  if (!result.ok) throw new Error(result.problems.join(" "));
  return result.plan;
}

describe("checkRowsView", () => {
  it("counts every fate and lists invalid rows and tag changes with their row numbers", () => {
    const view = checkRowsView(
      planOf([
        ["workflow_run_a", "A", "customer 1, ok"],
        ["exr_b", "B", ""],
        ["workflow_run_c", "", ""],
        ["workflow_run_d", "D", ""],
      ]),
      "Runs",
    );
    expect(view.counts).toEqual({ toSend: 2, invalid: 1, unchanged: 0, noop: 1 });
    expect(view.tagChanges).toEqual({
      total: 1,
      rows: [{ row: 2, runId: "workflow_run_a", text: '"customer 1" is sent as "customer1"' }],
    });
    expect(view.invalid.rows[0]).toMatchObject({ row: 3, runId: "exr_b" });
    expect(view.invalid.rows[0]?.text).toMatch(/not a workflow run/);
  });

  it(`lists at most ${LISTED_ROWS_CAP} rows per list and counts the rest`, () => {
    const rows = Array.from({ length: LISTED_ROWS_CAP + 5 }, (_, index) => [`exr_${index}`, "x", ""]);
    const view = checkRowsView(planOf(rows), "Runs");
    expect(view.invalid.rows).toHaveLength(LISTED_ROWS_CAP);
    expect(view.invalid.total).toBe(LISTED_ROWS_CAP + 5);
  });
  it("cuts a runaway Run ID or message, so 200 listed rows stay small", () => {
    const runaway = `x${"y".repeat(49_999)}`;
    const view = checkRowsView(planOf([[runaway, "A", ""]]), "Runs");
    const [listed] = view.invalid.rows;
    expect(listed?.runId.length).toBe(LISTED_TEXT_CAP.runId);
    expect(listed?.runId.endsWith("…")).toBe(true);
    expect(listed?.text.length).toBeLessThanOrEqual(LISTED_TEXT_CAP.text);
  });
});

describe("rowBody", () => {
  it("gives the exact body for a row to send and the reason for one not sent", () => {
    const plan = planOf([
      ["workflow_run_a", "A", "x y"],
      ["workflow_run_b", "", ""],
    ]);
    // Never synced: nothing "changed since the last sync", it was simply never sent.
    expect(rowBody(plan, 2, false)?.fate).toBe("Will be sent (not sent before)");
    expect(JSON.parse(rowBody(plan, 2, false)?.body ?? "")).toEqual({
      name: "A",
      metadata: { "extend:usage_tags": ["xy"] },
    });
    expect(rowBody(plan, 3, false)).toEqual({
      row: 3,
      runId: "workflow_run_b",
      fate: "Not sent: Nothing to change",
    });
    expect(rowBody(plan, 9, false)).toBeUndefined();
  });
});

describe("syncProblems", () => {
  it("lists Failed and Invalid rows with their Sync Error, wherever the columns are", () => {
    const problems = syncProblems(
      [
        ["Sync Error", "Run ID", "Sync Result"],
        ["", "workflow_run_a", "Updated"],
        ["NOT_FOUND: no such run", "workflow_run_b", "Failed"],
        ["Run ID is empty", "", "Invalid"],
      ],
      "Runs",
      ctx.dateToIso,
    );
    expect(problems.failed.rows).toEqual([
      { row: 3, runId: "workflow_run_b", text: "NOT_FOUND: no such run" },
    ]);
    expect(problems.invalid.rows).toEqual([{ row: 4, runId: "", text: "Run ID is empty" }]);
  });

  it("lists the rows a refresh could not read with their Refresh Error, also on a sheet never synced", () => {
    const problems = syncProblems(
      [
        ["Run ID", "Refresh Error"],
        ["workflow_run_a", ""],
        ["workflow_run_b", "NOT_FOUND: no such run"],
      ],
      "Runs",
      ctx.dateToIso,
    );
    expect(problems.unread).toEqual({
      total: 1,
      rows: [{ row: 3, runId: "workflow_run_b", text: "NOT_FOUND: no such run" }],
    });
  });

  it("given a job id, lists only the rows that job wrote, not older errors of rows it never touched", () => {
    const rows = [
      ["Run ID", "Sync Result", "Sync Error", "Refresh Error", "Sync State"],
      ["workflow_run_a", "Failed", "NOT_FOUND: old", "", "v1 done=job0001:f"],
      ["workflow_run_b", "Failed", "NOT_FOUND: new", "", "v1 done=job0002:f"],
      ["workflow_run_c", "Invalid", "Run ID is old", "", ""],
      ["workflow_run_d", "Updated", "", "NOT_FOUND: unread", "v1 done=job0002:r"],
      ["workflow_run_e", "Failed", "NOT_FOUND: waiting", "", "v1 pending=job0002"],
    ];
    const problems = syncProblems(rows, "Runs", ctx.dateToIso, "job0002");
    expect(problems.failed.rows).toEqual([{ row: 3, runId: "workflow_run_b", text: "NOT_FOUND: new" }]);
    expect(problems.invalid.total).toBe(0);
    expect(problems.unread.rows.map((entry) => entry.row)).toEqual([5]);
    // Without a job id (an older sidebar), every such row, as before.
    expect(syncProblems(rows, "Runs", ctx.dateToIso).failed.total).toBe(3);
  });

  it("finds nothing on a sheet that was never synced or has no Run ID column", () => {
    expect(syncProblems([["Run ID"], ["workflow_run_a"]], "Runs", ctx.dateToIso).failed.total).toBe(0);
    expect(syncProblems([["Other"]], "Runs", ctx.dateToIso).invalid.total).toBe(0);
  });
});
