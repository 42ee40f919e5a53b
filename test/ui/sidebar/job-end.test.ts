// Unit tests for the end of a sync in the sidebar (src/ui/sidebar/job-end.ts): a run-log write that failed is
// said at the end of a sync too, as it is for a refresh, preview or import and in the menu; an undo's end names
// what it undid.
import { beforeEach, describe, expect, it } from "vitest";
import { emptyCounts } from "../../../src/core/engine/job";
import type { SyncProgress } from "../../../src/core/views/sidebar-api";
import { doneBlock, readDoneBlock, undoDoneBlock } from "../../../src/ui/sidebar/job-end";
import { type FakeElement, installFakeDocument } from "./fake-dom";

beforeEach(() => {
  installFakeDocument();
});

const LOG_FAILURE = "The run log could not be written (the sheet is protected); the rows show every result.";

function finished(kind: SyncProgress["kind"]): SyncProgress {
  return {
    jobId: "job1",
    kind,
    sheetName: "Runs",
    state: "finished",
    counts: { ...emptyCounts(), updated: 3 },
    rowsLeft: 0,
    rowsToSend: 3,
    rate: 10,
    executions: 1,
    notSynced: [],
    logFailure: LOG_FAILURE,
  };
}

const text = (children: unknown[]) => children.map((child) => (child as FakeElement).textContent).join(" ");

describe("the end of a job", () => {
  it("shows a failed run-log write at the end of a sync", () => {
    expect(text(doneBlock(finished("update")))).toContain(LOG_FAILURE);
  });

  it("shows it the same way at the end of a refresh", () => {
    expect(text(readDoneBlock(finished("refresh"), "Runs"))).toContain(LOG_FAILURE);
  });

  it("speaks of the sync an undo undid, or of the undo when it undid an undo", () => {
    const undo: SyncProgress = {
      ...finished("undo"),
      counts: { ...emptyCounts(), updated: 3, unchanged: 1 },
    };
    const ofSync = text(undoDoneBlock(undo));
    expect(ofSync).toContain("3 runs put back as they were before the sync, 1 already as they were");
    expect(ofSync).toContain("(changed since the sync, or failed)");
    const ofUndo = text(undoDoneBlock({ ...undo, undoesUndo: true }));
    expect(ofUndo).toContain("3 runs put back as they were before the undo, 1 already as they were");
    expect(ofUndo).toContain("(changed since the undo, or failed)");
    expect(ofUndo).not.toContain("sync,");
  });

  it("says nothing of the run log when it was written", () => {
    const { logFailure: _logFailure, ...progress } = finished("update");
    expect(text(doneBlock(progress))).not.toContain("run log");
  });
});
