// Unit tests for src/core/tally.ts: what the sheet shows a job did, counted from its rows' done marks, and a job
// whose counts never fall below it.
import { describe, expect, it } from "vitest";
import type { CellValue } from "../../src/core/cell";
import { emptyCounts, type SyncJob } from "../../src/core/job";
import { encodeRowState } from "../../src/core/row-state";
import { tallyRows, withSheetCounts } from "../../src/core/tally";

const JOB = "job7";
const iso = (date: Date) => date.toISOString();
const done = (letter?: string, job = JOB) => encodeRowState({ lastSent: "s", doneSync: job, doneAs: letter });
const pending = encodeRowState({ pendingSync: JOB, pendingRun: "r" });

/** A sheet of [Run ID, Name, Sync State] rows under a header. */
const sheet = (rows: [CellValue, CellValue][]): CellValue[][] => [
  ["Run ID", "Name", "Sync State"],
  ...rows.map(([id, state]) => [id, "n", state]),
];

describe("tallyRows", () => {
  it("counts each outcome of the job's rows, and the runs Extend answered as requests", () => {
    const tally = tallyRows(
      sheet([
        ["a", done("u")],
        ["b", done("u")],
        ["c", done("f")],
        ["d", done("i")],
        ["", done("i")],
        ["", done("i")],
        ["e", done("c")],
        ["f", done("n")],
        ["g", pending],
        ["h", done("u", "other")],
        ["i", "Updated by hand"],
        ["j", 42],
      ]),
      0,
      2,
      JOB,
      iso,
    );
    expect(tally.doneRows).toBe(8);
    expect(tally.counts).toEqual({
      ...emptyCounts(),
      updated: 2,
      failed: 1,
      invalid: 3,
      unchanged: 1,
      noop: 1,
      requests: 3,
    });
  });

  it("counts a run read for several rows once, as the refresh read it once", () => {
    const tally = tallyRows(
      sheet([
        ["a", done("r")],
        ["a", done("r")],
        ["b", done("e")],
        ["", done("v")],
        ["c", done("m")],
        ["d", done("d")],
      ]),
      0,
      2,
      JOB,
      iso,
    );
    expect(tally.doneRows).toBe(6);
    expect(tally.counts).toMatchObject({ read: 3, readFailed: 2, matching: 1, changing: 1, requests: 4 });
  });

  it("counts rows marked before marks named their outcome as done, and nothing else for them", () => {
    const tally = tallyRows(sheet([["a", done()]]), 0, 2, JOB, iso);
    expect(tally).toEqual({ counts: emptyCounts(), doneRows: 1 });
  });

  it("ignores letters it does not know (a cell edited by hand)", () => {
    const tally = tallyRows(sheet([["a", `v1 done=${JOB}:zz`]]), 0, 2, JOB, iso);
    expect(tally).toEqual({ counts: emptyCounts(), doneRows: 1 });
  });
});

describe("withSheetCounts", () => {
  const job = (counts: Partial<SyncJob["counts"]>, extra: Partial<SyncJob> = {}): SyncJob => ({
    id: JOB,
    sheetId: 1,
    sheetName: "Runs",
    scopeLabel: "all rows",
    force: false,
    startedBy: "ops@example.com",
    startedAt: 0,
    lastActivityAt: 0,
    executions: 1,
    rate: 10,
    rowsToSend: 10,
    counts: { ...emptyCounts(), ...counts },
    status: "running",
    ...extra,
  });

  it("takes, count by count, the larger of the job's and the sheet's", () => {
    const sheetSays = { counts: { ...emptyCounts(), updated: 7, requests: 7, failed: 1 }, doneRows: 10 };
    const merged = withSheetCounts(
      job({ updated: 5, requests: 9, missing: 2, invalid: 2 }, { rowsResolved: 5, resolvedAtStart: 2 }),
      sheetSays,
    );
    expect(merged.counts).toEqual({
      ...emptyCounts(),
      updated: 7,
      requests: 9,
      failed: 1,
      missing: 2,
      invalid: 2,
    });
    // Rows done at the start (invalid, unchanged) are not among the rows the job resolved since.
    expect(merged.rowsResolved).toBe(8);
  });

  it("never lowers what the job counted (rows deleted after they were written)", () => {
    const before = job({ updated: 9, requests: 9 }, { rowsResolved: 9 });
    const merged = withSheetCounts(before, { counts: { ...emptyCounts(), updated: 3 }, doneRows: 3 });
    expect(merged.counts).toEqual(before.counts);
    expect(merged.rowsResolved).toBe(9);
  });
});
