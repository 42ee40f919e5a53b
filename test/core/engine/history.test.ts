// The history's pure parts (issue 18): the values before that a record keeps, the cells it is written as and read
// back from, what an undo sends back and when it judges a run still holds what the sync set, how it groups a
// run's several records, and the recent jobs and the undo's confirmation drawn from the records.
import { describe, expect, it } from "vitest";
import {
  fitsHistory,
  HISTORY_HEADERS,
  type HistoryRecord,
  historyCells,
  readHistory,
  valuesBefore,
} from "../../../src/core/engine/history";
import { decodeRowState } from "../../../src/core/engine/row-state";
import { holds, restoreBody, runsToUndo } from "../../../src/core/engine/undo";
import { describeUndo, historyJobs, undoSummary } from "../../../src/core/jobs/history-jobs";

const TAGS = "extend:usage_tags";
const iso = (date: Date) => date.toISOString();

function record(overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    jobId: "job1",
    job: "sync",
    at: new Date("2026-12-01T10:00:00Z"),
    who: "ana@example.com",
    sheet: "Runs",
    row: 2,
    tagMode: "replace",
    runId: "workflow_run_1",
    before: { [TAGS]: ["old"] },
    sent: { metadata: { [TAGS]: ["new"], costCenter: "CC-1" } },
    ...overrides,
  };
}

/** Sheets gives back text without the apostrophe the add-on wrote in front of it. */
const asRead = (cells: readonly unknown[]) =>
  cells.map((cell) => (typeof cell === "string" && cell.startsWith("'") ? cell.slice(1) : cell));

describe("a record", () => {
  it("keeps the run's values of the keys the update sets, leaving out keys the run lacks", () => {
    const sent = { metadata: { [TAGS]: ["a"], costCenter: "CC", absent: 1 } };
    expect(valuesBefore(sent, { [TAGS]: ["x"], costCenter: null, other: "not sent" })).toEqual({
      [TAGS]: ["x"],
      costCenter: null,
    });
  });

  it("is written as the history sheet's cells and read back the same", () => {
    const cells = historyCells(record());
    expect(cells).toHaveLength(HISTORY_HEADERS.length);
    expect(cells[HISTORY_HEADERS.indexOf("History State")]).toBe("Sending");
    expect(cells[HISTORY_HEADERS.indexOf("Tags Before")]).toBe("old");
    const { records, unreadable } = readHistory([[...HISTORY_HEADERS], asRead(cells) as never], iso);
    expect(unreadable).toBe(0);
    expect(records[0]).toMatchObject({
      jobId: "job1",
      runId: "workflow_run_1",
      sheetRow: 2,
      state: "Sending",
    });
    expect(records[0]?.before).toEqual(record().before);
    expect(records[0]?.sent).toEqual(record().sent);
  });

  it("counts a row edited into something that is not a record as unreadable", () => {
    const cells = asRead(historyCells(record()));
    cells[HISTORY_HEADERS.indexOf("Values Before")] = "not json";
    expect(readHistory([[...HISTORY_HEADERS], cells as never], iso)).toEqual({ records: [], unreadable: 1 });
  });

  it("does not fit when the values before would not fit a cell: such a row is never sent", () => {
    expect(fitsHistory(record())).toBe(true);
    expect(fitsHistory(record({ before: { note: "x".repeat(50_000) } }))).toBe(false);
  });
});

describe("an undo", () => {
  it("sends each key back to its value before; a key the run lacked becomes null, tags an empty list", () => {
    const body = restoreBody({
      runId: "r",
      before: { costCenter: "CC-old" },
      sent: { metadata: { [TAGS]: ["new"], costCenter: "CC-1", fresh: true } },
    });
    expect(body).toEqual({ metadata: { [TAGS]: [], costCenter: "CC-old", fresh: null } });
  });

  it("judges that a run holds what was sent by the exact tag list and each key's JSON", () => {
    const sent = { metadata: { [TAGS]: ["a", "b"], costCenter: { id: 1 } } };
    expect(holds({ [TAGS]: ["a", "b"], costCenter: { id: 1 }, other: 1 }, sent)).toBe(true);
    expect(holds({ [TAGS]: ["b", "a"], costCenter: { id: 1 } }, sent)).toBe(false);
    expect(holds({ [TAGS]: ["a", "b"], costCenter: { id: 2 } }, sent)).toBe(false);
    expect(holds({ [TAGS]: ["a", "b"] }, sent)).toBe(false);
  });

  it("takes null, a missing key and (for tags) an empty list as no value", () => {
    const cleared = { metadata: { [TAGS]: [], costCenter: null } };
    expect(holds({}, cleared)).toBe(true);
    expect(holds({ [TAGS]: null, costCenter: null }, cleared)).toBe(true);
    expect(holds({ [TAGS]: ["x"] }, cleared)).toBe(false);
    expect(holds({ costCenter: "" }, cleared)).toBe(false);
  });

  it("takes a run's values before from its earliest record and what was sent from its latest", () => {
    const header = [...HISTORY_HEADERS] as string[];
    const state = decodeRowState("");
    const row = (at: string, before: object, sent: object) => {
      const cells = asRead(
        historyCells(
          record({ at: new Date(at), before: before as never, sent: { metadata: sent as never } }),
        ),
      );
      return cells as never[];
    };
    const runs = runsToUndo(
      header,
      [
        // A retry after a kill: read again after the first update had applied.
        {
          cells: row("2026-12-01T10:05:00Z", { [TAGS]: ["old", "new"] }, { [TAGS]: ["old", "new"] }),
          row: 3,
          before: { runId: "workflow_run_1", state, link: "" },
        },
        {
          cells: row("2026-12-01T10:00:00Z", { [TAGS]: ["old"] }, { [TAGS]: ["old", "new"] }),
          row: 2,
          before: { runId: "workflow_run_1", state, link: "" },
        },
      ],
      iso,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]?.change).toEqual({
      runId: "workflow_run_1",
      before: { [TAGS]: ["old"] },
      sent: { metadata: { [TAGS]: ["old", "new"] } },
    });
  });
});

describe("the recent jobs and an undo's confirmation", () => {
  const records = [
    { ...record(), at: 1, sheetRow: 2, state: "Applied" },
    {
      ...record({ runId: "workflow_run_2", sent: { name: "n", metadata: { [TAGS]: ["new"] } } }),
      at: 2,
      sheetRow: 3,
      state: "Applied",
    },
    { ...record({ jobId: "job2", job: "undo of job1" }), at: 5, sheetRow: 4, state: "Applied" },
  ];

  it("lists each job once, newest first, with its runs and the undo that undid it", () => {
    expect(historyJobs(records)).toEqual([
      { id: "job2", kind: "undo of job1", at: 5, who: "ana@example.com", sheet: "Runs", runs: 1 },
      { id: "job1", kind: "sync", at: 1, who: "ana@example.com", sheet: "Runs", runs: 2, undoneBy: "job2" },
    ]);
  });

  it("states the runs, what changes back, what is skipped and that names stay, before anything is sent", () => {
    const summary = undoSummary(records, "job1");
    expect(summary).toMatchObject({
      runs: 2,
      runsWithTags: 2,
      keys: ["costCenter"],
      names: 1,
      undoneBy: "job2",
    });
    const text = describeUndo(summary as never, "10:00");
    expect(text).toContain("2 runs are read");
    expect(text).toContain("the usage tags of 2 runs; the metadata key costCenter");
    expect(text).toContain("Runs someone changed since are skipped and listed at the end");
    expect(text).toContain(
      "Names cannot be undone (Extend never returns a run's name): 1 run keeps the name the sync set.",
    );
    expect(text).toContain("This sync was undone before (undo job2)");
    expect(undoSummary(records, "nope")).toBeUndefined();
  });

  it("names an undo by the job it undid, not by the history sheet, and counts one run as one", () => {
    const text = describeUndo(undoSummary(records, "job2") as never, "10:00");
    expect(text).toMatch(
      /^Undo the undo job2 \(of job1\), started by ana@example.com at 10:00: 1 run is read, and each that still holds what the undo set gets its values from before back\./,
    );
    expect(text).toContain("What changes back: the usage tags of 1 run; the metadata key costCenter.");
    expect(text).not.toContain("Extend Sync History");
  });
});
