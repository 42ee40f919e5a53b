// Unit tests for src/core/engine/commit.ts: outcomes land on the rows that carry their run ids, checked
// cheaply when nothing moved and found again when rows or columns did; a write Sheets refuses costs one row,
// not the sync.
import { describe, expect, it } from "vitest";
import { type CommitDeps, commitOutcomes, type Layout } from "../../../src/core/engine/commit";
import { outputColumnIndexes } from "../../../src/core/engine/plan";
import type { Finished } from "../../../src/core/engine/prepare";
import { decodeRowState, encodeRowState, isPendingFor } from "../../../src/core/engine/row-state";
import { fingerprint, runIdTag } from "../../../src/core/requests/fingerprint";
import { scrubberFor } from "../../../src/core/requests/secrets";
import type { CellValue } from "../../../src/core/sheet/cell";
import { mapHeaders } from "../../../src/core/sheet/headers";
import { OUTPUT_COLUMN_NAMES } from "../../support/columns";
import { ArraySheet } from "../../support/fake-ports";

const HEADER = ["Run ID", "Name", ...OUTPUT_COLUMN_NAMES];
const SYNC = "job7";
const ids = (count: number) => Array.from({ length: count }, (_, index) => `workflow_run_${index}`);
const pendingState = (runId: string) =>
  encodeRowState({ pendingSync: SYNC, pendingRun: runIdTag(runId), pendingPlan: "p" });

function sheetWith(runIds: string[]): ArraySheet {
  return new ArraySheet([
    [...HEADER],
    ...runIds.map((id) => [id, "n", "", "", "", "", "", pendingState(id)]),
  ]);
}

function layoutOf(sheet: ArraySheet): Layout {
  const mapped = mapHeaders(sheet.snapshot()[0] ?? []);
  if (!mapped.ok) throw new Error("header");
  const outputs = outputColumnIndexes(mapped.columns);
  if (!outputs) throw new Error("outputs");
  const rowsOf = new Map<string, number[]>();
  sheet.snapshot().forEach((row, index) => {
    if (index > 0) rowsOf.set(String(row[0]), [index + 1]);
  });
  return { columns: mapped.columns, outputs, rowsOf };
}

const deps = (sheet: ArraySheet): CommitDeps => ({
  sheet,
  syncId: SYNC,
  dateToIso: (date) => date.toISOString(),
  scrub: scrubberFor(["sk_test_commit_key_123"]),
});

const updated = (runId: string): Finished => ({
  runId,
  before: { runId, state: {}, link: "" },
  outcome: {
    kind: "updated",
    runStatus: "PROCESSED",
    syncedAt: new Date(0),
    fingerprint: fingerprint(runId, { name: "n" }),
    tagChanges: [],
  },
});

const resultOf = (sheet: ArraySheet, runId: string): CellValue =>
  sheet.rows.find((row) => row[0] === runId)?.[2] ?? "(no row)";

describe("commitOutcomes", () => {
  it("writes a row whose outcome cannot be made into cells as that row's failure, and the others in full", () => {
    const sheet = sheetWith(ids(3));
    const broken = updated("workflow_run_1");
    // A fact no check foresaw: making this outcome's cells throws.
    Object.defineProperty(broken.outcome, "runStatus", {
      get: () => {
        throw new RangeError("Maximum call stack size exceeded");
      },
    });
    const result = commitOutcomes(deps(sheet), layoutOf(sheet), [
      updated("workflow_run_0"),
      broken,
      updated("workflow_run_2"),
    ]);
    expect(result).toMatchObject({ kind: "written", counts: { updated: 2, failed: 1 }, rowsWritten: 3 });
    expect(ids(3).map((id) => resultOf(sheet, id))).toEqual(["Updated", "Failed", "Updated"]);
    expect(String(sheet.rows.find((row) => row[0] === "workflow_run_1")?.[5])).toMatch(
      /^BAD_RESPONSE: Extend's answer could not be written to the sheet \(Maximum call stack size exceeded\)\./,
    );
  });

  it("checks only the rows it writes when nothing moved: one header read and one small block", () => {
    const sheet = sheetWith(ids(500));
    const layout = layoutOf(sheet);
    const result = commitOutcomes(deps(sheet), layout, ids(500).slice(100, 175).map(updated));
    expect(result).toMatchObject({ kind: "written", rowsWritten: 75, counts: { updated: 75 } });
    expect(sheet.reads).toEqual({ all: 0, header: 1, column: 0, block: 1 });
    expect(
      ids(500)
        .slice(100, 175)
        .every((id) => resultOf(sheet, id) === "Updated"),
    ).toBe(true);
    expect(resultOf(sheet, "workflow_run_99")).toBe("");
  });

  it("as an execution's last write, reads the two columns whole once and returns them as written", () => {
    const sheet = sheetWith(ids(20));
    const layout = layoutOf(sheet);
    const result = commitOutcomes(deps(sheet), layout, ids(20).slice(15).map(updated), true);
    expect(result).toMatchObject({ kind: "written", rowsWritten: 5 });
    // The whole columns instead of the rows' block: the job's final scan reads nothing more.
    expect(sheet.reads).toEqual({ all: 0, header: 1, column: 2, block: 0 });
    const columns = result.kind === "written" ? result.columns : undefined;
    const stateColumn = HEADER.indexOf("Sync State");
    expect(columns).toEqual([sheet.rows.map((row) => row[0]), sheet.rows.map((row) => row[stateColumn])]);
    expect(decodeRowState(columns?.[1][20]).doneSync).toBe(SYNC);
    expect(isPendingFor(decodeRowState(columns?.[1][1]), SYNC, "workflow_run_0")).toBe(true);
  });

  it("as a last write that Sheets refused in part, leaves the columns to be read again", () => {
    const sheet = sheetWith(ids(3));
    sheet.beforeWrite = (write) => {
      if (write.row <= 3 && write.row + write.values.length > 3) throw new Error("protected");
    };
    const result = commitOutcomes(deps(sheet), layoutOf(sheet), ids(3).map(updated), true);
    expect(result).toMatchObject({ kind: "written" });
    expect(result.kind === "written" && result.columns).toBe(undefined);
  });

  it("finds rows again by run id after they were sorted, and writes each on its own row", () => {
    const sheet = sheetWith(ids(50));
    const layout = layoutOf(sheet);
    const [header = [], ...rows] = sheet.rows;
    sheet.rows = [header, ...rows.reverse()];
    const result = commitOutcomes(deps(sheet), layout, ids(50).slice(0, 10).map(updated));
    expect(result).toMatchObject({ kind: "written", rowsWritten: 10 });
    expect(sheet.reads.column).toBe(2);
    for (const row of sheet.rows.slice(1))
      expect(row[2]).toBe(Number(String(row[0]).split("_").pop()) < 10 ? "Updated" : "");
  });

  it("follows output columns the user moved, and never writes into an input column", () => {
    const sheet = sheetWith(ids(5));
    const layout = layoutOf(sheet);
    for (const row of sheet.rows) row.splice(1, 0, row.splice(7, 1)[0] ?? "");
    const result = commitOutcomes(deps(sheet), layout, ids(5).map(updated));
    expect(result).toMatchObject({ kind: "written", rowsWritten: 5 });
    expect(sheet.rows.slice(1).map((row) => row[2])).toEqual(Array(5).fill("n"));
    expect(sheet.rows.slice(1).map((row) => row[3])).toEqual(Array(5).fill("Updated"));
  });

  it("writes nothing when the header row lost a column it needs", () => {
    const sheet = sheetWith(ids(3));
    const layout = layoutOf(sheet);
    if (sheet.rows[0]) sheet.rows[0][0] = "Run";
    expect(commitOutcomes(deps(sheet), layout, ids(3).map(updated))).toEqual({ kind: "header changed" });
    expect(sheet.writes).toHaveLength(0);
  });

  it("counts an outcome whose row was deleted, and writes the others", () => {
    const sheet = sheetWith(ids(4));
    const layout = layoutOf(sheet);
    sheet.rows.splice(2, 1);
    const result = commitOutcomes(deps(sheet), layout, ids(4).map(updated));
    expect(result).toMatchObject({ kind: "written", rowsWritten: 3, counts: { updated: 4 } });
  });

  it("retries a refused write row by row: a bad row gets a short result, the others their full one", () => {
    const sheet = sheetWith(ids(4));
    const layout = layoutOf(sheet);
    sheet.beforeWrite = (write) => {
      const covers = (row: number) => write.row <= row && row < write.row + write.values.length;
      if (
        covers(3) &&
        write.values[0]?.length !== 1 &&
        write.values.length >= 1 &&
        write.values[0]?.[1] !== ""
      )
        throw new Error(
          `Your input contains more than the maximum of 50000 characters in a single cell. sk_test_commit_key_123`,
        );
    };
    const result = commitOutcomes(deps(sheet), layout, ids(4).map(updated));
    expect(result).toMatchObject({ kind: "written", unwritable: [] });
    expect(sheet.rows.slice(1).map((row) => row[2])).toEqual(["Updated", "Updated", "Updated", "Updated"]);
    const error = String(sheet.rows[2]?.[5]);
    expect(error).toMatch(
      /^RESULT_NOT_WRITTEN: The result could not be written to the sheet \(Your input contains more than .*\)\. Extend was updated\. See "RESULT_NOT_WRITTEN" in the user guide\.$/,
    );
    expect(error).not.toContain("sk_test_commit_key_123");
    expect(sheet.rows[1]?.[3]).toBe("PROCESSED");
  });

  it("reports a row nothing could be written to, so it is not sent again", () => {
    const sheet = sheetWith(ids(3));
    const layout = layoutOf(sheet);
    sheet.beforeWrite = (write) => {
      if (write.row <= 3 && 3 < write.row + write.values.length) throw new Error("protected cell");
    };
    const result = commitOutcomes(deps(sheet), layout, ids(3).map(updated));
    expect(result).toMatchObject({ kind: "written", unwritable: [runIdTag("workflow_run_1")] });
  });

  it("marks a row done only once its result is written, even when Sheets takes part of a write", () => {
    // Sync State left of the outputs: its cells are a rectangle of their own, which Sheets may take while it
    // refuses the one holding Sync Result (a protected column).
    const header = [
      "Run ID",
      "Sync State",
      "Name",
      "Sync Result",
      "Run Status",
      "Synced At",
      "Sync Error",
      "Dashboard Link",
    ];
    const sheet = new ArraySheet([
      header,
      ...ids(2).map((id) => [id, pendingState(id), "n", "", "", "", "", ""]),
    ]);
    const layout = layoutOf(sheet);
    sheet.beforeWrite = (write) => {
      if (write.column <= 4 && 4 < write.column + (write.values[0]?.length ?? 0))
        throw new Error("protected cell");
    };
    const result = commitOutcomes(deps(sheet), layout, ids(2).map(updated));
    expect(result).toMatchObject({ kind: "written", unwritable: ids(2).map(runIdTag) });
    for (const row of sheet.rows.slice(1))
      expect(isPendingFor(decodeRowState(row[1] ?? ""), SYNC, String(row[0]))).toBe(true);
  });
});
