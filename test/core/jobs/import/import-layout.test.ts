// Unit tests for src/core/jobs/import/import-layout.ts: each run as a row of the sheet contract's layout, and
// where each import column is found by its header however the person moved, renamed or deleted columns.
import { describe, expect, it } from "vitest";
import {
  importHeaders,
  importRow,
  placedCells,
  placeImportColumns,
} from "../../../../src/core/jobs/import/import-layout";
import type { ListedRun } from "../../../../src/core/jobs/import/import-list";
import type { CellValue } from "../../../../src/core/sheet/cell";

const RUN: ListedRun = {
  id: "workflow_run_1",
  status: "=HYPERLINK()",
  dashboardUrl: "https://dashboard.extend.ai/runs/1",
  workflowName: "W",
  workflowId: "w",
  batchId: "-1",
  fileNames: "",
  credits: null,
};

/** The header with `header` inserted before the column named `before`. */
const inserted = (header: string[], before: string, name: string) => {
  const copy = [...header];
  copy.splice(copy.indexOf(before), 0, name);
  return copy;
};

describe("importRow", () => {
  it("fits the header, writes text as text and leaves Name and Tags to fill in", () => {
    for (const withCurrent of [false, true]) {
      const row = importRow(
        { ...RUN, dashboardUrl: undefined } as unknown as ListedRun,
        withCurrent,
        "v1 pending=job",
      );
      expect(row).toHaveLength(importHeaders(withCurrent).length);
      expect(row.slice(0, 5)).toEqual(["workflow_run_1", "", "", "", "'=HYPERLINK()"]);
      expect(row[7]).toBe("'-1");
      // The Sync State mark is the refresh's, which only an import with current values has.
      expect(row.at(-1)).toBe(withCurrent ? "v1 pending=job" : "");
    }
  });
});

describe("placeImportColumns", () => {
  it("finds every column of a new import sheet where it was made", () => {
    for (const withCurrent of [false, true]) {
      const header = importHeaders(withCurrent);
      expect(placeImportColumns(header, withCurrent, true)).toEqual({
        ok: true,
        at: header.map((_, index) => index),
        missing: [],
      });
    }
  });

  it("follows a column inserted, columns moved, and headers written in another case or with aliases", () => {
    const header = importHeaders(true);
    const edited = inserted(header, "Tags", "metadata.customer").map((name) =>
      name === "Tags" ? "usage tags" : name === "Workflow ID" ? "WORKFLOW_ID" : name,
    );
    const moved = [...edited.slice(5), ...edited.slice(0, 5)];
    const placement = placeImportColumns(moved, true, true);
    if (!placement.ok) throw new Error(placement.problem);
    // Each import column's value lands under its own header.
    const cells = placedCells([importRow(RUN, true, "mark")], placement.at);
    const written: CellValue[] = [];
    cells.columns.forEach((column, index) => {
      written[column] = cells.rows[0]?.[index] ?? "";
    });
    expect(written[moved.indexOf("Run ID")]).toBe("workflow_run_1");
    expect(written[moved.indexOf("Dashboard Link")]).toBe(RUN.dashboardUrl);
    expect(written[moved.indexOf("Run Status")]).toBe("'=HYPERLINK()");
    expect(written[moved.indexOf("Sync State")]).toBe("mark");
    expect(written[moved.indexOf("metadata.customer")]).toBeUndefined();
    expect(cells.columns).toEqual([...cells.columns].sort((a, b) => a - b));
    expect(cells.columns).not.toContain(moved.indexOf("metadata.customer"));
  });

  it("names the columns it fills that are gone, to add back, but not those it only leaves blank", () => {
    const header = importHeaders(false).filter(
      (name) => !["Workflow", "Credits", "Name", "Tags", "Sync Result", "Sync State"].includes(name),
    );
    const placement = placeImportColumns(header, false, true);
    expect(placement).toMatchObject({ ok: true, missing: ["Workflow", "Credits"] });
  });

  it("cannot go on without Run ID, with two columns of one name, or (with current values) without Sync State", () => {
    const header = importHeaders(true);
    const noRunId = placeImportColumns(
      header.map((name) => (name === "Run ID" ? "Id" : name)),
      true,
      true,
    );
    expect(noRunId).toMatchObject({ ok: false, problem: expect.stringMatching(/^No "Run ID" column/) });
    const twice = placeImportColumns([...header, "workflow"], true, true);
    expect(twice).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^Two columns are both "Workflow"/),
    });
    const noState = header.filter((name) => name !== "Sync State");
    expect(placeImportColumns(noState, true, true)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/"Sync State" column is gone/),
    });
    // With no imported row yet, no mark was lost: the column is simply added back.
    expect(placeImportColumns(noState, true, false)).toMatchObject({ ok: true, missing: ["Sync State"] });
    // Without current values the column holds no mark: nothing to add back.
    expect(placeImportColumns(importHeaders(false).slice(0, -1), false, true)).toMatchObject({
      ok: true,
      missing: [],
    });
  });
});
